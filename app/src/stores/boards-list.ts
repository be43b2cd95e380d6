/**
 * A clinic's boards, as plain data: read from the staff doc's `boards` map
 * (the server's mirror of its `boards` table, so the list shows offline and
 * from IndexedDB), and changed through the HTTP API only (the server writes
 * the mirror). An answer from the server is shown at once, ahead of the
 * mirror reaching this tab, until the mirror says the same or newer.
 */
import type * as Y from 'yjs';
import type { StoreApi } from 'zustand/vanilla';
import type { BoardTemplate } from '../../../shared/board/index.js';
import type { ClinicId } from '../../../shared/ids.js';
import {
  readStaffBoardEntry,
  staffBoardsMap,
  type StaffBoardListItem,
} from '../../../shared/staff/boards.js';
import { HttpError, type HttpClient, type HttpErrorCode } from '../sync/http.js';
import { createDocStore, type ViewClock } from './doc-store.js';

export type BoardSummary = StaffBoardListItem;

/** How long a server answer outranks a staff-doc mirror that has not caught up. */
const ANSWER_WINS_MS = 30_000;

export interface BoardsListView {
  /** Active boards, newest first. */
  readonly boards: readonly BoardSummary[];
  /** Archived boards (restorable), newest first. */
  readonly archived: readonly BoardSummary[];
}

/** What an action answers: the board as the server now has it, or why not (data, never text). */
export type BoardsListResult =
  | { readonly ok: true; readonly board: BoardSummary }
  | {
      readonly ok: false;
      readonly code: HttpErrorCode | 'invalid-argument';
      readonly status: number;
    };

export interface BoardsListActions {
  create(input: { title: string; template: BoardTemplate }): Promise<BoardsListResult>;
  rename(boardId: string, title: string): Promise<BoardsListResult>;
  setArchived(boardId: string, archived: boolean): Promise<BoardsListResult>;
  /** One board, from the view (null: unknown here). */
  find(boardId: string): BoardSummary | null;
  destroy(): void;
}

export type BoardsListState = BoardsListView & BoardsListActions;

export function createBoardsListStore(args: {
  clinicId: ClinicId;
  staffDoc: Y.Doc;
  http: HttpClient;
  clock: ViewClock;
}): StoreApi<BoardsListState> {
  const { clinicId, staffDoc, http, clock } = args;
  // Answers from the server not yet seen in the mirror, by board id, shown
  // until the mirror agrees or for ANSWER_WINS_MS (then the mirror is newer).
  const answered = new Map<string, { board: BoardSummary; until: number }>();

  const derive = (): BoardsListView => {
    const byId = new Map<string, BoardSummary>();
    staffBoardsMap(staffDoc).forEach((value, id) => {
      const entry = readStaffBoardEntry(value);
      if (entry) byId.set(id, { id, ...entry });
    });
    const now = clock.now();
    for (const [id, { board, until }] of answered) {
      const mirrored = byId.get(id);
      if ((mirrored && sameBoard(mirrored, board)) || now > until) answered.delete(id);
      else byId.set(id, board);
    }
    const all = [...byId.values()].sort(
      (a, b) => b.createdAt - a.createdAt || a.id.localeCompare(b.id),
    );
    return { boards: all.filter((b) => !b.archived), archived: all.filter((b) => b.archived) };
  };

  const settle = async (
    call: () => Promise<{ board: BoardSummary }>,
  ): Promise<BoardsListResult> => {
    try {
      const board = toSummary((await call()).board);
      answered.set(board.id, { board, until: clock.now() + ANSWER_WINS_MS });
      docStore.refresh();
      return { ok: true, board };
    } catch (err) {
      if (err instanceof HttpError) return { ok: false, code: err.code, status: err.status };
      return { ok: false, code: 'network', status: 0 };
    }
  };
  const invalid: BoardsListResult = { ok: false, code: 'invalid-argument', status: 0 };

  const docStore = createDocStore<BoardsListView, BoardsListActions>({
    docs: [staffDoc],
    clock,
    derive,
    equal: (a, b) => sameList(a.boards, b.boards) && sameList(a.archived, b.archived),
    actions: (get) => ({
      create: ({ title, template }) => {
        if (title.trim() === '') return Promise.resolve(invalid);
        return settle(() =>
          http.request('POST /api/clinics/:clinicId/boards', {
            params: { clinicId },
            body: { title: title.trim(), template },
          }),
        );
      },
      rename: (boardId, title) => {
        if (title.trim() === '') return Promise.resolve(invalid);
        return settle(() =>
          http.request('PATCH /api/clinics/:clinicId/boards/:boardId', {
            params: { clinicId, boardId },
            body: { title: title.trim() },
          }),
        );
      },
      setArchived: (boardId, archived) =>
        settle(() =>
          http.request('PATCH /api/clinics/:clinicId/boards/:boardId', {
            params: { clinicId, boardId },
            body: { archived },
          }),
        ),
      find: (boardId) => {
        const s = get();
        return (
          s.boards.find((b) => b.id === boardId) ?? s.archived.find((b) => b.id === boardId) ?? null
        );
      },
      destroy: () => docStore.destroy(),
    }),
  });
  return docStore.store;
}

/** The fields the mirror holds (an answer may carry more). */
const toSummary = (b: BoardSummary): BoardSummary => ({
  id: b.id,
  title: b.title,
  template: b.template,
  archived: b.archived,
  createdAt: b.createdAt,
});

const sameBoard = (a: BoardSummary, b: BoardSummary): boolean =>
  a.id === b.id &&
  a.title === b.title &&
  a.template === b.template &&
  a.archived === b.archived &&
  a.createdAt === b.createdAt;

const sameList = (a: readonly BoardSummary[], b: readonly BoardSummary[]): boolean =>
  a.length === b.length && a.every((x, i) => sameBoard(x, b[i]!));
