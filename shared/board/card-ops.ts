/**
 * Card operations (rules B4–B9): add, move, archive, restore, text, assignees,
 * labels, due date. A move sets `column` and `order` in one transaction,
 * never delete + insert; nothing is hard-deleted.
 */
import type * as Y from 'yjs';
import { fail, ok, type BoardFailure, type BoardResult } from './errors.js';
import {
  BOARD_LIMITS,
  checkFlag,
  checkId,
  checkIndex,
  checkText,
  checkUser,
  cleanText,
  firstFailure,
  isIsoDate,
} from './fields.js';
import { newItemId } from './ids.js';
import {
  cardChild,
  cardsInColumn,
  cardText,
  commit,
  commitChange,
  findCard,
  findColumn,
  isArchived,
  isFailure,
  precheck,
  randomOf,
  setArchived,
  type BoardOpContext,
} from './op-context.js';
import { isAt, keyAt, orderOf } from './order.js';
import { boardRoots, insertCard } from './schema.js';
import { applyText } from './text.js';

export type CardTextField = 'title' | 'body';

const TEXT_LIMIT: Readonly<Record<CardTextField, number>> = {
  title: BOARD_LIMITS.title,
  body: BOARD_LIMITS.body,
};

/** A column cards may go into: it exists and is not archived. */
function targetColumn(doc: Y.Doc, columnId: string): BoardFailure | null {
  const column = findColumn(doc, columnId);
  if (isFailure(column)) return column;
  return isArchived(column) ? fail('archived', 'the column is archived') : null;
}

function checkDue(due: unknown): BoardFailure | null {
  return isIsoDate(due)
    ? null
    : fail('invalid-argument', 'due date must be YYYY-MM-DD', { field: 'due' });
}

export interface AddCardArgs {
  readonly column: string;
  readonly title: string;
  readonly body?: string;
  /** Place in the column's lane; default last. */
  readonly index?: number;
  readonly due?: string;
  readonly assignees?: readonly string[];
  readonly labels?: readonly string[];
}

export function addCard(
  doc: Y.Doc,
  args: AddCardArgs,
  ctx: BoardOpContext,
): BoardResult<{ cardId: string }> {
  const bad = firstFailure(
    precheck(doc, ctx),
    checkText('title', args.title, BOARD_LIMITS.title, true),
    args.body === undefined ? null : checkText('body', args.body, BOARD_LIMITS.body),
    checkIndex(args.index),
    args.due === undefined ? null : checkDue(args.due),
    ...(Array.isArray(args.assignees) ? args.assignees.map((u) => checkUser('assignee', u)) : []),
    ...(Array.isArray(args.labels) ? args.labels.map((l) => checkId('label', l)) : []),
    targetColumn(doc, args.column),
  );
  if (bad) return bad;
  const random = randomOf(ctx);
  const cardId = newItemId(random);
  const order = keyAt(cardsInColumn(doc, args.column), args.index, random);
  return commit(doc, ctx, () => {
    insertCard(doc, cardId, {
      column: args.column,
      order,
      title: cleanText(args.title.trim()),
      body: cleanText(args.body ?? ''),
      createdBy: ctx.actor,
      createdAt: ctx.now,
      ...(args.due !== undefined ? { due: args.due } : {}),
      ...(args.assignees ? { assignees: args.assignees } : {}),
      ...(args.labels ? { labels: args.labels } : {}),
    });
    return { cardId };
  });
}

/**
 * Moves a card to `index` in `column`'s lane (default last): column and
 * order in one write (B4). A card already there is left alone (`changed: false`).
 */
export function moveCard(
  doc: Y.Doc,
  args: { cardId: string; column: string; index?: number },
  ctx: BoardOpContext,
): BoardResult<{ changed: boolean }> {
  const bad = firstFailure(precheck(doc, ctx), checkIndex(args.index));
  if (bad) return bad;
  const card = findCard(doc, args.cardId);
  if (isFailure(card)) return card;
  const target = targetColumn(doc, args.column);
  if (target) return target;
  const peers = cardsInColumn(doc, args.column, args.cardId);
  const self = { id: args.cardId, order: orderOf(card.get('order')) };
  const there = card.get('column') === args.column && !isArchived(card);
  return commitChange(doc, ctx, !(there && isAt(peers, self, args.index)), () => {
    card.set('column', args.column);
    card.set('order', keyAt(peers, args.index, randomOf(ctx)));
  });
}

export function archiveCard(
  doc: Y.Doc,
  args: { cardId: string },
  ctx: BoardOpContext,
): BoardResult<{ changed: boolean }> {
  return setArchived(doc, ctx, () => findCard(doc, args.cardId), true);
}

/** Restores a card where it was; if its column is gone or archived it shows in Unsorted (B6). */
export function restoreCard(
  doc: Y.Doc,
  args: { cardId: string },
  ctx: BoardOpContext,
): BoardResult<{ changed: boolean }> {
  return setArchived(doc, ctx, () => findCard(doc, args.cardId), false);
}

/** Writes the whole new text of a title or body as a minimal edit (B8). An empty title is allowed while typing. */
export function setCardText(
  doc: Y.Doc,
  args: { cardId: string; field: CardTextField; text: string },
  ctx: BoardOpContext,
): BoardResult<{ changed: boolean }> {
  if (args.field !== 'title' && args.field !== 'body')
    return fail('invalid-argument', 'field must be title or body', { field: 'field' });
  const bad = firstFailure(
    precheck(doc, ctx),
    checkText(args.field, args.text, TEXT_LIMIT[args.field]),
  );
  if (bad) return bad;
  const card = findCard(doc, args.cardId);
  if (isFailure(card)) return card;
  const text = cardText(card, args.field);
  if (!text) return fail('not-found', `card ${args.cardId} has no ${args.field}`);
  const next = cleanText(args.text);
  if (text.toString() === next) return ok({ changed: false });
  return commit(doc, ctx, () => ({ changed: applyText(text, next) }));
}

/** Sets (`on`) or flips (no `on`) one key of a card's assignees or labels map. */
function toggleIn(
  doc: Y.Doc,
  cardId: string,
  key: 'assignees' | 'labels',
  member: string,
  on: boolean | undefined,
  ctx: BoardOpContext,
): BoardResult<{ on: boolean }> {
  const card = findCard(doc, cardId);
  if (isFailure(card)) return card;
  const set = cardChild<boolean>(card, key);
  if (!set) return fail('not-found', `card ${cardId} has no ${key}`);
  const want = on ?? !set.has(member);
  if (want === set.has(member)) return ok({ on: want });
  return commit(doc, ctx, () => {
    if (want) set.set(member, true);
    else set.delete(member);
    return { on: want };
  });
}

export function toggleAssignee(
  doc: Y.Doc,
  args: { cardId: string; userId: string; on?: boolean },
  ctx: BoardOpContext,
): BoardResult<{ on: boolean }> {
  const bad = firstFailure(
    precheck(doc, ctx),
    checkUser('assignee', args.userId),
    checkFlag('on', args.on),
  );
  if (bad) return bad;
  return toggleIn(doc, args.cardId, 'assignees', args.userId, args.on, ctx);
}

export function toggleCardLabel(
  doc: Y.Doc,
  args: { cardId: string; labelId: string; on?: boolean },
  ctx: BoardOpContext,
): BoardResult<{ on: boolean }> {
  const bad = firstFailure(
    precheck(doc, ctx),
    checkId('label', args.labelId),
    checkFlag('on', args.on),
  );
  if (bad) return bad;
  if (args.on === true && !boardRoots(doc).labels.has(args.labelId))
    return fail('not-found', `no label ${args.labelId}`);
  return toggleIn(doc, args.cardId, 'labels', args.labelId, args.on, ctx);
}

/** `due: null` clears the due date. */
export function setDue(
  doc: Y.Doc,
  args: { cardId: string; due: string | null },
  ctx: BoardOpContext,
): BoardResult {
  const bad = firstFailure(precheck(doc, ctx), args.due === null ? null : checkDue(args.due));
  if (bad) return bad;
  const card = findCard(doc, args.cardId);
  if (isFailure(card)) return card;
  if ((card.get('due') ?? null) === args.due) return ok({});
  return commit(doc, ctx, () => {
    if (args.due === null) card.delete('due');
    else card.set('due', args.due);
    return {};
  });
}
