/**
 * What the board screens show (rules B6, B14): pure functions of the doc
 * and the viewer. Views are plain frozen data in a canonical order (never
 * Y.Map iteration order, which differs between replicas), so two replicas
 * holding the same state derive equal views.
 */
import * as Y from 'yjs';
import { isColor, isIsoDate } from './fields.js';
import { isItemId, isUserId } from './ids.js';
import { compareOrdered, orderOf } from './order.js';
import {
  BOARD_ROOTS,
  boardRoots,
  isBoardTemplate,
  parseVoteKey,
  type BoardTemplate,
} from './schema.js';

/** The id of the lane holding cards whose column is archived or missing. */
export const UNSORTED_LANE = 'unsorted';

export interface BoardMetaView {
  readonly schemaVersion: number | null;
  readonly title: string;
  readonly template: BoardTemplate | null;
}

export interface ColumnView {
  readonly id: string;
  readonly title: string;
  readonly order: string;
  readonly color: string | null;
  readonly archivedAt?: number;
}

export interface ChecklistItemView {
  readonly id: string;
  readonly text: string;
  readonly done: boolean;
  readonly order: string;
}

export interface CardView {
  readonly id: string;
  /** The stored column id (may name an archived or missing column). */
  readonly column: string;
  /** The lane it shows in: its column, or `UNSORTED_LANE`. */
  readonly lane: string;
  readonly order: string;
  readonly title: string;
  readonly body: string;
  readonly createdBy: string;
  readonly createdAt: number;
  readonly assignees: readonly string[];
  readonly labels: readonly string[];
  readonly due?: string;
  readonly checklist: readonly ChecklistItemView[];
  readonly archivedAt?: number;
  /** User ids that voted, sorted. */
  readonly votes: readonly string[];
  readonly votedByMe: boolean;
  readonly commentCount: number;
}

export interface LaneView {
  /** A column id, or `UNSORTED_LANE`. */
  readonly id: string;
  readonly title: string;
  readonly color: string | null;
  readonly unsorted: boolean;
  readonly cards: readonly CardView[];
}

export interface LabelView {
  readonly id: string;
  readonly name: string;
  readonly color: string;
}

export interface CommentView {
  readonly id: string;
  readonly cardId: string;
  readonly text: string;
  readonly author: string;
  readonly at: number;
  readonly editedAt?: number;
}

export interface BoardView {
  readonly meta: BoardMetaView;
  readonly seeded: boolean;
  /** Active columns in board order. */
  readonly columns: readonly ColumnView[];
  readonly archivedColumns: readonly ColumnView[];
  /** One per active column, then Unsorted when some active card has no active column. */
  readonly lanes: readonly LaneView[];
  /** Archived cards, most recently archived first, for restore. */
  readonly archivedCards: readonly CardView[];
  /** Labels by name. */
  readonly labels: readonly LabelView[];
  /** Every active card, lane by lane: what `filterCards` takes. */
  readonly cards: readonly CardView[];
  readonly cardCount: number;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

function readColumn(id: string, map: Y.Map<unknown>): ColumnView {
  const archivedAt = num(map.get('archivedAt'));
  const color = map.get('color');
  return {
    id,
    title: str(map.get('title')),
    order: orderOf(map.get('order')),
    color: isColor(color) ? color : null,
    ...(archivedAt !== null ? { archivedAt } : {}),
  };
}

function keysOf(map: unknown, valid: (k: string) => boolean): string[] {
  if (!(map instanceof Y.Map)) return [];
  const out: string[] = [];
  map.forEach((v, k) => {
    if (v === true && valid(k)) out.push(k);
  });
  return out.sort(cmp);
}

function readChecklist(map: unknown): ChecklistItemView[] {
  if (!(map instanceof Y.Map)) return [];
  const out: ChecklistItemView[] = [];
  map.forEach((item, id) => {
    if (!(item instanceof Y.Map)) return;
    out.push({
      id,
      text: str(item.get('text')),
      done: item.get('done') === true,
      order: orderOf(item.get('order')),
    });
  });
  return out.sort(compareOrdered);
}

/** Votes per card id from the `votes` map, malformed keys ignored (B13). */
export function votesByCard(doc: Y.Doc): Map<string, string[]> {
  const out = new Map<string, string[]>();
  boardRoots(doc).votes.forEach((at, key) => {
    const parsed = parseVoteKey(key);
    if (!parsed || num(at) === null) return;
    const list = out.get(parsed.cardId);
    if (list) list.push(parsed.userId);
    else out.set(parsed.cardId, [parsed.userId]);
  });
  for (const list of out.values()) list.sort(cmp);
  return out;
}

export function readComment(id: string, value: unknown): CommentView | null {
  if (!value || typeof value !== 'object') return null;
  const c = value as Record<string, unknown>;
  const at = num(c.at);
  const editedAt = num(c.editedAt);
  if (!isItemId(c.cardId) || typeof c.text !== 'string' || !isUserId(c.author) || at === null)
    return null;
  return {
    id,
    cardId: c.cardId,
    text: c.text,
    author: c.author,
    at,
    ...(editedAt !== null ? { editedAt } : {}),
  };
}

function commentCounts(doc: Y.Doc): Map<string, number> {
  const out = new Map<string, number>();
  boardRoots(doc).comments.forEach((value, id) => {
    const c = readComment(id, value);
    if (c) out.set(c.cardId, (out.get(c.cardId) ?? 0) + 1);
  });
  return out;
}

interface CardExtras {
  readonly votes: Map<string, string[]>;
  readonly comments: Map<string, number>;
  readonly activeColumns: ReadonlySet<string>;
}

function readCard(id: string, map: Y.Map<unknown>, viewer: string, extras: CardExtras): CardView {
  const column = str(map.get('column'));
  const due = map.get('due');
  const archivedAt = num(map.get('archivedAt'));
  const title = map.get('title');
  const body = map.get('body');
  const votes = extras.votes.get(id) ?? [];
  return {
    id,
    column,
    lane: extras.activeColumns.has(column) ? column : UNSORTED_LANE,
    order: orderOf(map.get('order')),
    title: title instanceof Y.Text ? title.toString() : '',
    body: body instanceof Y.Text ? body.toString() : '',
    createdBy: str(map.get('createdBy')),
    createdAt: num(map.get('createdAt')) ?? 0,
    assignees: keysOf(map.get('assignees'), isUserId),
    labels: keysOf(map.get('labels'), isItemId),
    ...(isIsoDate(due) ? { due } : {}),
    checklist: readChecklist(map.get('checklist')),
    ...(archivedAt !== null ? { archivedAt } : {}),
    votes,
    votedByMe: votes.includes(viewer),
    commentCount: extras.comments.get(id) ?? 0,
  };
}

export function readBoardMeta(doc: Y.Doc): BoardMetaView {
  const meta = boardRoots(doc).meta;
  const template = meta.get('template');
  return {
    schemaVersion: num(meta.get('schemaVersion')),
    title: str(meta.get('title')),
    template: isBoardTemplate(template) ? template : null,
  };
}

export function readLabels(doc: Y.Doc): LabelView[] {
  const out: LabelView[] = [];
  boardRoots(doc).labels.forEach((value, id) => {
    if (!value || typeof value !== 'object') return;
    const l = value as Record<string, unknown>;
    out.push({ id, name: str(l.name), color: isColor(l.color) ? l.color : '#616161' });
  });
  return out.sort((a, b) => cmp(a.name.toLowerCase(), b.name.toLowerCase()) || cmp(a.id, b.id));
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const idOf = (v: unknown): unknown => (isRecord(v) ? v.id : undefined);

/**
 * `next` with every part equal to the matching part of `prev` replaced by
 * that part (array items matched by `id` when they have one): unchanged
 * cards, lanes and columns keep their identity, so a screen re-renders only
 * what changed. Returns `prev` itself when nothing changed.
 */
export function shareStructure<T>(prev: T, next: T, memo = new Map<unknown, unknown>()): T {
  if (Object.is(prev, next)) return prev;
  // One object reachable twice in `next` (a card in its lane and in `cards`) stays one object.
  if (memo.has(next)) return memo.get(next) as T;
  const result = shareInner(prev, next, memo);
  if (typeof next === 'object' && next !== null) memo.set(next, result);
  return result;
}

function shareInner<T>(prev: T, next: T, memo: Map<unknown, unknown>): T {
  if (Array.isArray(next)) {
    if (!Array.isArray(prev)) return next;
    const byId = new Map<unknown, unknown>();
    for (const p of prev) if (idOf(p) !== undefined) byId.set(idOf(p), p);
    let same = prev.length === next.length;
    const out = next.map((n: unknown, i: number) => {
      const p: unknown = idOf(n) !== undefined ? byId.get(idOf(n)) : prev[i];
      const shared = p === undefined ? n : shareStructure(p, n, memo);
      if (shared !== prev[i]) same = false;
      return shared;
    });
    return (same ? prev : out) as T;
  }
  if (isRecord(next)) {
    if (!isRecord(prev)) return next;
    const keys = Object.keys(next);
    let same = keys.length === Object.keys(prev).length;
    const out: Record<string, unknown> = {};
    for (const k of keys) {
      out[k] = k in prev ? shareStructure(prev[k], next[k], memo) : next[k];
      if (out[k] !== prev[k] || !(k in prev)) same = false;
    }
    return (same ? prev : out) as T;
  }
  return next;
}

/**
 * Everything a board screen shows, for one viewer (whose votes are
 * `votedByMe`). Given the `previous` view, unchanged parts keep their
 * identity (and an unchanged board returns `previous` itself).
 */
export function boardView(doc: Y.Doc, viewer: string, previous?: BoardView | null): BoardView {
  const roots = boardRoots(doc);
  const columns: ColumnView[] = [];
  const archivedColumns: ColumnView[] = [];
  roots.columns.forEach((map, id) => {
    if (!(map instanceof Y.Map)) return;
    const column = readColumn(id, map);
    (column.archivedAt === undefined ? columns : archivedColumns).push(column);
  });
  columns.sort(compareOrdered);
  archivedColumns.sort((a, b) => (b.archivedAt ?? 0) - (a.archivedAt ?? 0) || cmp(a.id, b.id));

  const extras: CardExtras = {
    votes: votesByCard(doc),
    comments: commentCounts(doc),
    activeColumns: new Set(columns.map((c) => c.id)),
  };
  const byLane = new Map<string, CardView[]>();
  const archivedCards: CardView[] = [];
  let cardCount = 0;
  roots.cards.forEach((map, id) => {
    if (!(map instanceof Y.Map)) return;
    const card = readCard(id, map, viewer, extras);
    if (card.archivedAt !== undefined) {
      archivedCards.push(card);
      return;
    }
    cardCount++;
    const lane = byLane.get(card.lane);
    if (lane) lane.push(card);
    else byLane.set(card.lane, [card]);
  });
  for (const list of byLane.values()) list.sort(compareOrdered);
  archivedCards.sort((a, b) => (b.archivedAt ?? 0) - (a.archivedAt ?? 0) || cmp(a.id, b.id));

  const lanes: LaneView[] = columns.map((c) => ({
    id: c.id,
    title: c.title,
    color: c.color,
    unsorted: false,
    cards: byLane.get(c.id) ?? [],
  }));
  const unsorted = byLane.get(UNSORTED_LANE);
  if (unsorted)
    lanes.push({
      id: UNSORTED_LANE,
      title: 'Unsorted',
      color: null,
      unsorted: true,
      cards: unsorted,
    });

  const meta = readBoardMeta(doc);
  const view: BoardView = {
    meta,
    seeded: meta.schemaVersion !== null,
    columns,
    archivedColumns,
    lanes,
    archivedCards,
    labels: readLabels(doc),
    cards: lanes.flatMap((l) => l.cards),
    cardCount,
  };
  return deepFreeze(previous ? shareStructure(previous, view) : view);
}

/** One card's view (active or archived), or null. */
export function cardView(doc: Y.Doc, cardId: string, viewer: string): CardView | null {
  const map = boardRoots(doc).cards.get(cardId);
  if (!(map instanceof Y.Map)) return null;
  const activeColumns = new Set<string>();
  boardRoots(doc).columns.forEach((c, id) => {
    if (c instanceof Y.Map && typeof c.get('archivedAt') !== 'number') activeColumns.add(id);
  });
  return deepFreeze(
    readCard(cardId, map, viewer, {
      votes: votesByCard(doc),
      comments: commentCounts(doc),
      activeColumns,
    }),
  );
}

/** A card's comments, oldest first. */
export function cardComments(doc: Y.Doc, cardId: string): readonly CommentView[] {
  const out: CommentView[] = [];
  boardRoots(doc).comments.forEach((value, id) => {
    const c = readComment(id, value);
    if (c && c.cardId === cardId) out.push(c);
  });
  return deepFreeze(out.sort((a, b) => a.at - b.at || cmp(a.id, b.id)));
}

/** Every root of the doc as JSON with sorted keys: equal on replicas with equal state. */
export function canonicalBoardJson(doc: Y.Doc): string {
  const sortKeys = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(sortKeys);
    if (value && typeof value === 'object')
      return Object.fromEntries(
        Object.keys(value)
          .sort()
          .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
      );
    return value;
  };
  return JSON.stringify(
    sortKeys(
      Object.fromEntries(Object.values(BOARD_ROOTS).map((n) => [n, doc.getMap(n).toJSON()])),
    ),
  );
}
