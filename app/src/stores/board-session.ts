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
 * unsynced edits were lost, so an honest person is never stuck. When the
 * clinic's boards list says the board was archived (the relay then drops
 * writes) it reopens it read-only, the same way if we held unsynced edits,
 * and writable again once restored. The stores it hands out stay the same
 * objects across these reloads. While it reopens, and if that fails (the
 * local copy cannot be deleted…), the board store's `reopening` says so and
 * the session tries again, backing off; it never gives up silently.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { boardView } from '../../../shared/board/index.js';
import { boardDocName, type BoardId, type ClinicId } from '../../../shared/ids.js';
import type { Presence, PresenceUser } from '../../../shared/presence.js';
import { CloseCode } from '../../../shared/protocol.js';
import type { HttpClient } from '../sync/http.js';
import {
  clearLocalDocs,
  openSyncedDoc,
  reconnectDelay,
  runAll,
  type ConnectionState,
  type SyncedDoc,
} from '../sync/synced-doc.js';
import { boardChangeKey, droppedEdits } from './board-dropped.js';
import { createBoardPresenceStore, peerOnCard, type BoardPresenceState } from './board-presence.js';
import {
  createBoardStore,
  type BoardStoreOptions,
  type BoardReopening,
  type BoardState,
  type BoardStoreHandle,
  type BoardView,
  type MoveAuthor,
} from './board-store.js';
import type { BoardsListState } from './boards-list.js';
import type { ViewClock } from './doc-store.js';
import type { PeerPresence } from './presence-store.js';

export interface BoardSession {
  readonly clinicId: ClinicId;
  readonly boardId: BoardId;
  readonly board: StoreApi<BoardState>;
  readonly presence: StoreApi<BoardPresenceState>;
  readonly connection: StoreApi<ConnectionState>;
  /** The synced doc now open (a new one after a 4422 reload): tests and debugging. */
  readonly doc: SyncedDoc;
  destroy(): void;
}

export interface BoardSessionOptions {
  clinicId: ClinicId;
  boardId: BoardId;
  user: PresenceUser;
  /** The staff session's clock (sessionStore.getState().clock): ops are stamped with it. */
  clock: ViewClock;
  /** The staff session's HTTP client (not needed by the board itself; accepted for symmetry). */
  http?: HttpClient;
  /** The clinic's boards list (`clinic.boards`): an archived board is read-only. */
  boards?: StoreApi<BoardsListState>;
  /** Tests: relay URL, WebSocket for Node, no IndexedDB copy. */
  url?: string;
  WebSocketPolyfill?: typeof WebSocket;
  persist?: boolean;
  /** Tests: how the local copy is deleted before a reopening (default `clearLocalDocs` when persisting). */
  clearLocal?: (docNames: readonly string[]) => Promise<void>;
}

/** After this many 4422 reloads in a row without a clean sync, stay closed (a client bug, not a person). */
const MAX_RELOADS = 3;
/** A colleague seen on a card this recently is taken as the one who moved it. */
const RECENT_ON_CARD_MS = 10_000;

/**
 * A store whose state follows another one, which can be swapped (the stores
 * survive a reload), with fields of the session's own laid over it.
 */
function followStore<S extends object>(
  first: StoreApi<S>,
): {
  readonly store: StoreApi<S>;
  follow(next: StoreApi<S>): void;
  /** Lays `patch` over the followed state until the next `overlay`. */
  overlay(patch: Partial<S>): void;
  stop(): void;
} {
  let extra: Partial<S> = {};
  let source = first;
  const merged = (s: S): S => (Object.keys(extra).length === 0 ? s : { ...s, ...extra });
  const store = createStore<S>()(() => first.getState());
  const publish = (s: S) => store.setState(merged(s), true);
  let unsubscribe = first.subscribe(publish);
  return {
    store,
    follow(next) {
      unsubscribe();
      source = next;
      unsubscribe = next.subscribe(publish);
      publish(next.getState());
    },
    overlay(patch) {
      extra = patch;
      publish(source.getState());
    },
    stop: () => unsubscribe(),
  };
}

interface Opened {
  readonly synced: SyncedDoc;
  readonly board: BoardStoreHandle;
  readonly presence: StoreApi<BoardPresenceState>;
  readonly stop: () => void;
}

export function openBoardSession(opts: BoardSessionOptions): BoardSession {
  const { clinicId, boardId, user, clock } = opts;
  const docName = boardDocName(boardId);
  const origin = { kind: 'local', actor: user.id, board: boardId } as const;
  const archived = () => opts.boards?.getState().find(boardId)?.archived ?? false;
  let destroyed = false;
  let reloads = 0;
  const clearLocal = opts.clearLocal ?? (opts.persist === false ? null : clearLocalDocs);

  const open = (readOnly: boolean, initial?: BoardStoreOptions['initial']): Opened => {
    let doc: SyncedDoc['doc'] | null = null;
    const synced = openSyncedDoc(docName, {
      userId: user.id,
      presence: true,
      readOnly,
      changeKey: boardChangeKey(() => doc),
      ...(opts.persist !== undefined ? { persist: opts.persist } : {}),
      ...(opts.url !== undefined ? { url: opts.url } : {}),
      ...(opts.WebSocketPolyfill ? { WebSocketPolyfill: opts.WebSocketPolyfill } : {}),
    });
    doc = synced.doc;
    const awareness = synced.provider.awareness;
    // Our doc's Yjs clientID beside our presence: a tab's awareness id is its
    // doc's only until it reconnects, and colleagues attribute our moves by it.
    awareness.setLocalStateField('docClient', synced.doc.clientID);
    const presence = createBoardPresenceStore(awareness, user, boardId);

    // Who wrote a change: the colleague whose activity is or was lately on
    // that card (dragging first), else whose tab wrote with that clientID.
    const onCard = new Map<string, { peer: PeerPresence; at: number }>();
    const byClient = new Map<number, PresenceUser>();
    const remember = (s: BoardPresenceState) => {
      const now = clock.now();
      for (const p of s.peers) {
        if (p.self) continue;
        byClient.set(p.clientId, p.user);
        const docClient = (awareness.getStates().get(p.clientId) as Presence | undefined)
          ?.docClient;
        if (typeof docClient === 'number') byClient.set(docClient, p.user);
        const cardId = p.activity?.cardId;
        if (cardId) {
          const seen = onCard.get(cardId);
          if (
            !seen ||
            p.activity?.dragging ||
            !seen.peer.activity?.dragging ||
            now - seen.at > 1000
          )
            onCard.set(cardId, { peer: p, at: now });
        }
      }
    };
    remember(presence.getState());
    const unsubscribePresence = presence.subscribe(remember);
    const author = (u: PresenceUser): MoveAuthor => ({ id: u.id, name: u.name, color: u.color });
    const whoMoved = (cardId: string, clientId: number): MoveAuthor | null => {
      const there = peerOnCard(presence.getState().peers, cardId);
      if (there) return author(there.user);
      const seen = onCard.get(cardId);
      if (seen && clock.now() - seen.at <= RECENT_ON_CARD_MS) return author(seen.peer.user);
      const u = byClient.get(clientId);
      return u ? author(u) : null;
    };

    let everSynced = false;
    const board = createBoardStore({
      doc: synced.doc,
      userId: user.id,
      clock,
      origin,
      readOnly: () => archived() || synced.connection.getState().closedCode === CloseCode.forbidden,
      whoMoved,
      live: () => everSynced,
      ...(initial ? { initial } : {}),
    });
    const unsubscribeConnection = synced.connection.subscribe((c, before) => {
      if (c.status === 'synced' && !everSynced) {
        everSynced = true;
        board.refresh();
      }
      if (c.closedCode !== before.closedCode) {
        board.refresh();
        if (c.closedCode === CloseCode.forgedWrite) reopen('forged');
      }
    });
    const unsubscribeBoards =
      opts.boards?.subscribe(() => {
        board.refresh();
        if (archived() !== readOnly) reopen('archived');
      }) ?? (() => {});
    let stopped = false;
    return {
      synced,
      board,
      presence,
      stop() {
        if (stopped) return;
        stopped = true;
        runAll([
          unsubscribeBoards,
          unsubscribeConnection,
          unsubscribePresence,
          () => board.destroy(),
          () => presence.getState().destroy(),
          () => synced.destroy(),
        ]);
      },
    };
  };

  let current = open(archived());
  let readOnly = archived();
  const board = followStore(current.board.store);
  const presence = followStore(current.presence);
  const connection = followStore(current.synced.connection);

  /** A reopening under way: the old copy as we had it, stopped or not yet. */
  let pending: {
    readonly why: 'forged' | 'archived';
    readonly old: Opened;
    readonly keys: readonly string[];
    /** Our board before the reload, to tell what the server's lacks (null: nothing dropped). */
    readonly mine: BoardView | null;
    readonly screen: BoardStoreOptions['initial'];
    stopped: boolean;
  } | null = null;

  // Reopened one at a time. A failed attempt is shown in the board store
  // (`reopening`) and tried again, backing off, until it works or the
  // session is destroyed.
  let reopening = Promise.resolve();
  let retry: ReturnType<typeof setTimeout> | null = null;
  const cancelRetry = () => {
    if (retry !== null) clearTimeout(retry);
    retry = null;
  };
  const setReopening = (r: BoardReopening | null) =>
    board.overlay(r === null ? {} : { reopening: r });
  let failures = 0;
  const reopen = (why: 'forged' | 'archived') => {
    reopening = reopening.then(() =>
      reload(why).then(
        () => {
          failures = 0;
        },
        (err: unknown) => {
          if (destroyed) return;
          failures++;
          const error = err instanceof Error ? err.message : String(err);
          console.error(`board ${boardId}: reopening failed (attempt ${failures})`, err);
          setReopening({ why: pending?.why ?? why, failures, error, gaveUp: false });
          cancelRetry();
          retry = setTimeout(() => {
            retry = null;
            reopen(why);
          }, reconnectDelay(failures));
        },
      ),
    );
  };

  // Open the board again:
  // - 'forged': the relay refused one of our writes (4422). Drop the local
  //   copy, reopen from the server and tell which of our edits did not make it.
  // - 'archived': the board was archived or restored. An archived board is
  //   read-only at the relay, which drops writes: reopen read-only (no
  //   unsynced count that can never fall), and if we held unsynced edits, drop
  //   the local copy and tell which did not make it; restored, reopen writable.
  // A failed attempt resumes where it stopped: the old copy is stopped once,
  // and what we had is remembered from before it was.
  async function reload(why: 'forged' | 'archived'): Promise<void> {
    if (destroyed) return;
    if (pending === null) {
      if (why === 'forged') {
        if (reloads >= MAX_RELOADS) {
          setReopening({
            why,
            failures,
            error: `refused as forged again after ${MAX_RELOADS} reopenings`,
            gaveUp: true,
          });
          return;
        }
      } else if (archived() === readOnly) return;
      const old = current;
      const keys = old.synced.connection.getState().unsyncedKeys;
      const discard = why === 'forged' || keys.length > 0;
      const screen = old.board.store.getState();
      pending = {
        why,
        old,
        keys,
        mine: discard ? boardView(old.synced.doc, user.id) : null,
        screen: { filter: screen.filter, openCardId: screen.detail?.card.id ?? null },
        stopped: false,
      };
      if (why === 'forged') reloads++;
    }
    cancelRetry();
    const p = pending;
    setReopening({ why: p.why, failures, error: null, gaveUp: false });
    if (!p.stopped) {
      p.stopped = true;
      try {
        p.old.stop();
      } catch (err) {
        // Every part of it ran (runAll); what failed is reported, and the
        // reopening goes on: the old copy is closed as far as it can be.
        console.error(`board ${boardId}: closing the old copy failed`, err);
      }
    }
    if (p.mine !== null && clearLocal !== null) await clearLocal([docName]);
    if (destroyed) return;
    readOnly = archived();
    const next = open(readOnly, p.screen);
    pending = null;
    current = next;
    board.follow(next.board.store);
    presence.follow(next.presence);
    connection.follow(next.synced.connection);
    setReopening(null);
    const { mine, keys } = p;
    if (!mine) return;
    const settle = (c: ConnectionState) => {
      if (c.status !== 'synced' || current !== next) return;
      off();
      reloads = 0;
      next.board.setDroppedEdits(droppedEdits(mine, boardView(next.synced.doc, user.id), keys));
    };
    const off = next.synced.connection.subscribe(settle);
    settle(next.synced.connection.getState());
  }

  return {
    clinicId,
    boardId,
    board: board.store,
    presence: presence.store,
    connection: connection.store,
    get doc() {
      return current.synced;
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      cancelRetry();
      board.stop();
      presence.stop();
      connection.stop();
      current.stop();
    },
  };
}
