/**
 * The sync layer for one document: the unmodified y-websocket client, an
 * IndexedDB copy for offline starts, and a zustand vanilla store of plain
 * connection state (light, status, unsynced count) that React can read.
 *
 * We take over the stock client's reconnect loop: it backs off without
 * jitter, so a hundred screens would reconnect in lockstep after a relay
 * restart. We also disconnect on the browser's `offline` event (open
 * WebSockets often survive a network cut for a long time) and reconnect
 * on `online`.
 */
import * as decoding from 'lib0/decoding';
import type * as encoding from 'lib0/encoding';
import { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { createStore, type StoreApi } from 'zustand/vanilla';
import {
  MessageType,
  isPermanentClose,
  readSync,
  type ProtocolMessage,
} from '../../../shared/protocol.js';
import {
  createUnsyncedTracker,
  keysBeyond,
  localUnsyncedStorage,
  transactionKeys,
  type UnsyncedStorage,
} from './unsynced.js';

export type Light = 'green' | 'orange' | 'red';

export interface ConnectionState {
  /** green synced, orange connecting/reconnecting (blinking in UI), red offline or closed */
  light: Light;
  status: 'connecting' | 'synced' | 'reconnecting' | 'offline' | 'closed';
  /** Local changes not yet acknowledged by the relay, counted by what they touched (0 for read-only docs). */
  unsynced: number;
  /** Their keys (see `changeKey`), so several docs' changes to one ticket count once. */
  unsyncedKeys: readonly string[];
  /** Set on a 44xx close: we stop retrying. */
  closedCode: number | null;
  closedReason: string | null;
  lastSyncedAt: number | null;
}

export interface SyncedDoc {
  readonly name: string;
  readonly doc: Y.Doc;
  /** Its `.awareness` carries presence. */
  readonly provider: WebsocketProvider;
  readonly connection: StoreApi<ConnectionState>;
  /** Resolves once IndexedDB state is loaded (immediately when persist is false). */
  readonly whenLocal: Promise<void>;
  destroy(): void;
}

export interface SyncedDocOptions {
  /** Display devices and patients; staff authenticate with the session cookie. */
  token?: string;
  /** Keep an IndexedDB copy (default true). */
  persist?: boolean;
  readOnly?: boolean;
  /** Keys the IndexedDB copy by user too, so logging out can clear exactly that user's copies. */
  userId?: string;
  /** Keep a local awareness state (staff presence); otherwise it is null. */
  presence?: boolean;
  /** Base URL of the relay (tests); default `${ws|wss}://${location.host}/ws`. */
  url?: string;
  /** WebSocket implementation (tests in Node); default the global one. */
  WebSocketPolyfill?: typeof WebSocket;
  /**
   * Names a change for the unsynced count from where it lives (`root/key`,
   * e.g. `entries/<id>`); default `<docName>:<root/key>`.
   */
  changeKey?: (where: string) => string;
  /** Where the unsynced state survives reloads; default localStorage when `persist`. */
  unsyncedStorage?: UnsyncedStorage | null;
}

/** Reconnect delay: exponential, ×0.5–1.5 jitter, capped; the first retry comes within 0.5–1.5 s. */
export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(8_000, 1_000 * 2 ** Math.max(0, attempt - 1));
  return Math.min(10_000, Math.round(base * (0.5 + random())));
}

export const wsBaseUrl = (location: Location): string =>
  `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;

const DB_PREFIX = 'queuemed:';
const UNSYNCED_PREFIX = 'queuemed-unsynced:';
/** The IndexedDB database name of a doc's local copy. */
export const localDbName = (docName: string, userId?: string): string =>
  userId === undefined ? `${DB_PREFIX}${docName}` : `${DB_PREFIX}u:${userId}:${docName}`;

const lightOf = (status: ConnectionState['status']): Light =>
  status === 'synced'
    ? 'green'
    : status === 'connecting' || status === 'reconnecting'
      ? 'orange'
      : 'red';

type SyncHandler = (
  encoder: encoding.Encoder,
  decoder: decoding.Decoder,
  provider: WebsocketProvider,
  emitSynced: boolean,
  messageType: number,
) => void;

export function openSyncedDoc(docName: string, opts: SyncedDocOptions = {}): SyncedDoc {
  const { persist = true, readOnly = false } = opts;
  const doc = new Y.Doc();
  const online = () => typeof navigator === 'undefined' || navigator.onLine !== false;
  const initial: ConnectionState['status'] = online() ? 'connecting' : 'offline';
  const connection = createStore<ConnectionState>(() => ({
    light: lightOf(initial),
    status: initial,
    unsynced: 0,
    unsyncedKeys: [],
    closedCode: null,
    closedReason: null,
    lastSyncedAt: null,
  }));
  const setStatus = (status: ConnectionState['status'], extra: Partial<ConnectionState> = {}) =>
    connection.setState({ status, light: lightOf(status), ...extra });

  const provider = new WebsocketProvider(opts.url ?? wsBaseUrl(window.location), docName, doc, {
    connect: false,
    disableBc: true,
    params: opts.token === undefined ? {} : { token: opts.token },
    ...(opts.WebSocketPolyfill ? { WebSocketPolyfill: opts.WebSocketPolyfill } : {}),
  });
  if (!opts.presence) provider.awareness.setLocalState(null);

  let persistence: IndexeddbPersistence | null = null;
  let whenLocal: Promise<void> = Promise.resolve();
  if (persist && typeof indexedDB !== 'undefined') {
    const p = new IndexeddbPersistence(localDbName(docName, opts.userId), doc);
    persistence = p;
    whenLocal = p.whenSynced.then(
      () => undefined,
      () => undefined,
    );
  }

  // ── unsynced count ─────────────────────────────────────────────────────
  const changeKey = opts.changeKey ?? ((where: string) => `${docName}:${where}`);
  const storage =
    opts.unsyncedStorage !== undefined
      ? opts.unsyncedStorage
      : persistence !== null
        ? localUnsyncedStorage(UNSYNCED_PREFIX + localDbName(docName, opts.userId))
        : null;
  const tracker = createUnsyncedTracker({
    keysBeyond: (sv) => [...keysBeyond(doc, sv)].map(changeKey),
    initial: readOnly ? null : (storage?.load() ?? null),
  });
  const publishUnsynced = () => {
    const keys = readOnly ? [] : [...tracker.keys()].sort();
    const prev = connection.getState().unsyncedKeys;
    if (prev.length === keys.length && prev.every((k, i) => k === keys[i])) return;
    connection.setState({ unsynced: keys.length, unsyncedKeys: keys });
  };
  const persistUnsynced = () => {
    if (!readOnly) storage?.save(tracker.persisted());
  };
  const onTransaction = (tr: Y.Transaction) => {
    if (readOnly || !tr.local || tr.origin === provider) return;
    if (persistence !== null && tr.origin === persistence) return;
    const before = tr.beforeState.get(doc.clientID) ?? 0;
    const after = tr.afterState.get(doc.clientID) ?? 0;
    const inserted = after > before;
    if (!inserted && tr.deleteSet.clients.size === 0) return;
    const keys = [...transactionKeys(tr)].map(changeKey);
    tracker.local(keys.length > 0 ? keys : [changeKey('unknown')], inserted, provider.wsconnected);
    if (!inserted) persistUnsynced();
    publishUnsynced();
  };
  doc.on('afterTransaction', onTransaction);
  const onUpdate = (update: Uint8Array, origin: unknown) => {
    if (readOnly || origin !== provider) return;
    tracker.fromServer(Y.decodeStateVector(Y.encodeStateVectorFromUpdate(update)));
    persistUnsynced();
  };
  doc.on('update', onUpdate);
  if (!readOnly)
    void whenLocal.then(() => {
      if (destroyed) return;
      tracker.restored();
      publishUnsynced();
    });
  // The relay's sync step 1 (its acknowledgement and keepalive) carries its state vector.
  const stockSync = provider.messageHandlers[MessageType.sync] as SyncHandler;
  provider.messageHandlers[MessageType.sync] = ((encoder, decoder, prov, emitSynced, type) => {
    let message: ProtocolMessage | null = null;
    try {
      message = readSync(decoding.clone(decoder), Infinity);
    } catch {
      // Not ours to judge: the stock handler reads it (and fails) as before.
    }
    const isStep1 = message?.type === 'sync-step1';
    if (message?.type === 'sync-step1' && !readOnly)
      tracker.serverVector(Y.decodeStateVector(message.stateVector));
    stockSync(encoder, decoder, prov, emitSynced, type);
    if (isStep1 && !readOnly) {
      tracker.sentAll(); // our sync step 2 answer carries everything the relay lacks
      persistUnsynced();
      publishUnsynced();
    }
  }) as SyncHandler;

  // ── connection state and reconnects ────────────────────────────────────
  let wanted = false;
  let destroyed = false;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const clearTimer = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  };
  const schedule = (delay: number) => {
    clearTimer();
    timer = setTimeout(() => {
      timer = null;
      if (wanted && !destroyed) provider.connect();
    }, delay);
  };
  const start = (delay: number) => {
    if (destroyed || connection.getState().status === 'closed') return;
    wanted = true;
    if (delay <= 0) provider.connect();
    else schedule(delay);
  };

  // Presence across reconnects. The client keeps the clocks of remote states
  // it dropped at the disconnect, so the relay's snapshot (same clocks) would
  // be ignored until each peer renews (15 s): forget them. And the relay
  // refuses to let a new connection re-claim our old awareness clientID for a
  // while (tombstone), so after a reconnect we announce ourselves under a
  // fresh awareness clientID. The stock client still names its own awareness
  // entry by the doc's clientID (it sends it, state null once rotated, when a
  // socket opens, when it disconnects and when it is destroyed), and reading
  // a clientID without a clock throws: that entry's clock is kept. (Dropping it
  // made `provider.destroy()` throw after a reconnect, so a board reopened
  // after a 4422 that followed a network cut stayed closed.) The relay ignores
  // a null state for a clientID it does not see us own. For the same reason,
  // at a disconnect the stock client removes every state but the doc
  // clientID's, ours included once it moved: we keep it (at `connection-close`,
  // just before) and set it again under the next fresh id.
  const awareness = provider.awareness;
  let syncedBefore = false;
  let ourState: Record<string, unknown> | null = null;
  provider.on('status', ({ status }: { status: string }) => {
    if (status !== 'disconnected') return;
    for (const id of [...awareness.meta.keys()]) {
      if (id !== awareness.clientID && id !== doc.clientID && !awareness.states.has(id))
        awareness.meta.delete(id);
    }
  });
  provider.on('sync', (synced: boolean) => {
    if (!synced) return;
    attempt = 0;
    setStatus('synced', { lastSyncedAt: Date.now() });
    const state = awareness.getLocalState() ?? ourState;
    if (syncedBefore && opts.presence && state !== null) {
      const old = awareness.clientID;
      awareness.clientID = freshClientId(old);
      awareness.states.delete(old);
      awareness.setLocalState(state);
    }
    syncedBefore = true;
  });
  provider.on('connection-close', (event: CloseEvent | null) => {
    if (opts.presence) ourState = awareness.getLocalState() ?? ourState;
    if (event && isPermanentClose(event.code)) {
      wanted = false;
      clearTimer();
      setStatus('closed', { closedCode: event.code, closedReason: event.reason || null });
      return;
    }
    if (!wanted || destroyed) return;
    // Keep the stock client's own (unjittered) retry from firing; ours follows.
    provider.shouldConnect = false;
    attempt++;
    setStatus(online() ? 'reconnecting' : 'offline');
    schedule(reconnectDelay(attempt));
  });

  const onOffline = () => {
    wanted = false;
    clearTimer();
    provider.disconnect();
    if (connection.getState().status !== 'closed') setStatus('offline');
  };
  const onOnline = () => {
    if (connection.getState().status === 'closed') return;
    setStatus('reconnecting');
    attempt = 0;
    // Small jitter only: a display must catch up within seconds of the network returning.
    start(Math.round(200 + Math.random() * 800));
  };
  if (typeof window !== 'undefined') {
    window.addEventListener('offline', onOffline);
    window.addEventListener('online', onOnline);
  }
  if (online()) start(0);

  return {
    name: docName,
    doc,
    provider,
    connection,
    whenLocal,
    destroy() {
      if (destroyed) return;
      destroyed = true;
      wanted = false;
      clearTimer();
      if (typeof window !== 'undefined') {
        window.removeEventListener('offline', onOffline);
        window.removeEventListener('online', onOnline);
      }
      doc.off('afterTransaction', onTransaction);
      doc.off('update', onUpdate);
      // Every step runs even if one throws: the IndexedDB connection must close
      // (or deleting the local copy is blocked) and the doc must go.
      runAll([() => provider.destroy(), () => void persistence?.destroy(), () => doc.destroy()]);
    },
  };
}

/** Runs every step, then throws the first failure (not swallowed: the caller decides). */
export function runAll(steps: readonly (() => void)[]): void {
  const failures: unknown[] = [];
  for (const step of steps) {
    try {
      step();
    } catch (err) {
      failures.push(err);
    }
  }
  if (failures.length > 0) throw failures[0];
}

function freshClientId(not: number): number {
  const [id] = crypto.getRandomValues(new Uint32Array(1));
  return id === undefined || id === not ? not + 1 : id;
}

/** Drops the persisted unsynced state of the local copies `which` selects (by storage key). */
function forgetUnsynced(which: (key: string) => boolean): void {
  try {
    if (typeof localStorage === 'undefined') return;
    const keys = Array.from({ length: localStorage.length }, (_, i) => localStorage.key(i) ?? '');
    for (const key of keys)
      if (key.startsWith(UNSYNCED_PREFIX) && which(key)) localStorage.removeItem(key);
  } catch {
    // storage unavailable: nothing persisted either
  }
}

/**
 * Deletes one database. `blocked` (a connection elsewhere, another tab, is
 * still open) resolves too: the deletion then waits for that connection to
 * close, and any later open of that name waits behind it, so it never reads
 * the old copy. `strict`: an error rejects; otherwise it resolves anyway.
 */
function deleteDb(name: string, strict = false): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.deleteDatabase(name);
    req.onsuccess = req.onblocked = () => resolve();
    req.onerror = () =>
      strict
        ? reject(new Error(`could not delete the local copy ${name}: ${String(req.error)}`))
        : resolve();
  });
}

/**
 * Deletes every IndexedDB copy this browser holds for the given doc names
 * (a board reopened from the server after a 4422). Rejects when one cannot be
 * deleted: reopening from it would send the refused write again.
 */
export async function clearLocalDocs(names: readonly string[]): Promise<void> {
  if (typeof indexedDB === 'undefined') return;
  const wanted = new Set(names);
  const targets = new Set(names.map((n) => localDbName(n)));
  const all = typeof indexedDB.databases === 'function' ? await indexedDB.databases() : [];
  for (const db of all) {
    const name = db.name ?? '';
    if (!name.startsWith(DB_PREFIX)) continue;
    const docName = name.replace(/^queuemed:(u:[^:]+:)?/, '');
    if (wanted.has(docName)) targets.add(name);
  }
  forgetUnsynced((key) => targets.has(key.slice(UNSYNCED_PREFIX.length)));
  await Promise.all([...targets].map((name) => deleteDb(name, true)));
}

/** Deletes every local copy kept for one user (all clinics). */
export async function clearUserDocs(userId: string): Promise<void> {
  if (typeof indexedDB === 'undefined' || typeof indexedDB.databases !== 'function') return;
  const prefix = `${DB_PREFIX}u:${userId}:`;
  forgetUnsynced((key) => key.startsWith(UNSYNCED_PREFIX + prefix));
  const all = await indexedDB.databases();
  await Promise.all(
    all
      .map((d) => d.name ?? '')
      .filter((n) => n.startsWith(prefix))
      .map((name) => deleteDb(name)),
  );
}
