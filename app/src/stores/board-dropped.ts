/**
 * A board's unsynced changes, named as a person counts them, and what was
 * lost of them when the board had to be reloaded from the server (4422).
 *
 * `boardChangeKey` maps where a change lives to what it touched: a card
 * (its fields, its votes, its comments: `card:<id>`), a column
 * (`column:<id>`), a label, the board's meta. `droppedEdits` compares the
 * cards and columns we had touched (those unsynced keys) as we had them
 * with the server's board after the reload: whatever differs was dropped.
 */
import * as Y from 'yjs';
import {
  boardRoots,
  parseVoteKey,
  type BoardView,
  type CardView,
  type ColumnView,
} from '../../../shared/board/index.js';
import type { DroppedEdit, DroppedWhat } from './board-store.js';

/** `changeKey` for `openSyncedDoc`: `cards/<id>`, `votes/<card>:<user>`, `comments/<id>` → `card:<id>`. */
export const boardChangeKey =
  (doc: () => Y.Doc | null) =>
  (where: string): string => {
    const slash = where.indexOf('/');
    const root = slash < 0 ? where : where.slice(0, slash);
    const key = slash < 0 ? '' : where.slice(slash + 1);
    if (root === 'cards' && key) return `card:${key}`;
    if (root === 'columns' && key) return `column:${key}`;
    if (root === 'labels' && key) return `label:${key}`;
    if (root === 'votes') {
      const vote = parseVoteKey(key);
      if (vote) return `card:${vote.cardId}`;
    }
    if (root === 'comments' && key) {
      const d = doc();
      const comment = d ? boardRoots(d).comments.get(key) : undefined;
      const cardId = (comment as { cardId?: unknown } | undefined)?.cardId;
      return typeof cardId === 'string' ? `card:${cardId}` : `comment:${key}`;
    }
    if (root === 'meta') return 'board:meta';
    return `board:${where}`;
  };

const allCards = (view: BoardView): Map<string, CardView> => {
  const out = new Map<string, CardView>();
  for (const c of view.cards) out.set(c.id, c);
  for (const c of view.archivedCards) out.set(c.id, c);
  return out;
};

const allColumns = (view: BoardView): Map<string, ColumnView> => {
  const out = new Map<string, ColumnView>();
  for (const c of view.columns) out.set(c.id, c);
  for (const c of view.archivedColumns) out.set(c.id, c);
  return out;
};

const sameList = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/** What differs between our card and the server's, in the order a person reads a card. */
function cardDifferences(mine: CardView, theirs: CardView): DroppedWhat[] {
  const out: DroppedWhat[] = [];
  if (mine.title !== theirs.title || mine.body !== theirs.body) out.push('text');
  if (mine.column !== theirs.column || mine.order !== theirs.order) out.push('move');
  if ((mine.archivedAt === undefined) !== (theirs.archivedAt === undefined)) out.push('archive');
  if (mine.votedByMe !== theirs.votedByMe) out.push('vote');
  if (mine.commentCount > theirs.commentCount) out.push('comment');
  if (!sameList([...mine.assignees].sort(), [...theirs.assignees].sort())) out.push('assignees');
  if (!sameList([...mine.labels].sort(), [...theirs.labels].sort())) out.push('labels');
  if (mine.due !== theirs.due) out.push('due');
  const items = (c: CardView) => c.checklist.map((i) => `${i.id}\u0000${i.text}\u0000${i.done}`);
  if (!sameList(items(mine).sort(), items(theirs).sort())) out.push('checklist');
  return out;
}

/**
 * Our unsynced edits (`keys`, from `boardChangeKey`) the server's board does
 * not have: `mine` is the board as we had it before the reload, `server` after.
 */
export function droppedEdits(
  mine: BoardView,
  server: BoardView,
  keys: readonly string[],
): DroppedEdit[] {
  const myCards = allCards(mine);
  const serverCards = allCards(server);
  const myColumns = allColumns(mine);
  const serverColumns = allColumns(server);
  const out: DroppedEdit[] = [];
  for (const key of new Set(keys)) {
    if (key.startsWith('card:')) {
      const cardId = key.slice(5);
      const card = myCards.get(cardId);
      if (!card) continue;
      const there = serverCards.get(cardId);
      const whats: DroppedWhat[] = there ? cardDifferences(card, there) : ['card'];
      for (const what of whats) out.push({ cardId, columnId: null, title: card.title, what });
    } else if (key.startsWith('column:')) {
      const columnId = key.slice(7);
      const column = myColumns.get(columnId);
      if (!column) continue;
      const there = serverColumns.get(columnId);
      if (
        !there ||
        there.title !== column.title ||
        there.order !== column.order ||
        there.color !== column.color ||
        (there.archivedAt === undefined) !== (column.archivedAt === undefined)
      )
        out.push({ cardId: null, columnId, title: column.title, what: 'column' });
    }
  }
  return out;
}
