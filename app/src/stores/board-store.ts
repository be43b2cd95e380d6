/**
 * One open board as plain view data and actions (`createDocStore` over the
 * `board:<id>` doc): the view from `boardView` (shared/board), the filter and
 * the lanes it leaves, the read-only flag, undo/redo of this person's own
 * changes, and the cards a colleague just moved ("moved by Claire").
 *
 * Actions call the shared/board operations with this session's transaction
 * origin and the server-corrected clock; they answer data (`ok`, ids, error
 * codes), never display text. A read-only board answers `read-only`.
 */
import * as Y from 'yjs';
import {
  addCard,
  addChecklistItem,
  addColumn,
  addComment,
  addLabel,
  archiveCard,
  archiveColumn,
  boardRoots,
  boardView,
  cardComments,
  checkBoardSchema,
  editComment,
  filterCards,
  moveCard,
  moveChecklistItem,
  moveColumn,
  removeChecklistItem,
  renameColumn,
  renameLabel,
  restoreCard,
  restoreColumn,
  setCardText,
  setChecklistItemText,
  setColumnColor,
  setDue,
  toggleAssignee,
  toggleCardLabel,
  toggleChecklistItem,
  unvote,
  vote,
  voteKey,
  isFilterEmpty,
  type BoardErrorCode,
  type BoardOpContext,
  type BoardView,
} from '../../../shared/board/index.js';
import type {
  BoardActions,
  BoardCard,
  BoardFailure,
  BoardFilter,
  BoardLane,
  BoardResult,
  BoardState,
  BoardStoreView,
  CardTextField,
  DroppedEdit,
  MoveAuthor,
  RemoteMove,
} from './board-types.js';
import { MOVE_SHOWN_MS } from './board-types.js';
import { createBoardUndo, type CreatedKind } from './board-undo.js';
import { createDocStore, type DocStore, type ViewClock } from './doc-store.js';

export * from './board-types.js';

export interface BoardStoreOptions {
  readonly doc: Y.Doc;
  /** The signed-in person: actor of every operation, viewer of the view. */
  readonly userId: string;
  readonly clock: ViewClock;
  /** This session's transaction origin; the undo manager tracks it. */
  readonly origin: object;
  /** The board is archived (boards list) or the relay gives read access only. */
  readonly readOnly?: () => boolean;
  /** Who made the remote change of a card's place, from the Yjs clientID that wrote it. */
  readonly whoMoved?: (cardId: string, clientId: number) => MoveAuthor | null;
  /** Remote moves are recorded only while this holds (after the first sync, not the catch-up). */
  readonly live?: () => boolean;
  /** Ids and order jitter (tests). */
  readonly random?: () => number;
  /** Merge window of typed text into one undo step, ms. */
  readonly captureTimeout?: number;
  /** The filter and open card to start with (a reopened board keeps the screen's). */
  readonly initial?: { readonly filter?: BoardFilter; readonly openCardId?: string | null };
}

export interface BoardStoreHandle extends DocStore<BoardState> {
  /** What the session found dropped after reloading the board from the server. */
  setDroppedEdits(list: readonly DroppedEdit[]): void;
}

/** A board result from shared/board, as the store answers it (codes, not errors). */
type OpResult<T extends object> =
  | ({ readonly ok: true } & T)
  | { readonly ok: false; readonly error: { readonly code: BoardErrorCode } };

const READ_ONLY: BoardFailure = Object.freeze({ ok: false, code: 'read-only' });
const OK = Object.freeze({ ok: true as const });

/** Today's date (YYYY-MM-DD) where the screen is, at the server-corrected instant. */
export function localDate(now: number): string {
  const d = new Date(now);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export function createBoardStore(opts: BoardStoreOptions): BoardStoreHandle {
  const { doc, userId, clock } = opts;
  const roots = boardRoots(doc);
  // Creations are undone by archiving, not by the UndoManager (board-undo.ts).
  const createOrigin = { untracked: opts.origin };
  let filter: BoardFilter = opts.initial?.filter ?? {};
  let openCardId: string | null = opts.initial?.openCardId ?? null;
  let moves: RemoteMove[] = [];
  let nextMoveId = 1;
  let dropped: readonly DroppedEdit[] = [];
  const isReadOnly = () => opts.readOnly?.() ?? false;

  const ctx = (origin: object): BoardOpContext => ({
    actor: userId,
    now: clock.now(),
    origin,
    ...(opts.random ? { random: opts.random } : {}),
  });

  const undo = createBoardUndo({
    doc,
    scope: [roots.columns, roots.cards, roots.labels, roots.comments, roots.votes],
    origin: opts.origin,
    setArchived: (what: CreatedKind, id, archived) => {
      const c = ctx(createOrigin);
      if (what === 'card') (archived ? archiveCard : restoreCard)(doc, { cardId: id }, c);
      else (archived ? archiveColumn : restoreColumn)(doc, { columnId: id }, c);
    },
    onChange: () => handle.refresh(),
    ...(opts.captureTimeout !== undefined ? { captureTimeout: opts.captureTimeout } : {}),
  });

  const findCardView = (board: BoardView, cardId: string): BoardCard | null => {
    for (const lane of board.lanes) for (const c of lane.cards) if (c.id === cardId) return c;
    return board.archivedCards.find((c) => c.id === cardId) ?? null;
  };

  // Unchanged cards, lanes and comments keep their identity from the
  // previous view, so a memoized card does not render again when another
  // one changes, and a derivation that changed nothing is not published.
  const derive = (now: number, previous: BoardStoreView | undefined): BoardStoreView => {
    const ready = checkBoardSchema(doc) === null;
    const board = ready ? shareEqual(previous?.board, boardView(doc, userId)) : null;
    const filtering = board !== null && !isFilterEmpty(filter);
    const today = localDate(now);
    const lanes: readonly BoardLane[] = !board
      ? []
      : filtering
        ? shareEqual(
            previous?.lanes,
            board.lanes.map((lane) => ({
              ...lane,
              cards: filterCards(lane.cards, filter, userId, today),
            })),
          )
        : board.lanes;
    const card = board && openCardId !== null ? findCardView(board, openCardId) : null;
    const live = moves.filter((m) => now - m.at < MOVE_SHOWN_MS);
    if (live.length !== moves.length) moves = live;
    return {
      ready,
      board,
      lanes,
      filter,
      filtering,
      detail: card
        ? shareEqual(previous?.detail ?? undefined, { card, comments: cardComments(doc, card.id) })
        : null,
      readOnly: isReadOnly(),
      canUndo: undo.canUndo(),
      canRedo: undo.canRedo(),
      moves: previous && sameMoves(previous.moves, live) ? previous.moves : live,
      droppedEdits: dropped,
      reopening: null,
    };
  };

  /** Runs one operation as one undo step; shared/board's failure becomes its code. */
  function act<T extends object>(
    op: (c: BoardOpContext) => OpResult<T>,
    origin: object = opts.origin,
  ): ({ readonly ok: true } & T) | BoardFailure {
    if (isReadOnly()) return READ_ONLY;
    undo.stopCapturing();
    const result = op(ctx(origin));
    undo.stopCapturing();
    return result.ok ? result : { ok: false, code: result.error.code };
  }
  const done = (r: { readonly ok: boolean } & object): BoardResult =>
    r.ok ? OK : (r as BoardFailure);

  const cardMap = (cardId: string): Y.Map<unknown> | null => {
    const card = roots.cards.get(cardId);
    return card instanceof Y.Map ? card : null;
  };
  const textOf = (cardId: string, field: CardTextField): Y.Text | null => {
    const text = cardMap(cardId)?.get(field);
    return text instanceof Y.Text ? text : null;
  };

  const actions = (get: () => BoardState): BoardActions => ({
    addColumn(title, index) {
      const r = act(
        (c) => addColumn(doc, { title, ...(index !== undefined ? { index } : {}) }, c),
        createOrigin,
      );
      if (!r.ok) return r;
      undo.created('column', r.columnId);
      return { ok: true, id: r.columnId };
    },
    renameColumn: (columnId, title) => done(act((c) => renameColumn(doc, { columnId, title }, c))),
    setColumnColor: (columnId, color) =>
      done(act((c) => setColumnColor(doc, { columnId, color }, c))),
    moveColumn: (columnId, index) => done(act((c) => moveColumn(doc, { columnId, index }, c))),
    archiveColumn: (columnId) => done(act((c) => archiveColumn(doc, { columnId }, c))),
    restoreColumn: (columnId) => done(act((c) => restoreColumn(doc, { columnId }, c))),

    addCard(columnId, title, index) {
      const r = act(
        (c) =>
          addCard(doc, { column: columnId, title, ...(index !== undefined ? { index } : {}) }, c),
        createOrigin,
      );
      if (!r.ok) return r;
      undo.created('card', r.cardId);
      return { ok: true, id: r.cardId };
    },
    moveCard: (cardId, columnId, index) =>
      done(act((c) => moveCard(doc, { cardId, column: columnId, index }, c))),
    archiveCard: (cardId) => done(act((c) => archiveCard(doc, { cardId }, c))),
    restoreCard: (cardId) => done(act((c) => restoreCard(doc, { cardId }, c))),
    setCardText: (cardId, field, text) =>
      done(act((c) => setCardText(doc, { cardId, field, text }, c))),
    textOf,
    editText(cardId, field, edit) {
      if (isReadOnly()) return READ_ONLY;
      const text = textOf(cardId, field);
      if (!text) return { ok: false, code: 'not-found' };
      // No stopCapturing: typing merges into one undo step per pause.
      doc.transact(() => edit(text), opts.origin);
      return OK;
    },
    toggleAssignee: (cardId, uid) =>
      done(act((c) => toggleAssignee(doc, { cardId, userId: uid }, c))),
    toggleCardLabel: (cardId, labelId) =>
      done(act((c) => toggleCardLabel(doc, { cardId, labelId }, c))),
    setDue: (cardId, due) => done(act((c) => setDue(doc, { cardId, due }, c))),

    addChecklistItem(cardId, text) {
      const r = act((c) => addChecklistItem(doc, { cardId, text }, c));
      return r.ok ? { ok: true, id: r.itemId } : r;
    },
    setChecklistItemText: (cardId, itemId, text) =>
      done(act((c) => setChecklistItemText(doc, { cardId, itemId, text }, c))),
    toggleChecklistItem: (cardId, itemId) =>
      done(act((c) => toggleChecklistItem(doc, { cardId, itemId }, c))),
    moveChecklistItem: (cardId, itemId, index) =>
      done(act((c) => moveChecklistItem(doc, { cardId, itemId, index }, c))),
    removeChecklistItem: (cardId, itemId) =>
      done(act((c) => removeChecklistItem(doc, { cardId, itemId }, c))),

    addLabel(name, color) {
      const r = act((c) => addLabel(doc, { name, color }, c));
      return r.ok ? { ok: true, id: r.labelId } : r;
    },
    renameLabel: (labelId, name) => done(act((c) => renameLabel(doc, { labelId, name }, c))),

    // A comment can never be removed (relay rule), so adding one is not an undo step.
    addComment(cardId, text) {
      const r = act((c) => addComment(doc, { cardId, text }, c), createOrigin);
      return r.ok ? { ok: true, id: r.commentId } : r;
    },
    editComment: (commentId, text) => done(act((c) => editComment(doc, { commentId, text }, c))),

    vote: (cardId) => done(act((c) => vote(doc, { cardId }, c))),
    unvote: (cardId) => done(act((c) => unvote(doc, { cardId }, c))),
    toggleVote(cardId) {
      const voted = roots.votes.has(voteKey(cardId, userId));
      return voted ? get().unvote(cardId) : get().vote(cardId);
    },

    setFilter(patch) {
      const next: Record<string, unknown> = { ...filter, ...patch };
      for (const key of Object.keys(next)) if (next[key] === undefined) delete next[key];
      filter = next as BoardFilter;
      handle.refresh();
    },
    clearFilter() {
      filter = {};
      handle.refresh();
    },
    openCard(cardId) {
      openCardId = cardId;
      handle.refresh();
    },
    undo() {
      if (isReadOnly()) return;
      undo.undo();
    },
    redo() {
      if (isReadOnly()) return;
      undo.redo();
    },
    dismissMove(id) {
      moves = moves.filter((m) => m.id !== id);
      handle.refresh();
    },
    dismissDroppedEdits() {
      dropped = [];
      handle.refresh();
    },
  });

  const inner = createDocStore<BoardStoreView, BoardActions>({
    docs: [doc],
    clock,
    derive,
    equal: (a, b) => (Object.keys(a) as (keyof BoardStoreView)[]).every((k) => a[k] === b[k]),
    // "today" for the due filter moves at midnight.
    tickMs: 60_000,
    nextChangeAt: (view) =>
      view.moves.length === 0 ? null : Math.min(...view.moves.map((m) => m.at)) + MOVE_SHOWN_MS,
    actions,
  });

  // A colleague's change of a card's column or order: "moved by …".
  const onCards = (events: Y.YEvent<Y.AbstractType<unknown>>[], tr: Y.Transaction) => {
    if (tr.local || !(opts.live?.() ?? true)) return;
    const found: RemoteMove[] = [];
    for (const event of events) {
      const card = event.target;
      if (!(card instanceof Y.Map) || card._item?.parent !== roots.cards) continue;
      const cardId = card._item.parentSub;
      const column = event.changes.keys.get('column');
      const order = event.changes.keys.get('order');
      if (cardId === null || (!column && !order)) continue;
      const to = card.get('column');
      const from = column?.action === 'update' ? column.oldValue : to;
      if (typeof to !== 'string' || typeof from !== 'string') continue;
      const writer = (card._map.get('order') ?? card._map.get('column'))?.id.client;
      const by = writer === undefined ? null : (opts.whoMoved?.(cardId, writer) ?? null);
      found.push({ id: nextMoveId++, cardId, by, from, to, at: clock.now() });
    }
    if (found.length === 0) return;
    const cards = new Set(found.map((m) => m.cardId));
    moves = [...moves.filter((m) => !cards.has(m.cardId)), ...found];
  };
  roots.cards.observeDeep(onCards);

  const handle: BoardStoreHandle = {
    store: inner.store,
    refresh: inner.refresh,
    setDroppedEdits(list) {
      dropped = list;
      inner.refresh();
    },
    destroy() {
      roots.cards.unobserveDeep(onCards);
      undo.destroy();
      inner.destroy();
    },
  };
  return handle;
}

const sameMoves = (a: readonly RemoteMove[], b: readonly RemoteMove[]): boolean =>
  a.length === b.length && a.every((m, i) => m === b[i]);

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' &&
  v !== null &&
  !Array.isArray(v) &&
  (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);

const idOf = (v: unknown): unknown => (isPlainObject(v) ? v.id : undefined);

/**
 * `next`, with every part deeply equal to the same part of `previous` (array
 * items matched by `id`) replaced by that part: structural sharing of plain
 * view data.
 */
export function shareEqual<T>(previous: unknown, next: T): T {
  if (previous === next) return next;
  if (Array.isArray(previous) && Array.isArray(next)) {
    const byId = new Map<unknown, unknown>();
    for (const item of previous) if (idOf(item) !== undefined) byId.set(idOf(item), item);
    let same = previous.length === next.length;
    const out = next.map((item: unknown, i) => {
      const id = idOf(item);
      const shared = shareEqual(id !== undefined ? byId.get(id) : previous[i], item);
      if (shared !== previous[i]) same = false;
      return shared;
    });
    return (same ? previous : out) as T;
  }
  if (isPlainObject(previous) && isPlainObject(next)) {
    const keys = Object.keys(next);
    let same = keys.length === Object.keys(previous).length;
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      out[key] = shareEqual(previous[key], next[key]);
      if (out[key] !== previous[key]) same = false;
    }
    return (same ? previous : out) as T;
  }
  return next;
}
