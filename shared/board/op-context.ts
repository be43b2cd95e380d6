/**
 * Plumbing shared by the board operations: the context each takes, how a
 * column or card is found, and how a change is written in exactly one
 * `doc.transact(…, ctx.origin)` (rule B2).
 */
import * as Y from 'yjs';
import { fail, ok, type BoardFailure, type BoardResult } from './errors.js';
import { checkId, checkUser } from './fields.js';
import { cryptoRandom } from './ids.js';
import { compareOrdered, orderOf, type Ordered } from './order.js';
import { boardRoots, checkBoardSchema, type CardMap, type ColumnMap } from './schema.js';

export interface BoardOpContext {
  /** The user acting (`GET /api/auth/me` id): author, voter, card creator. */
  readonly actor: string;
  /** Milliseconds since epoch, corrected by the server clock offset. */
  readonly now: number;
  /** The Yjs transaction origin, so an UndoManager or the relay can track it. */
  readonly origin?: unknown;
  /** A float in [0, 1); default the platform CSPRNG. Tests inject a seeded one. */
  readonly random?: () => number;
}

export const randomOf = (ctx: BoardOpContext): (() => number) => ctx.random ?? cryptoRandom;

/** Schema and actor checks every operation starts with. */
export function precheck(doc: Y.Doc, ctx: BoardOpContext): BoardFailure | null {
  return checkBoardSchema(doc) ?? checkUser('actor', ctx.actor);
}

/** Runs `write` in one transaction with the context's origin and returns ok(value). */
export function commit<T extends object>(
  doc: Y.Doc,
  ctx: BoardOpContext,
  write: () => T,
): BoardResult<T> {
  let value!: T;
  doc.transact(() => {
    value = write();
  }, ctx.origin ?? null);
  return ok(value);
}

/**
 * A write that may change nothing: `ok({ changed: false })` without a
 * transaction when `needed` is false, else `write` in one transaction.
 */
export function commitChange(
  doc: Y.Doc,
  ctx: BoardOpContext,
  needed: boolean,
  write: () => void,
): BoardResult<{ changed: boolean }> {
  if (!needed) return ok({ changed: false });
  return commit(doc, ctx, () => {
    write();
    return { changed: true };
  });
}

export function findColumn(doc: Y.Doc, columnId: unknown): ColumnMap | BoardFailure {
  const bad = checkId('column', columnId);
  if (bad) return bad;
  const map = boardRoots(doc).columns.get(columnId as string);
  return map instanceof Y.Map ? map : fail('not-found', `no column ${String(columnId)}`);
}

export function findCard(doc: Y.Doc, cardId: unknown): CardMap | BoardFailure {
  const bad = checkId('card', cardId);
  if (bad) return bad;
  const map = boardRoots(doc).cards.get(cardId as string);
  return map instanceof Y.Map ? map : fail('not-found', `no card ${String(cardId)}`);
}

export const isFailure = (value: unknown): value is BoardFailure =>
  typeof value === 'object' && value !== null && (value as { ok?: unknown }).ok === false;

/** A nested map of a card (assignees, labels, checklist), created with the card. */
export function cardChild<T = unknown>(card: CardMap, key: string): Y.Map<T> | null {
  const child = card.get(key);
  return child instanceof Y.Map ? (child as Y.Map<T>) : null;
}

export function cardText(card: CardMap, field: 'title' | 'body'): Y.Text | null {
  const text = card.get(field);
  return text instanceof Y.Text ? text : null;
}

export const isArchived = (map: Y.Map<unknown>): boolean =>
  typeof map.get('archivedAt') === 'number';

/**
 * Archives (`archived: true`) or restores the card or column `find` finds
 * (B6): only `archivedAt` is set or removed, nothing is deleted, and one
 * already in that state is left alone (`changed: false`).
 */
export function setArchived(
  doc: Y.Doc,
  ctx: BoardOpContext,
  find: () => Y.Map<unknown> | BoardFailure,
  archived: boolean,
): BoardResult<{ changed: boolean }> {
  const bad = precheck(doc, ctx);
  if (bad) return bad;
  const map = find();
  if (isFailure(map)) return map;
  return commitChange(doc, ctx, isArchived(map) !== archived, () => {
    if (archived) map.set('archivedAt', ctx.now);
    else map.delete('archivedAt');
  });
}

/** Active (not archived) columns in board order. */
export function activeColumns(doc: Y.Doc): Ordered[] {
  const out: Ordered[] = [];
  boardRoots(doc).columns.forEach((map, id) => {
    if (map instanceof Y.Map && !isArchived(map))
      out.push({ id, order: orderOf(map.get('order')) });
  });
  return out.sort(compareOrdered);
}

/** Active cards whose column is `columnId`, in lane order, `except` left out. */
export function cardsInColumn(doc: Y.Doc, columnId: string, except?: string): Ordered[] {
  const out: Ordered[] = [];
  boardRoots(doc).cards.forEach((map, id) => {
    if (id !== except && map instanceof Y.Map && !isArchived(map) && map.get('column') === columnId)
      out.push({ id, order: orderOf(map.get('order')) });
  });
  return out.sort(compareOrdered);
}
