/**
 * A card's checklist (rule B10): items are Y.Maps `{ text, done, order }`
 * keyed by a fresh id in the card's `checklist` map. Unlike cards, an item
 * may be removed: it is part of the card, not a thing of its own.
 */
import * as Y from 'yjs';
import { fail, ok, type BoardFailure, type BoardResult } from './errors.js';
import {
  BOARD_LIMITS,
  checkFlag,
  checkId,
  checkIndex,
  checkText,
  cleanText,
  firstFailure,
} from './fields.js';
import { newItemId } from './ids.js';
import {
  cardChild,
  commit,
  commitChange,
  findCard,
  isFailure,
  precheck,
  randomOf,
  type BoardOpContext,
} from './op-context.js';
import { compareOrdered, isAt, keyAt, orderOf, type Ordered } from './order.js';

type Checklist = Y.Map<Y.Map<unknown>>;

function findChecklist(doc: Y.Doc, cardId: string): Checklist | BoardFailure {
  const card = findCard(doc, cardId);
  if (isFailure(card)) return card;
  return (
    (cardChild<Y.Map<unknown>>(card, 'checklist') as Checklist | null) ??
    fail('not-found', `card ${cardId} has no checklist`)
  );
}

function findItem(
  doc: Y.Doc,
  cardId: string,
  itemId: string,
): { list: Checklist; item: Y.Map<unknown> } | BoardFailure {
  const bad = checkId('checklist item', itemId);
  if (bad) return bad;
  const list = findChecklist(doc, cardId);
  if (isFailure(list)) return list;
  const item = list.get(itemId);
  return item instanceof Y.Map ? { list, item } : fail('not-found', `no checklist item ${itemId}`);
}

function itemsOf(list: Checklist, except?: string): Ordered[] {
  const out: Ordered[] = [];
  list.forEach((item, id) => {
    if (id !== except && item instanceof Y.Map) out.push({ id, order: orderOf(item.get('order')) });
  });
  return out.sort(compareOrdered);
}

export function addChecklistItem(
  doc: Y.Doc,
  args: { cardId: string; text: string; index?: number },
  ctx: BoardOpContext,
): BoardResult<{ itemId: string }> {
  const bad = firstFailure(
    precheck(doc, ctx),
    checkText('text', args.text, BOARD_LIMITS.title, true),
    checkIndex(args.index),
  );
  if (bad) return bad;
  const list = findChecklist(doc, args.cardId);
  if (isFailure(list)) return list;
  const random = randomOf(ctx);
  const itemId = newItemId(random);
  const order = keyAt(itemsOf(list), args.index, random);
  return commit(doc, ctx, () => {
    const item = new Y.Map<unknown>();
    item.set('text', cleanText(args.text.trim()));
    item.set('done', false);
    item.set('order', order);
    list.set(itemId, item);
    return { itemId };
  });
}

export function setChecklistItemText(
  doc: Y.Doc,
  args: { cardId: string; itemId: string; text: string },
  ctx: BoardOpContext,
): BoardResult {
  const bad = firstFailure(
    precheck(doc, ctx),
    checkText('text', args.text, BOARD_LIMITS.title, true),
  );
  if (bad) return bad;
  const found = findItem(doc, args.cardId, args.itemId);
  if (isFailure(found)) return found;
  return commit(doc, ctx, () => {
    found.item.set('text', cleanText(args.text.trim()));
    return {};
  });
}

/** Sets (`done`) or flips (no `done`) an item. */
export function toggleChecklistItem(
  doc: Y.Doc,
  args: { cardId: string; itemId: string; done?: boolean },
  ctx: BoardOpContext,
): BoardResult<{ done: boolean }> {
  const bad = firstFailure(precheck(doc, ctx), checkFlag('done', args.done));
  if (bad) return bad;
  const found = findItem(doc, args.cardId, args.itemId);
  if (isFailure(found)) return found;
  const current = found.item.get('done') === true;
  const done = args.done ?? !current;
  if (done === current) return ok({ done });
  return commit(doc, ctx, () => {
    found.item.set('done', done);
    return { done };
  });
}

export function moveChecklistItem(
  doc: Y.Doc,
  args: { cardId: string; itemId: string; index: number },
  ctx: BoardOpContext,
): BoardResult<{ changed: boolean }> {
  const bad = firstFailure(precheck(doc, ctx), checkIndex(args.index));
  if (bad) return bad;
  const found = findItem(doc, args.cardId, args.itemId);
  if (isFailure(found)) return found;
  const peers = itemsOf(found.list, args.itemId);
  const self = { id: args.itemId, order: orderOf(found.item.get('order')) };
  return commitChange(doc, ctx, !isAt(peers, self, args.index), () => {
    found.item.set('order', keyAt(peers, args.index, randomOf(ctx)));
  });
}

export function removeChecklistItem(
  doc: Y.Doc,
  args: { cardId: string; itemId: string },
  ctx: BoardOpContext,
): BoardResult {
  const bad = precheck(doc, ctx);
  if (bad) return bad;
  const found = findItem(doc, args.cardId, args.itemId);
  if (isFailure(found)) return found;
  return commit(doc, ctx, () => {
    found.list.delete(args.itemId);
    return {};
  });
}
