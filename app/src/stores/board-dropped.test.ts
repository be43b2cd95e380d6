import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addCard,
  addChecklistItem,
  addComment,
  boardView,
  moveCard,
  renameColumn,
  seedBoardDoc,
  setCardText,
  setDue,
  toggleAssignee,
  vote,
  type BoardOpContext,
} from '../../../shared/board/index.js';
import { transactionKeys } from '../sync/unsynced.js';
import { boardChangeKey, droppedEdits } from './board-dropped.js';

const T0 = Date.UTC(2026, 11, 2, 9, 0);
const ME = 'alice';
const ctx: BoardOpContext = { actor: ME, now: T0, origin: 'local' };
const must = <T extends { ok: boolean }>(r: T): Extract<T, { ok: true }> => {
  if (!r.ok) throw new Error(JSON.stringify(r));
  return r as Extract<T, { ok: true }>;
};

/** The server's board, and our copy of it with one card both know. */
function boards() {
  const server = new Y.Doc();
  seedBoardDoc(server, { title: 'Retro', template: 'retro', createdBy: ME }, T0);
  const col = boardView(server, ME).columns[0]!.id;
  const cardId = must(addCard(server, { column: col, title: 'Coffee machine' }, ctx)).cardId;
  const mine = new Y.Doc();
  Y.applyUpdate(mine, Y.encodeStateAsUpdate(server));
  return { server, mine, col, cardId };
}

/** The keys a local transaction touched, as openSyncedDoc names them. */
function keysOf(doc: Y.Doc, change: () => void): string[] {
  const keys = new Set<string>();
  const name = boardChangeKey(() => doc);
  const before = Y.encodeStateVector(doc);
  const onTr = (tr: Y.Transaction) => transactionKeys(tr).forEach((k) => keys.add(name(k)));
  doc.on('afterTransaction', onTr);
  change();
  doc.off('afterTransaction', onTr);
  expect(Y.encodeStateVector(doc)).not.toEqual(before);
  return [...keys];
}

describe('board change keys', () => {
  it("names a card's fields, its votes and its comments as that card", () => {
    const { mine, cardId, col } = boards();
    const key = boardChangeKey(() => mine);
    expect(key(`cards/${cardId}`)).toBe(`card:${cardId}`);
    expect(key(`votes/${cardId}:${ME}`)).toBe(`card:${cardId}`);
    const commentId = must(addComment(mine, { cardId, text: 'yes' }, ctx)).commentId;
    expect(key(`comments/${commentId}`)).toBe(`card:${cardId}`);
    expect(key('comments/unknown')).toBe('comment:unknown');
    expect(key(`columns/${col}`)).toBe(`column:${col}`);
    expect(key('meta/title')).toBe('board:meta');
    expect(key('votes/garbage')).toBe('board:votes/garbage');
  });
});

describe('dropped edits', () => {
  it('lists, per card we touched, what the server does not have', () => {
    const { server, mine, col, cardId } = boards();
    const before = boardView(mine, ME);
    const other = before.columns[1]!.id;
    const keys = keysOf(mine, () => {
      must(setCardText(mine, { cardId, field: 'title', text: 'Coffee machine broken' }, ctx));
      must(moveCard(mine, { cardId, column: other, index: 0 }, ctx));
      must(vote(mine, { cardId }, ctx));
      must(addComment(mine, { cardId, text: 'me too' }, ctx));
      must(setDue(mine, { cardId, due: '2026-12-04' }, ctx));
      must(toggleAssignee(mine, { cardId, userId: 'bob' }, ctx));
      must(addChecklistItem(mine, { cardId, text: 'call the vendor' }, ctx));
      must(addCard(mine, { column: col, title: 'New idea' }, ctx));
      must(renameColumn(mine, { columnId: col, title: 'Went really well' }, ctx));
    });
    const dropped = droppedEdits(boardView(mine, ME), boardView(server, ME), keys);
    const newCard = boardView(mine, ME).cards.find((c) => c.title === 'New idea')!;
    expect(dropped).toEqual(
      expect.arrayContaining([
        ...(['text', 'move', 'vote', 'comment', 'assignees', 'due', 'checklist'] as const).map(
          (what) => ({ cardId, columnId: null, title: 'Coffee machine broken', what }),
        ),
        { cardId: newCard.id, columnId: null, title: 'New idea', what: 'card' },
        { cardId: null, columnId: col, title: 'Went really well', what: 'column' },
      ]),
    );
    expect(dropped).toHaveLength(9);
  });

  it('lists nothing for edits the server has after all', () => {
    const { server, mine, cardId } = boards();
    const keys = keysOf(mine, () => must(vote(mine, { cardId }, ctx)));
    Y.applyUpdate(server, Y.encodeStateAsUpdate(mine));
    expect(droppedEdits(boardView(mine, ME), boardView(server, ME), keys)).toEqual([]);
  });
});
