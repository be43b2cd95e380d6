/**
 * The board store over plain Y.Docs (no network): derivations, filter,
 * actions, undo/redo of our own changes only, "moved by" attribution and
 * the read-only flag. Two replicas exchange updates by hand.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addCard,
  boardRoots,
  moveCard,
  seedBoardDoc,
  setCardText,
  vote,
  type BoardOpContext,
} from '../../../shared/board/index.js';
import {
  createBoardStore,
  MOVE_SHOWN_MS,
  shareEqual,
  type BoardStoreHandle,
  type BoardStoreOptions,
  type MoveAuthor,
} from './board-store.js';

const T0 = Date.UTC(2026, 11, 2, 9, 0);
const ALICE = 'alice';
const BOB = 'bob';

let now = T0;
const clock = { now: () => now };
const open: BoardStoreHandle[] = [];
afterEach(() => {
  open.splice(0).forEach((s) => s.destroy());
  now = T0;
});

function seeded(): Y.Doc {
  const doc = new Y.Doc();
  seedBoardDoc(doc, { title: 'Huddle', template: 'blank', createdBy: ALICE }, T0);
  return doc;
}

/** A second replica holding everything `doc` holds. */
function replica(doc: Y.Doc): Y.Doc {
  const other = new Y.Doc();
  Y.applyUpdate(other, Y.encodeStateAsUpdate(doc), 'remote');
  return other;
}

/** Sends what `from` has and `to` lacks (a remote update on `to`). */
const sync = (from: Y.Doc, to: Y.Doc) =>
  Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)), 'remote');

function store(doc: Y.Doc, extra: Partial<BoardStoreOptions> = {}): BoardStoreHandle {
  const s = createBoardStore({
    doc,
    userId: ALICE,
    clock,
    origin: { kind: 'local', actor: ALICE },
    captureTimeout: 0,
    ...extra,
  });
  open.push(s);
  return s;
}

const settle = () => new Promise<void>((r) => queueMicrotask(r));
const colleague = (actor = BOB): BoardOpContext => ({
  actor,
  now,
  origin: { kind: 'local', actor },
});
const columnIds = (s: BoardStoreHandle) => s.store.getState().board!.columns.map((c) => c.id);
const firstColumn = (s: BoardStoreHandle) => columnIds(s)[0]!;
const must = <T extends { ok: boolean }>(r: T): Extract<T, { ok: true }> => {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r)}`);
  return r as Extract<T, { ok: true }>;
};

describe('board store: the view', () => {
  it('is not ready until the doc holds a seeded board, then shows its columns as lanes', async () => {
    const empty = new Y.Doc();
    const s = store(empty);
    expect(s.store.getState().ready).toBe(false);
    expect(s.store.getState().board).toBeNull();
    expect(s.store.getState().lanes).toEqual([]);
    Y.applyUpdate(empty, Y.encodeStateAsUpdate(seeded()), 'remote');
    await settle();
    const state = s.store.getState();
    expect(state.ready).toBe(true);
    expect(state.board!.meta.title).toBe('Huddle');
    expect(state.lanes.map((l) => l.title)).toEqual(state.board!.columns.map((c) => c.title));
  });

  it('filters cards by text and mine, and shows them all again when the filter is cleared', async () => {
    const doc = seeded();
    const s = store(doc);
    const col = firstColumn(s);
    must(s.store.getState().addCard(col, 'Order gloves'));
    must(addCard(doc, { column: col, title: 'Fix the printer' }, colleague()));
    await settle();
    s.store.getState().setFilter({ text: 'GLOVES' });
    expect(s.store.getState().filtering).toBe(true);
    expect(s.store.getState().lanes[0]!.cards.map((c) => c.title)).toEqual(['Order gloves']);
    s.store.getState().setFilter({ text: undefined, mine: true });
    expect(s.store.getState().filter).toEqual({ mine: true });
    expect(s.store.getState().lanes[0]!.cards.map((c) => c.title)).toEqual(['Order gloves']);
    s.store.getState().clearFilter();
    expect(s.store.getState().filtering).toBe(false);
    expect(s.store.getState().lanes[0]!.cards).toHaveLength(2);
  });

  it('shows the open card with its comments, and follows its changes', async () => {
    const doc = seeded();
    const s = store(doc);
    const { id } = must(s.store.getState().addCard(firstColumn(s), 'Call the lab'));
    must(s.store.getState().addComment(id, 'Done at 10'));
    s.store.getState().openCard(id);
    let detail = s.store.getState().detail!;
    expect(detail.card.title).toBe('Call the lab');
    expect(detail.comments.map((c) => [c.text, c.author])).toEqual([['Done at 10', ALICE]]);
    must(s.store.getState().setCardText(id, 'body', 'ask for Marc'));
    await settle();
    detail = s.store.getState().detail!;
    expect(detail.card.body).toBe('ask for Marc');
    s.store.getState().openCard(null);
    expect(s.store.getState().detail).toBeNull();
  });
});

describe('board store: identity', () => {
  it('keeps unchanged cards and lanes as the same objects when another card changes', async () => {
    const doc = seeded();
    const s = store(doc);
    const [c1, c2] = columnIds(s);
    const x = must(s.store.getState().addCard(c1!, 'x')).id;
    must(s.store.getState().addCard(c2!, 'y'));
    await settle();
    const before = s.store.getState();
    must(s.store.getState().setCardText(x, 'body', 'changed'));
    await settle();
    const after = s.store.getState();
    expect(after.lanes[0]!.cards[0]!.body).toBe('changed');
    expect(after.lanes[0]).not.toBe(before.lanes[0]);
    expect(after.lanes[1]).toBe(before.lanes[1]);
    expect(after.board!.labels).toBe(before.board!.labels);
  });

  it('publishes nothing for a change that changes no view', async () => {
    const doc = seeded();
    const s = store(doc);
    await settle();
    let published = 0;
    s.store.subscribe(() => published++);
    doc.getMap('elsewhere').set('x', 1);
    await settle();
    expect(published).toBe(0);
  });

  it('shareEqual matches array items by id', () => {
    const a = { id: 'a', n: [1] };
    const b = { id: 'b', n: [2] };
    const shared = shareEqual(
      [a, b],
      [
        { id: 'b', n: [2] },
        { id: 'a', n: [1] },
      ],
    );
    expect(shared[0]).toBe(b);
    expect(shared[1]).toBe(a);
    expect(
      shareEqual(
        [a, b],
        [
          { id: 'a', n: [1] },
          { id: 'b', n: [2] },
        ],
      ),
    ).toEqual([a, b]);
    const changed = shareEqual(a, { id: 'a', n: [3] });
    expect(changed).not.toBe(a);
    expect(changed).toEqual({ id: 'a', n: [3] });
  });
});

describe('board store: actions', () => {
  it('moves a card by index, votes once per person, and answers codes for bad input', async () => {
    const doc = seeded();
    const s = store(doc);
    const a = s.store.getState();
    const [c1, c2] = columnIds(s);
    const x = must(a.addCard(c1!, 'x')).id;
    const y = must(a.addCard(c1!, 'y')).id;
    must(a.moveCard(y, c1!, 0));
    await settle();
    expect(s.store.getState().lanes[0]!.cards.map((c) => c.id)).toEqual([y, x]);
    must(a.moveCard(x, c2!, 0));
    must(a.toggleVote(y));
    must(a.toggleVote(y));
    must(a.vote(y));
    must(a.vote(y));
    await settle();
    const state = s.store.getState();
    expect(state.lanes[1]!.cards.map((c) => c.id)).toEqual([x]);
    const card = state.lanes[0]!.cards[0]!;
    expect([card.votes, card.votedByMe]).toEqual([[ALICE], true]);
    expect(a.addCard(c1!, '   ')).toMatchObject({ ok: false, code: 'invalid-argument' });
    expect(a.moveCard('nope', c1!, 0)).toMatchObject({ ok: false, code: 'not-found' });
    expect(a.setDue(x, '2026-02-30')).toMatchObject({ ok: false, code: 'invalid-argument' });
  });

  it('binds a card title as a Y.Text and edits it with our origin', async () => {
    const doc = seeded();
    const s = store(doc);
    const id = must(s.store.getState().addCard(firstColumn(s), 'Gloves')).id;
    const text = s.store.getState().textOf(id, 'title')!;
    expect(text.toString()).toBe('Gloves');
    must(s.store.getState().editText(id, 'title', (t) => t.insert(0, 'Nitrile ')));
    await settle();
    expect(s.store.getState().lanes[0]!.cards[0]!.title).toBe('Nitrile Gloves');
    expect(s.store.getState().canUndo).toBe(true);
    expect(s.store.getState().textOf('nope', 'body')).toBeNull();
    expect(s.store.getState().editText('nope', 'body', () => {})).toMatchObject({
      ok: false,
      code: 'not-found',
    });
  });

  it('refuses every change on a read-only (archived) board', () => {
    const doc = seeded();
    let archived = false;
    const s = store(doc, { readOnly: () => archived });
    const col = firstColumn(s);
    const id = must(s.store.getState().addCard(col, 'x')).id;
    archived = true;
    s.refresh();
    const a = s.store.getState();
    expect(a.readOnly).toBe(true);
    const before = Y.encodeStateVector(doc);
    expect(a.addCard(col, 'y')).toEqual({ ok: false, code: 'read-only' });
    expect(a.vote(id)).toEqual({ ok: false, code: 'read-only' });
    expect(a.editText(id, 'title', (t) => t.insert(0, '!'))).toEqual({
      ok: false,
      code: 'read-only',
    });
    a.undo();
    expect(Y.encodeStateVector(doc)).toEqual(before);
  });
});

describe('board store: undo and redo', () => {
  it('undoes and redoes our own steps in order, one per action', async () => {
    const doc = seeded();
    const s = store(doc);
    const [c1, c2] = columnIds(s);
    const id = must(s.store.getState().addCard(c1!, 'x')).id;
    must(s.store.getState().moveCard(id, c2!, 0));
    must(s.store.getState().vote(id));
    await settle();
    const card = () => s.store.getState().board!.cards.find((c) => c.id === id);
    expect(card()).toMatchObject({ column: c2, votedByMe: true });
    s.store.getState().undo();
    await settle();
    expect(card()).toMatchObject({ column: c2, votedByMe: false });
    s.store.getState().undo();
    await settle();
    expect(card()).toMatchObject({ column: c1 });
    s.store.getState().redo();
    await settle();
    expect(card()).toMatchObject({ column: c2, votedByMe: false });
    expect(s.store.getState()).toMatchObject({ canUndo: true, canRedo: true });
  });

  it('undoes adding a card by archiving it (never a hard delete), and redo restores it', async () => {
    const doc = seeded();
    const s = store(doc);
    const id = must(s.store.getState().addCard(firstColumn(s), 'x')).id;
    const card = boardRoots(doc).cards.get(id)!;
    s.store.getState().undo();
    await settle();
    expect(boardRoots(doc).cards.get(id)).toBe(card);
    expect(card.get('createdBy')).toBe(ALICE);
    expect(s.store.getState().board!.archivedCards.map((c) => c.id)).toEqual([id]);
    s.store.getState().redo();
    await settle();
    expect(s.store.getState().board!.cards.map((c) => c.id)).toEqual([id]);
    expect(s.store.getState().canRedo).toBe(false);
  });

  it("keeps a colleague's concurrent edit of the same title when we undo ours", async () => {
    const doc = seeded();
    const s = store(doc);
    const id = must(s.store.getState().addCard(firstColumn(s), 'Gloves')).id;
    const theirs = replica(doc);
    // We append, they prepend, at the same time.
    must(s.store.getState().editText(id, 'title', (t) => t.insert(t.length, ' size M')));
    must(setCardText(theirs, { cardId: id, field: 'title', text: 'Nitrile Gloves' }, colleague()));
    sync(theirs, doc);
    sync(doc, theirs);
    expect(boardRoots(doc).cards.get(id)!.get('title')!.toString()).toBe('Nitrile Gloves size M');
    s.store.getState().undo();
    await settle();
    expect(s.store.getState().board!.cards[0]!.title).toBe('Nitrile Gloves');
    // Undo never touches what we did not do: their vote stays too.
    must(vote(theirs, { cardId: id }, colleague()));
    sync(theirs, doc);
    s.store.getState().undo(); // our "add card": archived, their vote kept
    await settle();
    const archived = s.store.getState().board!.archivedCards[0]!;
    expect([archived.id, archived.votes]).toEqual([id, [BOB]]);
    expect(s.store.getState().canUndo).toBe(false);
  });

  it('a new change after an undo drops the redo', async () => {
    const doc = seeded();
    const s = store(doc);
    const id = must(s.store.getState().addCard(firstColumn(s), 'x')).id;
    must(s.store.getState().vote(id));
    s.store.getState().undo();
    expect(s.store.getState().canRedo).toBe(true);
    must(s.store.getState().setDue(id, '2026-12-03'));
    expect(s.store.getState().canRedo).toBe(false);
  });
});

describe('board store: moved by someone else', () => {
  it("records a colleague's move of a card with who did it, then forgets it", async () => {
    const doc = seeded();
    const claire: MoveAuthor = { id: BOB, name: 'Claire', color: '#1f77b4' };
    const asked: [string, number][] = [];
    const s = store(doc, {
      whoMoved: (cardId, clientId) => {
        asked.push([cardId, clientId]);
        return claire;
      },
    });
    const [c1, c2] = columnIds(s);
    const id = must(s.store.getState().addCard(c1!, 'x')).id;
    const theirs = replica(doc);
    must(moveCard(theirs, { cardId: id, column: c2!, index: 0 }, colleague()));
    sync(theirs, doc);
    await settle();
    expect(s.store.getState().moves).toMatchObject([{ cardId: id, by: claire, from: c1, to: c2 }]);
    expect(asked).toEqual([[id, theirs.clientID]]);
    // Our own moves are not news.
    must(s.store.getState().moveCard(id, c1!, 0));
    await settle();
    expect(s.store.getState().moves).toHaveLength(1);
    now += MOVE_SHOWN_MS + 1;
    s.refresh();
    expect(s.store.getState().moves).toEqual([]);
  });

  it('says nobody when it cannot tell, and nothing before the board is live', async () => {
    const doc = seeded();
    let live = false;
    const s = store(doc, { live: () => live });
    const [c1, c2] = columnIds(s);
    const id = must(s.store.getState().addCard(c1!, 'x')).id;
    const theirs = replica(doc);
    must(moveCard(theirs, { cardId: id, column: c2!, index: 0 }, colleague()));
    sync(theirs, doc);
    await settle();
    expect(s.store.getState().moves).toEqual([]);
    live = true;
    must(moveCard(theirs, { cardId: id, column: c1!, index: 0 }, colleague()));
    sync(theirs, doc);
    await settle();
    expect(s.store.getState().moves).toMatchObject([{ cardId: id, by: null, from: c2, to: c1 }]);
    s.store.getState().dismissMove(s.store.getState().moves[0]!.id);
    expect(s.store.getState().moves).toEqual([]);
  });
});
