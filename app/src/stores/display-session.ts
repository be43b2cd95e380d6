/**
 * Everything the waiting-room display binds to, opened like the staff
 * clinic session (`openClinicSession`): one object per paired device, made
 * outside React and closed by `destroy()`.
 *
 * - `synced`: `queue:<clinic>` read-only with the device token (IndexedDB
 *   copy, reconnects: sync/synced-doc.ts), and `view`, its display store.
 * - `clock`: one ServerClock, its offset kept in localStorage, fed by every
 *   answer of the session's HTTP client (`x-server-time`).
 * - the announcer: offered every call once the relay confirmed the state
 *   (a cached state may be stale), keys already announced kept across
 *   reloads, muted or not as staff left it (`sound`).
 * - `self`: `GET /api/displays/self` (the join URL, which rotates daily):
 *   fetched on open, again when it expires, every minute while it fails,
 *   at once on `online` and when the doc says the link was regenerated.
 * - revocation: a 4401/4403 close or a 401/403 answer forgets the device
 *   and calls `onRevoked` (the screen goes back to pairing).
 * - `liveAt`: when this display last held the relay's state, kept across
 *   reloads, so a display that restarts offline says how old its state is.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { DisplaySelf } from '../../../shared/api.js';
import { queueDocName, type DocName } from '../../../shared/ids.js';
import { CloseCode } from '../../../shared/protocol.js';
import { createAnnouncer, type Announcer } from '../announce/announcer.js';
import type { AnnounceOutput, AudioState } from '../announce/types.js';
import { webOutput } from '../announce/web-output.js';
import { createServerClock, type ServerClock } from '../sync/clock.js';
import { createHttpClient, HttpError, type HttpClient } from '../sync/http.js';
import {
  openSyncedDoc,
  type ConnectionState,
  type SyncedDoc,
  type SyncedDocOptions,
} from '../sync/synced-doc.js';
import {
  browserStorage,
  readItem as read,
  writeItem as write,
  type KeyValueStorage,
} from './browser-storage.js';
import {
  DISPLAY_CLOCK_KEY,
  loadSelf,
  saveDevice,
  saveSelf,
  type DisplayDevice,
} from './display-device.js';
import { createDisplayStore } from './display-store.js';
import type { DisplayView } from './display-view.js';
import type { Scheduler } from './doc-store.js';
import { watchJoinLinkVersion } from './join-link-refresh.js';

const MUTED_KEY = 'queuemed.display.muted';
const SEEN_KEY = 'queuemed.display.announced';
const LIVE_KEY = 'queuemed.display.liveAt';
const SEEN_KEPT = 50;
const SELF_RETRY_MS = 60_000;
/** Join URL refetched at least this long after an answer, plus up to SELF_SPREAD_MS. */
const SELF_MIN_WAIT_MS = 60_000;
/** Spreads the clinic's displays over half a minute at the daily rotation. */
const SELF_SPREAD_MS = 30_000;
const LIVE_MARK_MS = 30_000;
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface DisplaySound {
  readonly muted: boolean;
  readonly audio: AudioState;
  /** Mutes or unmutes the announcements; the choice survives reloads. */
  setMuted(muted: boolean): void;
  /** From a user gesture: lets the browser play sound. */
  unlock(): Promise<void>;
}

export interface DisplaySession {
  readonly device: DisplayDevice;
  readonly clock: ServerClock;
  readonly synced: SyncedDoc;
  readonly connection: StoreApi<ConnectionState>;
  readonly view: StoreApi<DisplayView>;
  /** The last `/api/displays/self` answer (cached from a previous run until one comes). */
  readonly self: StoreApi<DisplaySelf | null>;
  /** When the display last held the relay's state (session clock, ms); null if never. */
  readonly liveAt: StoreApi<number | null>;
  readonly sound: StoreApi<DisplaySound>;
  readonly announcer: Announcer;
  readonly output: AnnounceOutput;
  destroy(): void;
}

export interface DisplaySessionOptions {
  readonly device: DisplayDevice;
  /** Called once when the server no longer knows this device (it is already forgotten). */
  readonly onRevoked?: () => void;
  /** Default: a ServerClock kept in localStorage. */
  readonly clock?: ServerClock;
  /** Default: a client with the device token, feeding `clock`. */
  readonly http?: HttpClient;
  /** Default: the browser's chime and speech. */
  readonly output?: AnnounceOutput;
  /** Default: localStorage (null: keep nothing). */
  readonly storage?: KeyValueStorage | null;
  /** Default: openSyncedDoc (tests pass a doc they drive). */
  readonly openDoc?: (name: DocName, opts: SyncedDocOptions) => SyncedDoc;
  /** When the view is derived after doc updates (default: the next animation frame). */
  readonly coalesce?: Scheduler;
  readonly random?: () => number;
}

export function openDisplaySession(opts: DisplaySessionOptions): DisplaySession {
  const { device } = opts;
  const storage = opts.storage === undefined ? browserStorage() : opts.storage;
  const random = opts.random ?? Math.random;
  const clock = opts.clock ?? createServerClock({ storage, storageKey: DISPLAY_CLOCK_KEY });
  const http =
    opts.http ??
    createHttpClient({ credentials: { kind: 'bearer', token: () => device.token }, clock });
  const synced = (opts.openDoc ?? openSyncedDoc)(queueDocName(device.clinicId), {
    token: device.token,
    readOnly: true,
  });
  const connection = synced.connection;
  const display = createDisplayStore(
    synced.doc,
    clock,
    opts.coalesce ? { coalesce: opts.coalesce } : {},
  );
  const view = display.store;
  let destroyed = false;
  let revoked = false;

  // ── announcements ──────────────────────────────────────────────────────
  const output = opts.output ?? webOutput();
  const seen = loadSeen(storage);
  const announcer = createAnnouncer({
    output,
    now: clock.now,
    isCurrent: (key) => view.getState().called.some((c) => c.key === key),
    muted: read(storage, MUTED_KEY) === '1',
    seen,
    onSeen: (key) => {
      seen.push(key);
      if (seen.length > SEEN_KEPT) seen.splice(0, seen.length - SEEN_KEPT);
      // A lost write may repeat a recent announcement after a reload; nothing worse.
      write(storage, SEEN_KEY, JSON.stringify(seen));
    },
  });
  // Announce only what the relay confirmed: a cached state may already be stale.
  const offerCalls = () => {
    if (destroyed || connection.getState().status !== 'synced') return;
    const v = view.getState();
    for (const call of [...v.called].reverse())
      announcer.offer({ ...call, room: call.roomName, locale: v.locale });
  };
  const sound = createStore<DisplaySound>()((set) => ({
    muted: announcer.isMuted(),
    audio: output.audioState(),
    setMuted(muted) {
      announcer.setMuted(muted);
      write(storage, MUTED_KEY, muted ? '1' : '0');
      set({ muted });
    },
    unlock: () => output.unlock(),
  }));
  const offAudio = output.onStateChange(() => sound.setState({ audio: output.audioState() }));

  // ── revocation ─────────────────────────────────────────────────────────
  const revoke = () => {
    if (revoked || destroyed) return;
    revoked = true;
    clearSelfTimer();
    saveDevice(null, storage);
    opts.onRevoked?.();
  };

  // ── the join URL ───────────────────────────────────────────────────────
  const self = createStore<DisplaySelf | null>()(() => loadSelf(storage));
  let selfTimer: ReturnType<typeof setTimeout> | null = null;
  let selfRequest = 0;
  function clearSelfTimer() {
    if (selfTimer !== null) clearTimeout(selfTimer);
    selfTimer = null;
  }
  const fetchSelf = async () => {
    if (destroyed || revoked) return;
    clearSelfTimer();
    const request = ++selfRequest;
    const current = () => !destroyed && !revoked && request === selfRequest;
    try {
      const answer = await http.request('GET /api/displays/self');
      if (!current()) return;
      saveSelf(answer, storage);
      self.setState(answer, true);
      const until = Math.max(answer.joinUrlValidUntil - clock.now(), SELF_MIN_WAIT_MS);
      selfTimer = setTimeout(
        () => void fetchSelf(),
        Math.min(until + random() * SELF_SPREAD_MS, MAX_TIMER_MS),
      );
    } catch (error) {
      if (!current()) return;
      if (error instanceof HttpError && (error.status === 401 || error.status === 403)) revoke();
      else selfTimer = setTimeout(() => void fetchSelf(), SELF_RETRY_MS);
    }
  };
  const onOnline = () => void fetchSelf();
  if (typeof window !== 'undefined') window.addEventListener('online', onOnline);
  const stopWatchingLink = watchJoinLinkVersion(
    synced.doc,
    () => self.getState()?.joinLinkVersion ?? null,
    () => void fetchSelf(),
  );
  void fetchSelf();

  // ── when the state was last live ───────────────────────────────────────
  const liveAt = createStore<number | null>()(() => Number(read(storage, LIVE_KEY)) || null);
  let liveTimer: ReturnType<typeof setInterval> | null = null;
  const markLive = () => {
    const at = clock.now();
    liveAt.setState(at, true);
    write(storage, LIVE_KEY, String(at));
  };
  const followLive = (status: ConnectionState['status']) => {
    if (status === 'synced' && liveTimer === null) {
      markLive();
      liveTimer = setInterval(markLive, LIVE_MARK_MS);
    } else if (status !== 'synced' && liveTimer !== null) {
      clearInterval(liveTimer);
      liveTimer = null;
      markLive();
    }
  };
  followLive(connection.getState().status);

  const offView = view.subscribe(offerCalls);
  const offConnection = connection.subscribe((s) => {
    if (
      s.status === 'closed' &&
      (s.closedCode === CloseCode.unauthenticated || s.closedCode === CloseCode.forbidden)
    )
      revoke();
    else offerCalls();
    followLive(s.status);
  });

  return {
    device,
    clock,
    synced,
    connection,
    view,
    self,
    liveAt,
    sound,
    announcer,
    output,
    destroy() {
      if (destroyed) return;
      if (liveTimer !== null) markLive();
      destroyed = true;
      clearSelfTimer();
      if (liveTimer !== null) clearInterval(liveTimer);
      if (typeof window !== 'undefined') window.removeEventListener('online', onOnline);
      stopWatchingLink();
      offView();
      offConnection();
      offAudio();
      announcer.destroy();
      output.destroy();
      display.destroy();
      synced.destroy();
    },
  };
}

function loadSeen(storage: KeyValueStorage | null): string[] {
  try {
    const v: unknown = JSON.parse(read(storage, SEEN_KEY) ?? '[]');
    return Array.isArray(v) ? v.filter((k): k is string => typeof k === 'string') : [];
  } catch {
    return [];
  }
}
