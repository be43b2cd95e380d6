/**
 * The waiting-room display (issue 6): a TV left alone for days. Unpaired it
 * shows the pairing code; paired it opens `queue:<clinic>` read-only (the
 * sync layer keeps an IndexedDB copy and reconnects), shows the latest call
 * huge, recent calls, next tickets and the QR code to join, and announces
 * calls through the announcer. A revoked device goes back to pairing.
 */
import {
  useCallback,
  useEffect,
  useMemo,
  useState,
  useSyncExternalStore,
  type CSSProperties,
} from 'react';
import { useStore } from 'zustand';
import QRCode from 'qrcode';
import type { DisplaySelf } from '../../../../shared/api.js';
import { correctedNow } from '../../../../shared/queue/index.js';
import { createAnnouncer, type Announcer } from '../../announce/announcer.js';
import { roomLabel } from '../../announce/phrase.js';
import type { AnnounceOutput } from '../../announce/types.js';
import { webOutput } from '../../announce/web-output.js';
import { ConnectionLight } from '../../components/connection-light.js';
import { openSyncedDoc, type SyncedDoc } from '../../sync/synced-doc.js';
import {
  fetchSelf,
  HttpError,
  loadClockOffset,
  loadDevice,
  loadSelf,
  saveDevice,
  type DisplayDevice,
} from './device.js';
import { createDisplayStore, type DisplayStore } from '../../stores/display-store.js';
import type { DisplayCall, DisplayView } from '../../stores/display-view.js';
import { watchJoinLinkVersion } from '../../stores/join-link-refresh.js';
import { PairingScreen } from './pairing-screen.js';
import { t } from './strings.js';
import './display.css';

const MUTED_KEY = 'queuemed.display.muted';
const SEEN_KEY = 'queuemed.display.announced';
const SEEN_KEPT = 50;

function loadSeen(): string[] {
  try {
    const v: unknown = JSON.parse(localStorage.getItem(SEEN_KEY) ?? '[]');
    return Array.isArray(v) ? v.filter((k): k is string => typeof k === 'string') : [];
  } catch {
    return [];
  }
}
const SELF_RETRY_MS = 60_000;

export function DisplayScreen() {
  const [device, setDevice] = useState<DisplayDevice | null>(() => loadDevice());
  const [revoked, setRevoked] = useState(false);
  const onPaired = useCallback((d: DisplayDevice) => {
    saveDevice(d);
    setRevoked(false);
    setDevice(d);
  }, []);
  const onRevoked = useCallback(() => {
    saveDevice(null);
    setRevoked(true);
    setDevice(null);
  }, []);
  useEffect(() => {
    document.title = 'QueueMed — affichage';
  }, []);
  if (!device) return <PairingScreen onPaired={onPaired} revoked={revoked} />;
  return <ClinicDisplay key={device.token} device={device} onRevoked={onRevoked} />;
}

interface Session {
  synced: SyncedDoc;
  display: DisplayStore;
  output: AnnounceOutput;
  announcer: Announcer;
}

interface AnnouncerHook {
  log(): ReturnType<Announcer['log']>;
  muted(): boolean;
  audioState(): string;
}

function ClinicDisplay({ device, onRevoked }: { device: DisplayDevice; onRevoked: () => void }) {
  const [session, setSession] = useState<Session | null>(null);
  const [self, setSelf] = useState<DisplaySelf | null>(() => loadSelf());
  // Bumped when the public doc says the join link was regenerated: fetch it again.
  const [selfGeneration, setSelfGeneration] = useState(0);
  useEffect(
    () =>
      session
        ? watchJoinLinkVersion(
            session.synced.doc,
            () => loadSelf()?.joinLinkVersion ?? null,
            () => setSelfGeneration((g) => g + 1),
          )
        : undefined,
    [session],
  );

  useEffect(() => {
    const offset = loadClockOffset();
    const now = () => correctedNow(Date.now(), offset);
    const synced = openSyncedDoc(`queue:${device.clinicId}`, {
      token: device.token,
      readOnly: true,
    });
    const display = createDisplayStore(synced.doc, { now });
    const output = webOutput();
    const seenKeys = loadSeen();
    const announcer = createAnnouncer({
      output,
      now,
      isCurrent: (key) => display.store.getState().called.some((c) => c.key === key),
      muted: localStorage.getItem(MUTED_KEY) === '1',
      seen: seenKeys,
      onSeen: (key) => {
        seenKeys.push(key);
        if (seenKeys.length > SEEN_KEPT) seenKeys.splice(0, seenKeys.length - SEEN_KEPT);
        try {
          localStorage.setItem(SEEN_KEY, JSON.stringify(seenKeys));
        } catch {
          // A reload may repeat a recent announcement; nothing worse.
        }
      },
    });
    // Announce only what the relay confirmed: a cached state may already be stale.
    const offerCalls = () => {
      if (synced.connection.getState().status !== 'synced') return;
      const view = display.store.getState();
      for (const call of [...view.called].reverse())
        announcer.offer({ ...call, room: call.roomName, locale: view.locale });
    };
    const unsubView = display.store.subscribe(offerCalls);
    const unsubConn = synced.connection.subscribe((s) => {
      if (s.status === 'closed' && (s.closedCode === 4401 || s.closedCode === 4403)) onRevoked();
      else offerCalls();
    });
    const hook: AnnouncerHook = {
      log: () => announcer.log(),
      muted: () => announcer.isMuted(),
      audioState: () => output.audioState(),
    };
    (window as unknown as { __queuemedAnnouncer?: AnnouncerHook }).__queuemedAnnouncer = hook;
    setSession({ synced, display, output, announcer });
    return () => {
      unsubView();
      unsubConn();
      announcer.destroy();
      output.destroy();
      display.destroy();
      synced.destroy();
      delete (window as unknown as { __queuemedAnnouncer?: AnnouncerHook }).__queuemedAnnouncer;
    };
  }, [device, onRevoked]);

  // The join URL rotates daily: fetch it again when it expires, retry while offline.
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    let stopped = false;
    const load = async () => {
      try {
        const s = await fetchSelf(device.token);
        if (stopped) return;
        setSelf(s);
        const until = Math.max(s.joinUrlValidUntil - Date.now(), 60_000);
        timer = setTimeout(
          () => void load(),
          Math.min(until + Math.random() * 30_000, 2 ** 31 - 1),
        );
      } catch (error) {
        if (stopped) return;
        if (error instanceof HttpError && (error.status === 401 || error.status === 403)) {
          onRevoked();
          return;
        }
        timer = setTimeout(() => void load(), SELF_RETRY_MS);
      }
    };
    void load();
    const onOnline = () => {
      if (timer !== null) clearTimeout(timer);
      void load();
    };
    window.addEventListener('online', onOnline);
    return () => {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      window.removeEventListener('online', onOnline);
    };
  }, [device, onRevoked, selfGeneration]);

  if (!session) return <main className="display" />;
  return <DisplayLayout session={session} self={self} />;
}

function useAudioState(output: AnnounceOutput) {
  return useSyncExternalStore(
    (l) => output.onStateChange(l),
    () => output.audioState(),
  );
}

function DisplayLayout({ session, self }: { session: Session; self: DisplaySelf | null }) {
  const view = useStore(session.display.store);
  const connection = session.synced.connection;
  const status = useStore(connection, (s) => s.status);
  const liveAt = useLastLive(connection);
  const audio = useAudioState(session.output);
  const [muted, setMuted] = useState(() => session.announcer.isMuted());
  const [staffOpen, setStaffOpen] = useState(false);
  const tr = t(view.locale);

  // Any touch on the screen unlocks audio (browsers require a gesture).
  useEffect(() => {
    const unlock = () => void session.output.unlock();
    document.addEventListener('pointerdown', unlock);
    document.addEventListener('keydown', unlock);
    return () => {
      document.removeEventListener('pointerdown', unlock);
      document.removeEventListener('keydown', unlock);
    };
  }, [session]);

  const toggleMute = useCallback(() => {
    const next = !session.announcer.isMuted();
    session.announcer.setMuted(next);
    try {
      localStorage.setItem(MUTED_KEY, next ? '1' : '0');
    } catch {
      // The choice lasts until the next reload.
    }
    setMuted(next);
  }, [session]);

  // Staff controls stay out of patients' way (KIOSK.md): key M mutes or unmutes
  // and shows them, a long press on the clock shows them; they hide by themselves.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === 'm' || e.key === 'M') {
        toggleMute();
        setStaffOpen(true);
      } else if (e.key === 'Escape') setStaffOpen(false);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [toggleMute]);
  useEffect(() => {
    if (!staffOpen) return;
    const id = setTimeout(() => setStaffOpen(false), STAFF_CONTROLS_MS);
    return () => clearTimeout(id);
  }, [staffOpen, muted]);
  const holdClock = useLongPress(() => setStaffOpen(true));

  const offline = status === 'offline' || status === 'reconnecting' || status === 'closed';
  const longName = view.clinicName.length > LONG_CLINIC_NAME;
  // Calls shown big take the history's room: 3 rows beside one call, 2 beside two, none beside three.
  const historyRows =
    view.featured.length >= 3 ? 0 : HISTORY_ROWS + 1 - Math.max(1, view.featured.length);

  return (
    <main
      className="display"
      lang={view.locale}
      data-testid="display"
      data-ready={view.ready}
      data-status={status}
      data-featured={view.featured.length}
      data-stale={offline && view.ready}
      onContextMenu={(e) => e.preventDefault()}
    >
      <header className="display-header">
        <h1 className={longName ? 'display-clinic long' : 'display-clinic'}>
          {view.clinicName || '\u00a0'}
        </h1>
        <div className="display-header-right">
          {offline && (
            // In the header, so a cut never shifts the call out of its place.
            <p className="display-offline" role="alert" data-testid="display-offline">
              {liveAt
                ? tr('offlineSince', { time: formatTime(liveAt, view.timezone, view.locale) })
                : tr('offline')}
            </p>
          )}
          <ConnectionLight store={connection} size="large" locale={view.locale} />
          {muted && (
            <span className="display-muted" data-testid="display-muted" title={tr('mutedHint')}>
              <SpeakerIcon muted />
            </span>
          )}
          <div className="display-clock-hold" {...holdClock}>
            <Clock timezone={view.timezone} locale={view.locale} />
          </div>
        </div>
      </header>

      <CurrentCalls view={view} stale={offline} liveAt={liveAt} />

      <aside className="display-join">
        <JoinQr url={self?.joinUrl ?? null} />
        <p className="display-scan">{view.open ? tr('scan') : tr('closed')}</p>
      </aside>

      <section className="display-history" hidden={historyRows === 0}>
        <h2>{tr('recent')}</h2>
        {view.history.length === 0 ? (
          <p className="empty">{tr('noHistory')}</p>
        ) : (
          <ol data-testid="display-history">
            {view.history.slice(0, historyRows).map((c) => {
              const room = roomLabel(c.roomName, view.locale);
              return (
                <li key={c.key}>
                  <span className="ticket">{c.ticket}</span>
                  <span className="arrow" aria-hidden="true">
                    →
                  </span>
                  <span className="room" data-long={room.length > LONG_ROOM_NAME}>
                    {room}
                  </span>
                </li>
              );
            })}
          </ol>
        )}
      </section>

      <section className="display-next">
        <h2>
          <span>{tr('next')}</span>
          {view.waitingCount > 0 && (
            <span className="display-count">{tr('waitingCount', { n: view.waitingCount })}</span>
          )}
        </h2>
        {view.next.length === 0 ? (
          <p className="empty">{tr('nobodyWaiting')}</p>
        ) : (
          // One row: the tickets that do not fit wrap out of sight, whole (the count says how many).
          <ol data-testid="display-next">
            {view.next.map((label) => (
              <li key={label}>{label}</li>
            ))}
          </ol>
        )}
      </section>

      {audio === 'blocked' && !muted && (
        // In the layout, not over it: the clinic name and the offline state stay visible.
        <button
          type="button"
          className="display-sound-banner"
          onClick={() => void session.output.unlock()}
        >
          <SpeakerIcon muted={false} /> {tr('enableSound')}
        </button>
      )}
      {staffOpen && (
        <div
          className="display-staff"
          role="dialog"
          aria-label={tr('staffControls')}
          data-testid="display-staff"
        >
          <button
            type="button"
            className="display-mute"
            aria-pressed={muted}
            onClick={toggleMute}
            data-testid="display-mute"
          >
            <SpeakerIcon muted={muted} /> {muted ? tr('unmute') : tr('mute')}
          </button>
          <button type="button" className="display-staff-close" onClick={() => setStaffOpen(false)}>
            {tr('staffClose')}
          </button>
        </div>
      )}
    </main>
  );
}

const HISTORY_ROWS = 3;
/** Longer names get a smaller font and may wrap on two lines (display.css). */
const LONG_CLINIC_NAME = 32;
const LONG_ROOM_NAME = 28;
const LONG_PRESS_MS = 2_000;
const STAFF_CONTROLS_MS = 15_000;
const LIVE_KEY = 'queuemed.display.liveAt';
const LIVE_MARK_MS = 30_000;

/**
 * When this display last held the relay's state: now while synced (marked
 * every 30 s and when the connection drops), kept across reloads, so a
 * display that restarts offline still says how old its state is.
 */
function useLastLive(connection: SyncedDoc['connection']): number | null {
  const status = useStore(connection, (s) => s.status);
  const [liveAt, setLiveAt] = useState<number | null>(() => {
    try {
      return Number(localStorage.getItem(LIVE_KEY)) || null;
    } catch {
      return null;
    }
  });
  useEffect(() => {
    if (status !== 'synced') return;
    const mark = () => {
      const at = Date.now();
      setLiveAt(at);
      try {
        localStorage.setItem(LIVE_KEY, String(at));
      } catch {
        // Kept in memory only.
      }
    };
    mark();
    const id = setInterval(mark, LIVE_MARK_MS);
    return () => {
      clearInterval(id);
      mark();
    };
  }, [status]);
  return liveAt;
}

/** Pointer handlers that call `onHold` after a press of LONG_PRESS_MS without release. */
function useLongPress(onHold: () => void) {
  const [timer, setTimer] = useState<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => void (timer !== null && clearTimeout(timer)), [timer]);
  const cancel = () => setTimer(null);
  return {
    onPointerDown: () => setTimer(setTimeout(onHold, LONG_PRESS_MS)),
    onPointerUp: cancel,
    onPointerLeave: cancel,
    onPointerCancel: cancel,
  };
}

function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(id);
  }, [everyMs]);
  return now;
}

function formatAge(ms: number, tr: ReturnType<typeof t>): string {
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  if (minutes < 1) return tr('ageNow');
  if (minutes < 60) return tr('ageMinutes', { n: minutes });
  return tr('ageHours', { h: Math.floor(minutes / 60), m: String(minutes % 60).padStart(2, '0') });
}

/** The calls shown big: the latest, and the others made just before it (display-view FEATURE_MS). */
function CurrentCalls({
  view,
  stale,
  liveAt,
}: {
  view: DisplayView;
  stale: boolean;
  liveAt: number | null;
}) {
  const tr = t(view.locale);
  const now = useNow(15_000);
  if (!view.ready)
    return (
      <section className="display-calls idle">
        <p className="display-welcome">{tr('loading')}</p>
      </section>
    );
  if (view.featured.length === 0)
    return (
      <section className="display-calls idle" data-stale={stale}>
        <p className="display-welcome">{tr('noCall')}</p>
        <p className="display-hint">{tr('noCallHint')}</p>
      </section>
    );
  return (
    <section
      className="display-calls"
      data-testid="display-current"
      data-count={view.featured.length}
      data-stale={stale}
      aria-live="assertive"
    >
      {stale && (
        <p className="display-stale" data-testid="display-stale">
          {liveAt ? tr('staleCall', { age: formatAge(now - liveAt, tr) }) : tr('staleCallUnknown')}
        </p>
      )}
      {view.featured.map((call, i) => (
        <FeaturedCall key={call.entryId} call={call} latest={i === 0} view={view} />
      ))}
    </section>
  );
}

function FeaturedCall({
  call,
  latest,
  view,
}: {
  call: DisplayCall;
  latest: boolean;
  view: DisplayView;
}) {
  const tr = t(view.locale);
  const room = roomLabel(call.roomName, view.locale);
  return (
    <div className="display-call" data-testid="featured-call" data-latest={latest}>
      <div className="display-call-ticket">
        <p className="label">{tr('ticket')}</p>
        {/* key: a new call (or a recall) replays the highlight animation */}
        <p
          className="display-ticket"
          key={call.key}
          data-testid={latest ? 'current-ticket' : 'featured-ticket'}
          style={fitChars(call.ticket)}
        >
          {call.ticket}
        </p>
      </div>
      <div className="display-call-room">
        <p className="goto">{tr('goTo')}</p>
        <p
          className="display-room"
          data-testid={latest ? 'current-room' : 'featured-room'}
          style={fitChars(room)}
        >
          {room}
        </p>
      </div>
    </div>
  );
}

/** Lets CSS size a label to its panel (see .display-ticket, .display-room). */
const fitChars = (text: string) =>
  ({
    '--chars': Math.max(4, text.length),
    '--lines': text.length > LONG_ROOM_NAME ? 2 : 1,
  }) as CSSProperties;

/** Inline icon: kiosk machines often have no emoji font. */
function SpeakerIcon({ muted }: { muted: boolean }) {
  return (
    <svg className="display-icon" viewBox="0 0 24 24" aria-hidden="true">
      <path d="M3 9v6h4l5 4V5L7 9H3z" fill="currentColor" />
      {muted ? (
        <path d="M16 9l5 6m0-6l-5 6" stroke="currentColor" strokeWidth="2" fill="none" />
      ) : (
        <path
          d="M15.5 8.5a5 5 0 010 7M18 6a8.5 8.5 0 010 12"
          stroke="currentColor"
          strokeWidth="2"
          fill="none"
        />
      )}
    </svg>
  );
}

function formatTime(ms: number, timezone: string, locale: string): string {
  try {
    return new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'fr-FR', {
      hour: '2-digit',
      minute: '2-digit',
      timeZone: timezone,
    }).format(ms);
  } catch {
    return new Date(ms).toLocaleTimeString();
  }
}

function Clock({ timezone, locale }: { timezone: string; locale: string }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(id);
  }, []);
  return (
    <time className="display-clock" dateTime={new Date(now).toISOString()}>
      {formatTime(now, timezone, locale)}
    </time>
  );
}

function JoinQr({ url }: { url: string | null }) {
  const [svg, setSvg] = useState<string | null>(null);
  useEffect(() => {
    if (!url) return;
    let live = true;
    QRCode.toString(url, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' })
      .then((s) => live && setSvg(s))
      .catch(() => live && setSvg(null));
    return () => {
      live = false;
    };
  }, [url]);
  const short = useMemo(() => (url ? url.replace(/^https?:\/\//, '') : ''), [url]);
  if (!url) return <div className="display-qr empty" />;
  return (
    <figure className="display-qr-wrap">
      {svg && (
        <div
          className="display-qr"
          data-testid="join-qr"
          role="img"
          aria-label={url}
          // The SVG is generated locally by the qrcode package from our own URL.
          dangerouslySetInnerHTML={{ __html: svg }}
        />
      )}
      <figcaption className="display-url" data-testid="join-url">
        {/* When it must wrap, it wraps before the path, never inside the secret. */}
        {short.split(/(?=\/join\/)/).map((part, i) => (
          <span key={i} className="display-url-part">
            {part}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
