/**
 * Everything a board screen binds to: `board:<id>` opened through
 * `openSyncedDoc` (IndexedDB copy keyed by user, presence), the board store
 * (view, filter, actions, undo/redo, "moved by"), the presence store of the
 * board's awareness and the connection light (unsynced changes counted by
 * card or column touched).
 *
 * When the relay refuses one of our writes as forged (4422: a vote, an
 * author or a hard delete only someone else may make — a tampered or very
 * confused client), the session drops its local copy of the board, opens
 * it again from the server and lists in `droppedEdits` which of our
 * unsynced edits were lost, so an honest person is never stuck. The stores
 * it hands out stay the same objects across that reload.
 */
import type { StoreApi } from 'zustand/vanilla';
import type { BoardId, ClinicId } from '../../../shared/ids.js';
import type { PresenceUser } from '../../../shared/presence.js';
import type { ServerClock } from '../sync/clock.js';
import type { HttpClient } from '../sync/http.js';
import type { ConnectionState } from '../sync/synced-doc.js';
import type { BoardPresenceState } from './board-presence.js';
import type { BoardState } from './board-store.js';
import type { BoardsListState } from './boards-list.js';

export interface BoardSession {
  readonly clinicId: ClinicId;
  readonly boardId: BoardId;
  readonly board: StoreApi<BoardState>;
  readonly presence: StoreApi<BoardPresenceState>;
  readonly connection: StoreApi<ConnectionState>;
  destroy(): void;
}

export interface BoardSessionOptions {
  clinicId: ClinicId;
  boardId: BoardId;
  user: PresenceUser;
  /** The staff session's HTTP client and clock (sessionStore.getState()). */
  http: HttpClient;
  clock: ServerClock;
  /** The clinic's boards list (`clinic.boards`): an archived board is read-only. */
  boards?: StoreApi<BoardsListState>;
  /** Tests: relay URL, WebSocket for Node, no IndexedDB copy. */
  url?: string;
  WebSocketPolyfill?: typeof WebSocket;
  persist?: boolean;
}

export function openBoardSession(opts: BoardSessionOptions): BoardSession {
  throw new Error(`openBoardSession(${opts.boardId}): lands with the board store (skeleton)`);
}
