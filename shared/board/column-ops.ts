/**
 * Column operations (rules B4, B6): add, rename, colour, move, archive,
 * restore. Columns are never deleted; an archived column's cards show in
 * the Unsorted lane until it is restored or they are moved.
 */
import type * as Y from 'yjs';
import { fail, type BoardResult } from './errors.js';
import {
  BOARD_LIMITS,
  checkColor,
  cleanText,
  checkIndex,
  checkText,
  firstFailure,
} from './fields.js';
import { newItemId } from './ids.js';
import {
  activeColumns,
  commit,
  commitChange,
  findColumn,
  isArchived,
  isFailure,
  precheck,
  randomOf,
  setArchived,
  type BoardOpContext,
} from './op-context.js';
import { isAt, keyAt, orderOf } from './order.js';
import { insertColumn } from './schema.js';

export function addColumn(
  doc: Y.Doc,
  args: { title: string; color?: string; index?: number },
  ctx: BoardOpContext,
): BoardResult<{ columnId: string }> {
  const bad = firstFailure(
    precheck(doc, ctx),
    checkText('title', args.title, BOARD_LIMITS.title, true),
    args.color === undefined ? null : checkColor(args.color),
    checkIndex(args.index),
  );
  if (bad) return bad;
  const random = randomOf(ctx);
  const columnId = newItemId(random);
  const order = keyAt(activeColumns(doc), args.index, random);
  return commit(doc, ctx, () => {
    insertColumn(doc, columnId, {
      title: cleanText(args.title.trim()),
      order,
      ...(args.color !== undefined ? { color: args.color } : {}),
    });
    return { columnId };
  });
}

export function renameColumn(
  doc: Y.Doc,
  args: { columnId: string; title: string },
  ctx: BoardOpContext,
): BoardResult {
  const bad = firstFailure(
    precheck(doc, ctx),
    checkText('title', args.title, BOARD_LIMITS.title, true),
  );
  if (bad) return bad;
  const column = findColumn(doc, args.columnId);
  if (isFailure(column)) return column;
  return commit(doc, ctx, () => {
    column.set('title', cleanText(args.title.trim()));
    return {};
  });
}

/** `color: null` removes the colour. */
export function setColumnColor(
  doc: Y.Doc,
  args: { columnId: string; color: string | null },
  ctx: BoardOpContext,
): BoardResult {
  const bad = firstFailure(precheck(doc, ctx), args.color === null ? null : checkColor(args.color));
  if (bad) return bad;
  const column = findColumn(doc, args.columnId);
  if (isFailure(column)) return column;
  return commit(doc, ctx, () => {
    if (args.color === null) column.delete('color');
    else column.set('color', args.color);
    return {};
  });
}

/** Puts an active column at `index` among the other active columns. */
export function moveColumn(
  doc: Y.Doc,
  args: { columnId: string; index: number },
  ctx: BoardOpContext,
): BoardResult<{ changed: boolean }> {
  const bad = firstFailure(precheck(doc, ctx), checkIndex(args.index));
  if (bad) return bad;
  const column = findColumn(doc, args.columnId);
  if (isFailure(column)) return column;
  if (isArchived(column)) return fail('archived', 'restore the column before moving it');
  const peers = activeColumns(doc).filter((c) => c.id !== args.columnId);
  const self = { id: args.columnId, order: orderOf(column.get('order')) };
  return commitChange(doc, ctx, !isAt(peers, self, args.index), () => {
    column.set('order', keyAt(peers, args.index, randomOf(ctx)));
  });
}

export function archiveColumn(
  doc: Y.Doc,
  args: { columnId: string },
  ctx: BoardOpContext,
): BoardResult<{ changed: boolean }> {
  return setArchived(doc, ctx, () => findColumn(doc, args.columnId), true);
}

/** Restores a column in its old place, with its cards. */
export function restoreColumn(
  doc: Y.Doc,
  args: { columnId: string },
  ctx: BoardOpContext,
): BoardResult<{ changed: boolean }> {
  return setArchived(doc, ctx, () => findColumn(doc, args.columnId), false);
}
