import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { boardView, canonicalBoardJson, cardView, UNSORTED_LANE, type CardView } from './derive.js';
import { filterCards, foldText } from './filter.js';
import * as ops from './ops.js';
import { boardRoots } from './schema.js';
import { ctxOf, fork, must, replica, seededBoard, T0, TODAY } from './test-support/fixtures.js';

const alice = ctxOf('alice');
const bob = ctxOf('bob');

describe('B14: boardView', () => {
  it('B14: is frozen, canonical, and equal on replicas that received updates in another order', () => {
    const base = seededBoard('ideas', 1);
    const a = fork(base, 2);
    const b = fork(base, 3);
    const updates: Uint8Array[] = [];
    a.on('update', (u: Uint8Array) => updates.push(u));
    for (const title of ['Self check-in kiosk', 'SMS reminders', 'Water fountain'])
      must(ops.addCard(a, { column: 'ideas', title }, alice));
    must(ops.addLabel(a, { name: 'Zeta', color: '#111111' }, alice));
    must(ops.addLabel(a, { name: 'alpha', color: '#222222' }, alice));
    for (const u of [...updates].reverse()) Y.applyUpdate(b, u);
    const va = boardView(a, 'alice');
    const vb = boardView(b, 'alice');
    expect(vb).toEqual(va);
    expect(JSON.stringify(vb)).toBe(JSON.stringify(va));
    expect(canonicalBoardJson(a)).toBe(canonicalBoardJson(b));
    expect(Object.isFrozen(va)).toBe(true);
    expect(Object.isFrozen(va.lanes[0]!.cards)).toBe(true);
    expect(Object.isFrozen(va.cards[0]!.votes)).toBe(true);
    expect(va.labels.map((l) => l.name).slice(0, 2)).toEqual(['alpha', 'Needs budget']);
  });

  it('B14: every active card is in exactly one lane; archived ones are listed for restore', () => {
    const doc = seededBoard();
    const ids = ['A', 'B', 'C', 'D'].map(
      (title) => must(ops.addCard(doc, { column: 'todo', title }, alice)).cardId,
    );
    must(ops.moveCard(doc, { cardId: ids[1]!, column: 'doing' }, alice));
    must(ops.archiveCard(doc, { cardId: ids[2]! }, ctxOf('alice', T0 + 1)));
    must(ops.moveCard(doc, { cardId: ids[3]!, column: 'done' }, alice));
    must(ops.archiveColumn(doc, { columnId: 'done' }, alice));
    const view = boardView(doc, 'alice');
    const inLanes = view.lanes.flatMap((l) => l.cards.map((c) => c.id));
    expect(inLanes.sort()).toEqual([ids[0], ids[1], ids[3]].sort());
    expect(view.cards.map((c) => c.id)).toEqual(
      view.lanes.flatMap((l) => l.cards.map((c) => c.id)),
    );
    expect(view.cardCount).toBe(3);
    expect(view.archivedCards.map((c) => c.id)).toEqual([ids[2]]);
    const unsorted = view.lanes.find((l) => l.id === UNSORTED_LANE)!;
    expect(unsorted.cards.map((c) => [c.id, c.column, c.lane])).toEqual([
      [ids[3], 'done', UNSORTED_LANE],
    ]);
  });

  it('B14: given the previous view, unchanged cards, lanes and columns keep their identity', () => {
    const doc = seededBoard();
    const [a, b] = ['A', 'B'].map(
      (title) => must(ops.addCard(doc, { column: 'todo', title }, alice)).cardId,
    );
    must(ops.addCard(doc, { column: 'doing', title: 'C' }, alice));
    const first = boardView(doc, 'alice');
    expect(boardView(doc, 'alice', first)).toBe(first);
    must(ops.vote(doc, { cardId: a! }, alice));
    const second = boardView(doc, 'alice', first);
    expect(second).not.toBe(first);
    expect(second).toEqual(boardView(doc, 'alice'));
    expect(Object.isFrozen(second)).toBe(true);
    const card = (v: typeof first, id: string) => v.cards.find((c) => c.id === id)!;
    expect(card(second, a!)).not.toBe(card(first, a!));
    expect(card(second, a!).votedByMe).toBe(true);
    expect(card(second, b!)).toBe(card(first, b!));
    expect(second.lanes[1]).toBe(first.lanes[1]);
    expect(second.lanes[0]).not.toBe(first.lanes[0]);
    expect(second.columns).toBe(first.columns);
    expect(second.labels).toBe(first.labels);
    must(ops.moveCard(doc, { cardId: b!, column: 'done' }, alice));
    const third = boardView(doc, 'alice', second);
    expect(third.lanes[0]!.cards[0]).toBe(card(second, a!));
    expect(third.lanes[2]!.cards.map((c) => c.id)).toEqual([b]);
  });

  it('B14: an unseeded doc gives an empty view, not a crash', () => {
    const view = boardView(replica(1), 'alice');
    expect(view.seeded).toBe(false);
    expect(view.lanes).toEqual([]);
  });

  it('B14: malformed records are skipped or defaulted, never thrown on', () => {
    const doc = seededBoard();
    const roots = boardRoots(doc);
    roots.cards.set('plain', 'not a map' as never);
    roots.columns.set('weird', 5 as never);
    roots.labels.set('bad', 'x');
    roots.comments.set('c1', { cardId: 'x', text: 3, author: 'a', at: 1 });
    const card = new Y.Map<unknown>();
    roots.cards.set('half', card);
    card.set('column', 'todo');
    const view = boardView(doc, 'alice');
    expect(view.cards.map((c) => [c.id, c.title, c.order])).toEqual([['half', '', '']]);
    expect(view.columns.map((c) => c.id)).toEqual(['todo', 'doing', 'done']);
  });

  it('B14: votes and comment counts per card, votedByMe for the viewer', () => {
    const doc = seededBoard();
    const id = must(ops.addCard(doc, { column: 'todo', title: 'A' }, alice)).cardId;
    must(ops.vote(doc, { cardId: id }, bob));
    must(ops.addComment(doc, { cardId: id, text: 'yes' }, bob));
    expect(cardView(doc, id, 'bob')).toMatchObject({
      votes: ['bob'],
      votedByMe: true,
      commentCount: 1,
    });
    expect(cardView(doc, id, 'alice')).toMatchObject({ votedByMe: false });
    expect(cardView(doc, 'nope', 'alice')).toBeNull();
  });
});

describe('B15: filterCards', () => {
  const card = (over: Partial<CardView>): CardView => ({
    id: 'x',
    column: 'todo',
    lane: 'todo',
    order: 'V',
    title: '',
    body: '',
    createdBy: 'zoe',
    createdAt: 0,
    assignees: [],
    labels: [],
    checklist: [],
    votes: [],
    votedByMe: false,
    commentCount: 0,
    ...over,
  });
  const cards = [
    card({ id: 'mine', createdBy: 'alice', title: 'Échographe en panne' }),
    card({ id: 'assigned', assignees: ['alice', 'bob'], due: '2026-03-09', labels: ['urgent'] }),
    card({ id: 'today', due: TODAY, body: 'Rappeler le fournisseur' }),
    card({ id: 'week', due: '2026-03-16' }),
    card({ id: 'later', due: '2026-03-17', title: 'ECHO training' }),
    card({ id: 'none' }),
  ];
  const ids = (filter: Parameters<typeof filterCards>[1]) =>
    filterCards(cards, filter, 'alice', TODAY).map((c) => c.id);

  it('B15: an empty filter keeps everything, in order', () => {
    expect(filterCards(cards, {}, 'alice', TODAY)).toBe(cards);
    expect(ids({ text: '  ' })).toHaveLength(cards.length);
  });
  it('B15: mine = created by or assigned to the viewer', () => {
    expect(ids({ mine: true })).toEqual(['mine', 'assigned']);
  });
  it('B15: by assignee and by label', () => {
    expect(ids({ assignee: 'bob' })).toEqual(['assigned']);
    expect(ids({ label: 'urgent' })).toEqual(['assigned']);
  });
  it('B15: by due date: overdue, today, this week, none', () => {
    expect(ids({ due: 'overdue' })).toEqual(['assigned']);
    expect(ids({ due: 'today' })).toEqual(['today']);
    expect(ids({ due: 'week' })).toEqual(['today', 'week']);
    expect(ids({ due: 'none' })).toEqual(['mine', 'none']);
  });
  it('B15: text search over title and body ignores case and accents, all words must match', () => {
    expect(ids({ text: 'echo' })).toEqual(['mine', 'later']);
    expect(ids({ text: 'ÉCHO panne' })).toEqual(['mine']);
    expect(ids({ text: 'fournisseur' })).toEqual(['today']);
    expect(foldText('  Ça Déménage ')).toBe('ca demenage');
  });
  it('B15: criteria combine', () => {
    expect(ids({ mine: true, due: 'overdue', text: '' })).toEqual(['assigned']);
  });
});
