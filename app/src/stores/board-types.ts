/**
 * The public shape of an open board's store (`board-store.ts`): the view
 * fields a board screen reads and the actions it calls. Data and codes,
 * never display text.
 */
import type * as Y from 'yjs';
import type { StoreApi } from 'zustand/vanilla';
import type {
  BoardErrorCode,
  BoardView,
  CardFilter,
  CardView,
  CommentView,
  LaneView,
} from '../../../shared/board/index.js';
import type { BoardField } from './board-presence.js';

export type { BoardView };
export type BoardLane = LaneView;
export type BoardCard = CardView;
export type BoardComment = CommentView;
export type BoardFilter = CardFilter;
/** A filter change: a field set to undefined is cleared. */
export type BoardFilterPatch = { readonly [K in keyof CardFilter]?: CardFilter[K] | undefined };

/** A card's collaborative text fields. */
export type CardTextField = 'title' | 'body';

/** Who moved a card, from their presence on the board (null: we could not tell). */
export interface MoveAuthor {
  readonly id: string;
  readonly name: string;
  readonly color: string;
}

/** A card a colleague moved, kept for `MOVE_SHOWN_MS` so the screen can say so. */
export interface RemoteMove {
  readonly id: number;
  readonly cardId: string;
  readonly by: MoveAuthor | null;
  /** Column ids (the card's `column` before and after); equal when only the position changed. */
  readonly from: string;
  readonly to: string;
  readonly at: number;
}

/** What was dropped of ours when the board had to be reloaded from the server (4422). */
export type DroppedWhat =
  | 'card'
  | 'text'
  | 'move'
  | 'vote'
  | 'comment'
  | 'checklist'
  | 'assignees'
  | 'labels'
  | 'due'
  | 'archive'
  | 'column';

export interface DroppedEdit {
  /** The card concerned (null for a column). */
  readonly cardId: string | null;
  readonly columnId: string | null;
  /** The card's (or column's) title as we had it, to name it. */
  readonly title: string;
  readonly what: DroppedWhat;
}

/** Why an action did nothing: shared/board's error codes, plus `read-only`. */
export type BoardFailure = { readonly ok: false; readonly code: BoardErrorCode | 'read-only' };
export type BoardResult<T extends object = object> = ({ readonly ok: true } & T) | BoardFailure;

/**
 * The session is opening the board again (after a 4422, an archive or a
 * restore) and has not swapped the new copy in yet, or that failed.
 */
export interface BoardReopening {
  readonly why: 'forged' | 'archived';
  /** Failed attempts so far (0: under way). The session retries, backing off. */
  readonly failures: number;
  /** The last failure, as a message for the console or a details line (not display text). */
  readonly error: string | null;
  /** It stopped trying (refused as forged again after each reopening: a client bug); reload the page. */
  readonly gaveUp: boolean;
}

export interface BoardStoreView {
  /** The doc holds a seeded board (synced once, or from the local copy). */
  readonly ready: boolean;
  /** Null until ready. */
  readonly board: BoardView | null;
  /** The board's lanes with the filter applied (the same lanes as `board` when none). */
  readonly lanes: readonly BoardLane[];
  readonly filter: BoardFilter;
  /** A filter hides cards. */
  readonly filtering: boolean;
  /** The open card (`openCard`) and its comments, or null. */
  readonly detail: { readonly card: BoardCard; readonly comments: readonly BoardComment[] } | null;
  /** Archived board, or the relay gives read access only: no edit controls. */
  readonly readOnly: boolean;
  readonly canUndo: boolean;
  readonly canRedo: boolean;
  /** Cards colleagues moved in the last few seconds, oldest first. */
  readonly moves: readonly RemoteMove[];
  /** Our edits the server refused and we had to drop (after a 4422), until dismissed. */
  readonly droppedEdits: readonly DroppedEdit[];
  /** Set by the board session while it reopens the board, or when that failed; else null. */
  readonly reopening: BoardReopening | null;
}

/** A position: `index` among the target lane's (or column list's) items without the moved one. */
export interface BoardActions {
  addColumn(title: string, index?: number): BoardResult<{ id: string }>;
  renameColumn(columnId: string, title: string): BoardResult;
  setColumnColor(columnId: string, color: string | null): BoardResult;
  moveColumn(columnId: string, index: number): BoardResult;
  archiveColumn(columnId: string): BoardResult;
  restoreColumn(columnId: string): BoardResult;

  /** At the bottom of the column unless `index` says where. */
  addCard(columnId: string, title: string, index?: number): BoardResult<{ id: string }>;
  moveCard(cardId: string, columnId: string, index: number): BoardResult;
  archiveCard(cardId: string): BoardResult;
  restoreCard(cardId: string): BoardResult;
  /** Replaces the whole text (a minimal diff is applied, so concurrent edits merge). */
  setCardText(cardId: string, field: CardTextField, text: string): BoardResult;
  /** The card's live Y.Text, for a collaborative text binding (null: no such card). */
  textOf(cardId: string, field: CardTextField): Y.Text | null;
  /** Runs `edit` on the card's Y.Text in one transaction with our origin (undoable). */
  editText(cardId: string, field: CardTextField, edit: (text: Y.Text) => void): BoardResult;
  toggleAssignee(cardId: string, userId: string): BoardResult;
  toggleCardLabel(cardId: string, labelId: string): BoardResult;
  /** `YYYY-MM-DD`, or null to clear. */
  setDue(cardId: string, due: string | null): BoardResult;

  addChecklistItem(cardId: string, text: string): BoardResult<{ id: string }>;
  setChecklistItemText(cardId: string, itemId: string, text: string): BoardResult;
  toggleChecklistItem(cardId: string, itemId: string): BoardResult;
  moveChecklistItem(cardId: string, itemId: string, index: number): BoardResult;
  removeChecklistItem(cardId: string, itemId: string): BoardResult;

  addLabel(name: string, color: string): BoardResult<{ id: string }>;
  renameLabel(labelId: string, name: string): BoardResult;

  addComment(cardId: string, text: string): BoardResult<{ id: string }>;
  editComment(commentId: string, text: string): BoardResult;

  vote(cardId: string): BoardResult;
  unvote(cardId: string): BoardResult;
  /** Vote if we have not, else take our vote back. */
  toggleVote(cardId: string): BoardResult;

  /** Merges into the filter; `clearFilter` shows every card again. */
  setFilter(patch: BoardFilterPatch): void;
  clearFilter(): void;
  /** The card whose detail is shown (null: none). */
  openCard(cardId: string | null): void;

  /** Undo / redo our own last change (a colleague's changes are never undone). */
  undo(): void;
  redo(): void;

  dismissMove(id: number): void;
  dismissDroppedEdits(): void;
}

export type BoardState = BoardStoreView & BoardActions;

/** How long "moved by …" stays. */
export const MOVE_SHOWN_MS = 6_000;

export type BoardStore = StoreApi<BoardState>;

/** The text field a person edits when they bind a card's Y.Text (presence). */
export type { BoardField };
