import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { boardView, cardComments, cardView } from './derive.js';
import { BOARD_ERROR_CODES, BoardError } from './errors.js';
import * as ops from './ops.js';
import { boardRoots, voteKey } from './schema.js';
import {
  codeOf,
  ctxOf,
  fork,
  must,
  replica,
  seededBoard,
  sync,
  T0,
} from './test-support/fixtures.js';

const alice = ctxOf('alice');
const bob = ctxOf('bob');

const laneTitles = (doc: Y.Doc, lane: string): string[] =>
  boardView(doc, 'alice')
    .lanes.find((l) => l.id === lane)
    ?.cards.map((c) => c.title) ?? [];

function addCards(doc: Y.Doc, column: string, titles: string[]): string[] {
  return titles.map((title) => must(ops.addCard(doc, { column, title }, alice)).cardId);
}

/** Every op with arguments that are fine except for what the test changes. */
describe('B2: every operation validates, writes one transaction with the origin, and never throws', () => {
  it('B2: refuses an unseeded doc with not-seeded and writes nothing', () => {
    const doc = replica(1);
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    expect(codeOf(ops.addColumn(doc, { title: 'X' }, alice))).toBe('not-seeded');
    expect(codeOf(ops.addCard(doc, { column: 'todo', title: 'X' }, alice))).toBe('not-seeded');
    expect(codeOf(ops.vote(doc, { cardId: 'a' }, alice))).toBe('not-seeded');
    expect(updates).toHaveLength(0);
  });

  it('B2: refuses a doc of a newer schema with unsupported-schema', () => {
    const doc = seededBoard();
    boardRoots(doc).meta.set('schemaVersion', 2);
    expect(codeOf(ops.addColumn(doc, { title: 'X' }, alice))).toBe('unsupported-schema');
  });

  it('B2: an operation is one transaction whose origin is ctx.origin', () => {
    const doc = seededBoard();
    const origins: unknown[] = [];
    doc.on('afterTransaction', (t: Y.Transaction) => origins.push(t.origin));
    const cardId = must(
      ops.addCard(doc, { column: 'todo', title: 'Order gloves', body: 'size M' }, alice),
    ).cardId;
    must(ops.moveCard(doc, { cardId, column: 'doing' }, alice));
    expect(origins).toEqual([alice.origin, alice.origin]);
  });

  it('B2: bad input gets a typed error and writes nothing', () => {
    const doc = seededBoard();
    const cardId = addCards(doc, 'todo', ['Card'])[0]!;
    const before = Y.encodeStateVector(doc);
    const bad: [string, { ok: boolean }][] = [
      ['long title', ops.addCard(doc, { column: 'todo', title: 'x'.repeat(201) }, alice)],
      ['empty title', ops.addCard(doc, { column: 'todo', title: '   ' }, alice)],
      [
        'long body',
        ops.addCard(doc, { column: 'todo', title: 'ok', body: 'x'.repeat(10_001) }, alice),
      ],
      ['bad column id', ops.addCard(doc, { column: 'Not An Id', title: 'ok' }, alice)],
      [
        'title not text',
        ops.addCard(doc, { column: 'todo', title: 42 as unknown as string }, alice),
      ],
      ['bad due', ops.setDue(doc, { cardId, due: '2026-02-30' }, alice)],
      ['bad due format', ops.setDue(doc, { cardId, due: '10/03/2026' }, alice)],
      ['bad colour', ops.addColumn(doc, { title: 'X', color: 'red' }, alice)],
      ['bad label colour', ops.addLabel(doc, { name: 'X', color: '#12345' }, alice)],
      ['long label', ops.addLabel(doc, { name: 'x'.repeat(41), color: '#123456' }, alice)],
      ['long comment', ops.addComment(doc, { cardId, text: 'x'.repeat(2_001) }, alice)],
      ['negative index', ops.moveCard(doc, { cardId, column: 'todo', index: -1 }, alice)],
      ['fractional index', ops.moveColumn(doc, { columnId: 'todo', index: 1.5 }, alice)],
      ['bad field', ops.setCardText(doc, { cardId, field: 'due' as 'title', text: 'x' }, alice)],
      ['bad assignee', ops.toggleAssignee(doc, { cardId, userId: 'a b' }, alice)],
      ['bad actor', ops.vote(doc, { cardId }, { ...alice, actor: 'x y' })],
    ];
    for (const [what, result] of bad) {
      expect(result.ok, what).toBe(false);
      const error = (result as unknown as { error: unknown }).error;
      expect(error, what).toBeInstanceOf(BoardError);
      expect(BOARD_ERROR_CODES, what).toContain((error as BoardError).code);
      expect((error as BoardError).code, what).toBe('invalid-argument');
    }
    expect(Y.encodeStateVector(doc)).toEqual(before);
  });

  it('B2: a lone surrogate is stored as U+FFFD, so the writer reads what every replica reads', () => {
    const one = seededBoard('blank', 1);
    const two = fork(one, 2);
    const cardId = must(ops.addCard(one, { column: 'todo', title: 'a\uD83D b' }, alice)).cardId;
    must(ops.setCardText(one, { cardId, field: 'body', text: 'x\uDE00y' }, alice));
    must(ops.addComment(one, { cardId, text: '\uD83D' }, alice));
    sync(one, two);
    for (const doc of [one, two]) {
      expect(cardView(doc, cardId, 'alice')).toMatchObject({
        title: 'a\uFFFD b',
        body: 'x\uFFFDy',
      });
      expect(cardComments(doc, cardId)[0]!.text).toBe('\uFFFD');
    }
  });

  it('B2: a call from untyped code without args, context or doc gets invalid-argument', () => {
    const doc = seededBoard();
    const loose = ops as unknown as Record<string, (d: unknown, a: unknown, c: unknown) => unknown>;
    for (const [name, op] of Object.entries(loose)) {
      for (const [d, a, c] of [
        [doc, undefined, alice],
        [doc, null, alice],
        [doc, {}, undefined],
        [{}, {}, alice],
        [doc, {}, alice],
        [doc, { cardId: 7, column: [], title: {}, text: null, index: 'x', on: 'yes' }, alice],
      ])
        expect(codeOf(op(d, a, c) as { ok: boolean }), name).not.toBe('ok');
    }
  });

  it('B2: on and done must be booleans', () => {
    const doc = seededBoard();
    const cardId = addCards(doc, 'todo', ['A'])[0]!;
    const on = 'yes' as unknown as boolean;
    expect(codeOf(ops.toggleAssignee(doc, { cardId, userId: 'bob', on }, alice))).toBe(
      'invalid-argument',
    );
    expect(codeOf(ops.toggleCardLabel(doc, { cardId, labelId: 'x', on }, alice))).toBe(
      'invalid-argument',
    );
    const itemId = must(ops.addChecklistItem(doc, { cardId, text: 'x' }, alice)).itemId;
    expect(codeOf(ops.toggleChecklistItem(doc, { cardId, itemId, done: on }, alice))).toBe(
      'invalid-argument',
    );
  });

  it('B2: unknown ids get not-found', () => {
    const doc = seededBoard();
    expect(codeOf(ops.renameColumn(doc, { columnId: 'nope', title: 'X' }, alice))).toBe(
      'not-found',
    );
    expect(codeOf(ops.moveCard(doc, { cardId: 'nope', column: 'todo' }, alice))).toBe('not-found');
    expect(codeOf(ops.archiveCard(doc, { cardId: 'nope' }, alice))).toBe('not-found');
    expect(codeOf(ops.renameLabel(doc, { labelId: 'nope', name: 'X' }, alice))).toBe('not-found');
    expect(codeOf(ops.editComment(doc, { commentId: 'nope', text: 'X' }, alice))).toBe('not-found');
    expect(codeOf(ops.vote(doc, { cardId: 'nope' }, alice))).toBe('not-found');
    expect(codeOf(ops.addCard(doc, { column: 'nope', title: 'X' }, alice))).toBe('not-found');
  });
});

describe('B1: nested types are created with their parent', () => {
  it('B1: a new card carries its texts, assignees, labels and checklist from its first update', () => {
    const doc = seededBoard('huddle');
    const other = fork(doc, 2);
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    const cardId = must(
      ops.addCard(
        doc,
        {
          column: 'safety',
          title: 'Wet floor',
          body: 'by the lift',
          assignees: ['bob'],
          labels: ['urgent'],
          due: '2026-03-11',
        },
        alice,
      ),
    ).cardId;
    expect(updates).toHaveLength(1);
    Y.applyUpdate(other, updates[0]!);
    const card = cardView(other, cardId, 'bob')!;
    expect(card).toMatchObject({
      title: 'Wet floor',
      body: 'by the lift',
      assignees: ['bob'],
      labels: ['urgent'],
      due: '2026-03-11',
      createdBy: 'alice',
      createdAt: T0,
      checklist: [],
    });
    const map = boardRoots(other).cards.get(cardId)!;
    expect(map.get('title')).toBeInstanceOf(Y.Text);
    expect(map.get('checklist')).toBeInstanceOf(Y.Map);
  });
});

describe('columns', () => {
  it('B5: adds a column at an index and moves it', () => {
    const doc = seededBoard();
    const { columnId } = must(
      ops.addColumn(doc, { title: ' Blocked ', color: '#aa0000', index: 1 }, alice),
    );
    expect(boardView(doc, 'alice').columns.map((c) => c.title)).toEqual([
      'To do',
      'Blocked',
      'Doing',
      'Done',
    ]);
    must(ops.moveColumn(doc, { columnId, index: 3 }, alice));
    expect(boardView(doc, 'alice').columns.map((c) => c.id)).toEqual([
      'todo',
      'doing',
      'done',
      columnId,
    ]);
    must(ops.moveColumn(doc, { columnId, index: 0 }, alice));
    expect(boardView(doc, 'alice').columns[0]).toMatchObject({ id: columnId, color: '#aa0000' });
  });

  it('renames a column and sets or clears its colour', () => {
    const doc = seededBoard();
    must(ops.renameColumn(doc, { columnId: 'todo', title: 'Backlog' }, alice));
    must(ops.setColumnColor(doc, { columnId: 'todo', color: '#00ff00' }, alice));
    expect(boardView(doc, 'alice').columns[0]).toMatchObject({
      title: 'Backlog',
      color: '#00ff00',
    });
    must(ops.setColumnColor(doc, { columnId: 'todo', color: null }, alice));
    expect(boardView(doc, 'alice').columns[0]!.color).toBeNull();
  });

  it('B6: archiving a column sends its cards to Unsorted, restoring brings them back', () => {
    const doc = seededBoard();
    addCards(doc, 'doing', ['A', 'B']);
    expect(must(ops.archiveColumn(doc, { columnId: 'doing' }, alice)).changed).toBe(true);
    expect(must(ops.archiveColumn(doc, { columnId: 'doing' }, alice)).changed).toBe(false);
    const view = boardView(doc, 'alice');
    expect(view.columns.map((c) => c.id)).toEqual(['todo', 'done']);
    expect(view.archivedColumns.map((c) => c.id)).toEqual(['doing']);
    expect(view.lanes.at(-1)).toMatchObject({ id: 'unsorted', unsorted: true });
    expect(laneTitles(doc, 'unsorted')).toEqual(['A', 'B']);
    expect(codeOf(ops.addCard(doc, { column: 'doing', title: 'C' }, alice))).toBe('archived');
    expect(codeOf(ops.moveColumn(doc, { columnId: 'doing', index: 0 }, alice))).toBe('archived');
    must(ops.restoreColumn(doc, { columnId: 'doing' }, alice));
    expect(laneTitles(doc, 'doing')).toEqual(['A', 'B']);
    expect(boardView(doc, 'alice').lanes.some((l) => l.unsorted)).toBe(false);
  });
});

describe('cards', () => {
  it('B4: a card moves by setting column and order in one transaction, never delete + insert', () => {
    const doc = seededBoard();
    const [a, b, c] = addCards(doc, 'todo', ['A', 'B', 'C']);
    const map = boardRoots(doc).cards.get(a!)!;
    const events: string[] = [];
    boardRoots(doc).cards.observe((e) => events.push(...e.keysChanged));
    let transactions = 0;
    doc.on('afterTransaction', () => transactions++);
    must(ops.moveCard(doc, { cardId: a!, column: 'doing' }, alice));
    expect(transactions).toBe(1);
    expect(events).toEqual([]); // the cards map itself did not change: no delete, no insert
    expect(boardRoots(doc).cards.get(a!)).toBe(map);
    expect(laneTitles(doc, 'todo')).toEqual(['B', 'C']);
    must(ops.moveCard(doc, { cardId: c!, column: 'todo', index: 0 }, alice));
    expect(laneTitles(doc, 'todo')).toEqual(['C', 'B']);
    must(ops.moveCard(doc, { cardId: a!, column: 'todo', index: 1 }, alice));
    expect(laneTitles(doc, 'todo')).toEqual(['C', 'A', 'B']);
    must(ops.moveCard(doc, { cardId: b!, column: 'todo', index: 99 }, alice));
    expect(laneTitles(doc, 'todo')).toEqual(['C', 'A', 'B']);
  });

  it('B4: a move to where the card already is writes nothing', () => {
    const doc = seededBoard();
    const [a, b] = addCards(doc, 'todo', ['A', 'B']);
    const before = Y.encodeStateVector(doc);
    expect(must(ops.moveCard(doc, { cardId: a!, column: 'todo', index: 0 }, alice)).changed).toBe(
      false,
    );
    expect(must(ops.moveCard(doc, { cardId: b!, column: 'todo' }, alice)).changed).toBe(false);
    expect(must(ops.moveColumn(doc, { columnId: 'doing', index: 1 }, alice)).changed).toBe(false);
    expect(Y.encodeStateVector(doc)).toEqual(before);
    expect(must(ops.moveCard(doc, { cardId: a!, column: 'todo', index: 1 }, alice)).changed).toBe(
      true,
    );
    expect(laneTitles(doc, 'todo')).toEqual(['B', 'A']);
  });

  it('B4: two replicas moving the same card at once agree on one place', () => {
    const one = seededBoard('blank', 1);
    const [a] = addCards(one, 'todo', ['A', 'B']);
    const two = fork(one, 2);
    must(ops.moveCard(one, { cardId: a!, column: 'doing' }, alice));
    must(ops.moveCard(two, { cardId: a!, column: 'done' }, bob));
    sync(one, two);
    const v1 = boardView(one, 'alice');
    expect(v1).toEqual(boardView(two, 'alice'));
    expect(v1.cards.filter((c) => c.id === a)).toHaveLength(1);
    expect(v1.cardCount).toBe(2);
  });

  it('B5: cards inserted offline at the same place get different keys and one order everywhere', () => {
    const one = seededBoard('blank', 1);
    addCards(one, 'todo', ['A', 'B']);
    const two = fork(one, 2);
    const x = must(
      ops.addCard(one, { column: 'todo', title: 'X', index: 1 }, ctxOf('alice', T0, 1)),
    ).cardId;
    const y = must(
      ops.addCard(two, { column: 'todo', title: 'Y', index: 1 }, ctxOf('bob', T0, 2)),
    ).cardId;
    const orderOfCard = (doc: Y.Doc, id: string) => boardRoots(doc).cards.get(id)!.get('order');
    expect(orderOfCard(one, x)).not.toBe(orderOfCard(two, y));
    sync(one, two);
    expect(laneTitles(one, 'todo')).toEqual(laneTitles(two, 'todo'));
    expect(laneTitles(one, 'todo')[0]).toBe('A');
    expect(laneTitles(one, 'todo')[3]).toBe('B');
  });

  it('B5: a card with a malformed order sorts first and moves around it still work', () => {
    const doc = seededBoard();
    const [a, b] = addCards(doc, 'todo', ['A', 'B']);
    boardRoots(doc).cards.get(b!)!.set('order', 42);
    expect(laneTitles(doc, 'todo')).toEqual(['B', 'A']);
    must(ops.moveCard(doc, { cardId: a!, column: 'todo', index: 0 }, alice));
    must(ops.addCard(doc, { column: 'todo', title: 'C', index: 1 }, alice));
    expect(laneTitles(doc, 'todo')).toHaveLength(3);
  });

  it('B6: archive and restore a card; it keeps its place', () => {
    const doc = seededBoard();
    const [, b] = addCards(doc, 'todo', ['A', 'B', 'C']);
    must(ops.archiveCard(doc, { cardId: b! }, alice));
    expect(laneTitles(doc, 'todo')).toEqual(['A', 'C']);
    expect(boardView(doc, 'alice').archivedCards.map((c) => c.id)).toEqual([b]);
    expect(must(ops.restoreCard(doc, { cardId: b! }, alice)).changed).toBe(true);
    expect(must(ops.restoreCard(doc, { cardId: b! }, alice)).changed).toBe(false);
    expect(laneTitles(doc, 'todo')).toEqual(['A', 'B', 'C']);
  });

  it('B6: a card whose column is missing shows in Unsorted and can be moved out of it', () => {
    const doc = seededBoard();
    const [a] = addCards(doc, 'todo', ['A']);
    boardRoots(doc).cards.get(a!)!.set('column', 'gone');
    expect(laneTitles(doc, 'unsorted')).toEqual(['A']);
    expect(codeOf(ops.moveCard(doc, { cardId: a!, column: 'gone' }, alice))).toBe('not-found');
    must(ops.moveCard(doc, { cardId: a!, column: 'done' }, alice));
    expect(laneTitles(doc, 'done')).toEqual(['A']);
  });

  it('B7: an edit concurrent with an archive is kept and shows after restore', () => {
    const one = seededBoard('blank', 1);
    const [a] = addCards(one, 'todo', ['Fix fridge']);
    const two = fork(one, 2);
    must(ops.archiveCard(one, { cardId: a! }, alice));
    must(ops.setCardText(two, { cardId: a!, field: 'title', text: 'Fix vaccine fridge' }, bob));
    must(ops.setDue(two, { cardId: a!, due: '2026-03-12' }, bob));
    sync(one, two);
    expect(boardView(one, 'alice').archivedCards[0]).toMatchObject({
      title: 'Fix vaccine fridge',
      due: '2026-03-12',
    });
    must(ops.restoreCard(two, { cardId: a! }, bob));
    sync(one, two);
    expect(laneTitles(one, 'todo')).toEqual(['Fix vaccine fridge']);
  });

  it('B8: setCardText writes the minimal edit, so concurrent edits of different parts merge', () => {
    const one = seededBoard('blank', 1);
    const cardId = must(
      ops.addCard(
        one,
        { column: 'todo', title: 'Order', body: 'Gloves and masks for room 2' },
        alice,
      ),
    ).cardId;
    const two = fork(one, 2);
    must(
      ops.setCardText(
        one,
        { cardId, field: 'body', text: 'Nitrile gloves and masks for room 2' },
        alice,
      ),
    );
    must(
      ops.setCardText(
        two,
        { cardId, field: 'body', text: 'Gloves and masks for room 2 and 3' },
        bob,
      ),
    );
    sync(one, two);
    expect(cardView(one, cardId, 'alice')!.body).toBe('Nitrile gloves and masks for room 2 and 3');
    expect(cardView(two, cardId, 'bob')!.body).toBe('Nitrile gloves and masks for room 2 and 3');
    expect(
      must(ops.setCardText(one, { cardId, field: 'title', text: 'Order' }, alice)).changed,
    ).toBe(false);
    must(ops.setCardText(one, { cardId, field: 'title', text: '' }, alice));
    expect(cardView(one, cardId, 'alice')!.title).toBe('');
  });

  it('B9: assignees and labels toggle, explicitly or by flipping; due dates set and clear', () => {
    const doc = seededBoard('huddle');
    const [a] = addCards(doc, 'safety', ['A']);
    expect(must(ops.toggleAssignee(doc, { cardId: a!, userId: 'bob' }, alice)).on).toBe(true);
    expect(must(ops.toggleAssignee(doc, { cardId: a!, userId: 'carol', on: true }, alice)).on).toBe(
      true,
    );
    expect(must(ops.toggleAssignee(doc, { cardId: a!, userId: 'carol', on: true }, alice)).on).toBe(
      true,
    );
    expect(must(ops.toggleAssignee(doc, { cardId: a!, userId: 'bob' }, alice)).on).toBe(false);
    must(ops.toggleCardLabel(doc, { cardId: a!, labelId: 'urgent' }, alice));
    expect(codeOf(ops.toggleCardLabel(doc, { cardId: a!, labelId: 'nope', on: true }, alice))).toBe(
      'not-found',
    );
    must(ops.setDue(doc, { cardId: a!, due: '2026-03-31' }, alice));
    let card = cardView(doc, a!, 'alice')!;
    expect(card).toMatchObject({ assignees: ['carol'], labels: ['urgent'], due: '2026-03-31' });
    must(ops.toggleCardLabel(doc, { cardId: a!, labelId: 'urgent', on: false }, alice));
    must(ops.setDue(doc, { cardId: a!, due: null }, alice));
    card = cardView(doc, a!, 'alice')!;
    expect(card.labels).toEqual([]);
    expect(card.due).toBeUndefined();
  });
});

describe('B10: checklist', () => {
  it('B10: adds, edits, ticks, moves and removes items', () => {
    const doc = seededBoard();
    const [a] = addCards(doc, 'todo', ['Open the clinic']);
    const cardId = a!;
    const first = must(ops.addChecklistItem(doc, { cardId, text: 'Lights' }, alice)).itemId;
    const second = must(ops.addChecklistItem(doc, { cardId, text: 'Heating' }, alice)).itemId;
    const third = must(
      ops.addChecklistItem(doc, { cardId, text: 'Kiosk', index: 0 }, alice),
    ).itemId;
    const texts = () => cardView(doc, cardId, 'alice')!.checklist.map((i) => i.text);
    expect(texts()).toEqual(['Kiosk', 'Lights', 'Heating']);
    must(ops.setChecklistItemText(doc, { cardId, itemId: second, text: 'Heating on' }, alice));
    expect(must(ops.toggleChecklistItem(doc, { cardId, itemId: first }, alice)).done).toBe(true);
    expect(
      must(ops.toggleChecklistItem(doc, { cardId, itemId: first, done: true }, alice)).done,
    ).toBe(true);
    must(ops.moveChecklistItem(doc, { cardId, itemId: third, index: 2 }, alice));
    expect(texts()).toEqual(['Lights', 'Heating on', 'Kiosk']);
    expect(cardView(doc, cardId, 'alice')!.checklist[0]!.done).toBe(true);
    must(ops.removeChecklistItem(doc, { cardId, itemId: second }, alice));
    expect(texts()).toEqual(['Lights', 'Kiosk']);
    expect(codeOf(ops.removeChecklistItem(doc, { cardId, itemId: second }, alice))).toBe(
      'not-found',
    );
    expect(codeOf(ops.addChecklistItem(doc, { cardId, text: '' }, alice))).toBe('invalid-argument');
  });
});

describe('labels, comments, votes', () => {
  it('B11: adds and renames a label, keeping its colour unless given', () => {
    const doc = seededBoard();
    const { labelId } = must(ops.addLabel(doc, { name: 'Pharmacy', color: '#123456' }, alice));
    must(ops.renameLabel(doc, { labelId, name: 'Pharmacie' }, alice));
    expect(boardView(doc, 'alice').labels).toEqual([
      { id: labelId, name: 'Pharmacie', color: '#123456' },
    ]);
    must(ops.renameLabel(doc, { labelId, name: 'Pharmacie', color: '#654321' }, alice));
    expect(boardView(doc, 'alice').labels[0]!.color).toBe('#654321');
  });

  it('B12: a comment keeps its author; only the author edits it', () => {
    const doc = seededBoard();
    const [a] = addCards(doc, 'todo', ['A']);
    const { commentId } = must(ops.addComment(doc, { cardId: a!, text: 'I can take it' }, alice));
    expect(codeOf(ops.editComment(doc, { commentId, text: 'Bob takes it' }, bob))).toBe(
      'not-author',
    );
    must(
      ops.editComment(doc, { commentId, text: 'I can take it tomorrow' }, ctxOf('alice', T0 + 5)),
    );
    expect(cardComments(doc, a!)).toEqual([
      {
        id: commentId,
        cardId: a,
        text: 'I can take it tomorrow',
        author: 'alice',
        at: T0,
        editedAt: T0 + 5,
      },
    ]);
    must(ops.addComment(doc, { cardId: a!, text: 'Thanks' }, ctxOf('bob', T0 + 1)));
    expect(cardComments(doc, a!).map((c) => c.author)).toEqual(['alice', 'bob']);
    expect(cardView(doc, a!, 'bob')!.commentCount).toBe(2);
  });

  it('B13: one vote per person per card, even from two devices of the same person', () => {
    const one = seededBoard('blank', 1);
    const [a] = addCards(one, 'todo', ['A']);
    const two = fork(one, 2);
    expect(must(ops.vote(one, { cardId: a! }, alice)).changed).toBe(true);
    expect(must(ops.vote(one, { cardId: a! }, alice)).changed).toBe(false);
    must(ops.vote(two, { cardId: a! }, ctxOf('alice', T0 + 9)));
    must(ops.vote(two, { cardId: a! }, bob));
    sync(one, two);
    const card = cardView(one, a!, 'alice')!;
    expect(card.votes).toEqual(['alice', 'bob']);
    expect(card.votedByMe).toBe(true);
    expect(boardRoots(one).votes.size).toBe(2);
    expect([...boardRoots(one).votes.keys()].sort()).toEqual([
      voteKey(a!, 'alice'),
      voteKey(a!, 'bob'),
    ]);
  });

  it('B13: unvote withdraws only the actor own vote', () => {
    const doc = seededBoard();
    const [a] = addCards(doc, 'todo', ['A']);
    must(ops.vote(doc, { cardId: a! }, alice));
    must(ops.vote(doc, { cardId: a! }, bob));
    expect(must(ops.unvote(doc, { cardId: a! }, bob)).changed).toBe(true);
    expect(must(ops.unvote(doc, { cardId: a! }, bob)).changed).toBe(false);
    expect(cardView(doc, a!, 'bob')).toMatchObject({ votes: ['alice'], votedByMe: false });
  });

  it('B13: malformed vote keys are ignored by the views', () => {
    const doc = seededBoard();
    const [a] = addCards(doc, 'todo', ['A']);
    const votes = boardRoots(doc).votes;
    votes.set(`${a}`, 1);
    votes.set(`${a}:`, 1);
    votes.set(`${a}:bad user`, 1);
    votes.set(`${a}:dave`, 'yesterday');
    votes.set(`${a}:erin`, 5);
    expect(cardView(doc, a!, 'erin')).toMatchObject({ votes: ['erin'], votedByMe: true });
  });
});
