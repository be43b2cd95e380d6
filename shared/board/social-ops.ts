/**
 * Labels, comments and votes (rules B11–B13). Labels and comments are plain
 * records replaced whole (last writer wins); a comment keeps its author and
 * only the author edits it. A vote is the key `<cardId>:<userId>`: one per
 * person per card however many devices that person votes from.
 */
import type * as Y from 'yjs';
import { fail, type BoardResult } from './errors.js';
import { BOARD_LIMITS, checkColor, checkId, checkText, cleanText, firstFailure } from './fields.js';
import { newItemId } from './ids.js';
import {
  commit,
  commitChange,
  findCard,
  isFailure,
  precheck,
  randomOf,
  type BoardOpContext,
} from './op-context.js';
import { boardRoots, voteKey } from './schema.js';

// ---- labels ---------------------------------------------------------------------

export function addLabel(
  doc: Y.Doc,
  args: { name: string; color: string },
  ctx: BoardOpContext,
): BoardResult<{ labelId: string }> {
  const bad = firstFailure(
    precheck(doc, ctx),
    checkText('name', args.name, BOARD_LIMITS.labelName, true),
    checkColor(args.color),
  );
  if (bad) return bad;
  const labelId = newItemId(randomOf(ctx));
  return commit(doc, ctx, () => {
    boardRoots(doc).labels.set(labelId, { name: cleanText(args.name.trim()), color: args.color });
    return { labelId };
  });
}

/** Renames a label, and recolours it when `color` is given. */
export function renameLabel(
  doc: Y.Doc,
  args: { labelId: string; name: string; color?: string },
  ctx: BoardOpContext,
): BoardResult {
  const bad = firstFailure(
    precheck(doc, ctx),
    checkId('label', args.labelId),
    checkText('name', args.name, BOARD_LIMITS.labelName, true),
    args.color === undefined ? null : checkColor(args.color),
  );
  if (bad) return bad;
  const labels = boardRoots(doc).labels;
  const current = labels.get(args.labelId) as { color?: unknown } | undefined;
  if (current === undefined || current === null || typeof current !== 'object')
    return fail('not-found', `no label ${args.labelId}`);
  const color = args.color ?? (typeof current.color === 'string' ? current.color : '#616161');
  return commit(doc, ctx, () => {
    labels.set(args.labelId, { name: cleanText(args.name.trim()), color });
    return {};
  });
}

// ---- comments -------------------------------------------------------------------

export function addComment(
  doc: Y.Doc,
  args: { cardId: string; text: string },
  ctx: BoardOpContext,
): BoardResult<{ commentId: string }> {
  const bad = firstFailure(
    precheck(doc, ctx),
    checkText('comment', args.text, BOARD_LIMITS.comment, true),
  );
  if (bad) return bad;
  const card = findCard(doc, args.cardId);
  if (isFailure(card)) return card;
  const commentId = newItemId(randomOf(ctx));
  return commit(doc, ctx, () => {
    boardRoots(doc).comments.set(commentId, {
      cardId: args.cardId,
      text: cleanText(args.text.trim()),
      author: ctx.actor,
      at: ctx.now,
    });
    return { commentId };
  });
}

/** Only the author edits a comment (B12); author, card and time stay, `editedAt` is set. */
export function editComment(
  doc: Y.Doc,
  args: { commentId: string; text: string },
  ctx: BoardOpContext,
): BoardResult {
  const bad = firstFailure(
    precheck(doc, ctx),
    checkId('comment', args.commentId),
    checkText('comment', args.text, BOARD_LIMITS.comment, true),
  );
  if (bad) return bad;
  const comments = boardRoots(doc).comments;
  const current = comments.get(args.commentId) as Record<string, unknown> | undefined;
  if (!current || typeof current !== 'object')
    return fail('not-found', `no comment ${args.commentId}`);
  if (current.author !== ctx.actor) return fail('not-author', 'only its author may edit a comment');
  return commit(doc, ctx, () => {
    comments.set(args.commentId, {
      cardId: current.cardId,
      text: cleanText(args.text.trim()),
      author: current.author,
      at: current.at,
      editedAt: ctx.now,
    });
    return {};
  });
}

// ---- votes ----------------------------------------------------------------------

/** +1 from the actor (B13); a second vote by the same person changes nothing. */
export function vote(
  doc: Y.Doc,
  args: { cardId: string },
  ctx: BoardOpContext,
): BoardResult<{ changed: boolean }> {
  const bad = precheck(doc, ctx);
  if (bad) return bad;
  const card = findCard(doc, args.cardId);
  if (isFailure(card)) return card;
  const votes = boardRoots(doc).votes;
  const key = voteKey(args.cardId, ctx.actor);
  return commitChange(doc, ctx, !votes.has(key), () => votes.set(key, ctx.now));
}

/** Withdraws the actor's own vote; nobody can withdraw someone else's. */
export function unvote(
  doc: Y.Doc,
  args: { cardId: string },
  ctx: BoardOpContext,
): BoardResult<{ changed: boolean }> {
  const bad = firstFailure(precheck(doc, ctx), checkId('card', args.cardId));
  if (bad) return bad;
  const votes = boardRoots(doc).votes;
  const key = voteKey(args.cardId, ctx.actor);
  return commitChange(doc, ctx, votes.has(key), () => votes.delete(key));
}
