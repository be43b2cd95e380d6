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
import { createDisplayStore, type DisplayStore } from './display-store.js';
import type { DisplayCall, DisplayView } from './display-view.js';
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

  useEffect(() => {
    const offset = loadClockOffset();
    const now = () => correctedNow(Date.now(), offset);
    const synced = openSyncedDoc(`queue:${device.clinicId}`, {
      token: device.token,
      readOnly: true,
    });
    const display = createDisplayStore(synced.doc, now);
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
  }, [device, onRevoked]);

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
  const lastSyncedAt = useStore(connection, (s) => s.lastSyncedAt);
  const audio = useAudioState(session.output);
  const [muted, setMuted] = useState(() => session.announcer.isMuted());
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

  const toggleMute = () => {
    const next = !muted;
    session.announcer.setMuted(next);
    localStorage.setItem(MUTED_KEY, next ? '1' : '0');
    setMuted(next);
  };
  const offline = status === 'offline' || status === 'reconnecting' || status === 'closed';

  return (
    <main
      className="display"
      lang={view.locale}
      data-testid="display"
      data-ready={view.ready}
      data-status={status}
    >
      <header className="display-header">
        <h1 className="display-clinic">{view.clinicName || '\u00a0'}</h1>
        <div className="display-header-right">
          {offline && view.ready && (
            // In the header, so a cut never shifts the call out of its place.
            <p className="display-offline" role="alert">
              {lastSyncedAt
                ? tr('offlineSince', {
                    time: formatTime(lastSyncedAt, view.timezone, view.locale),
                  })
                : tr('offline')}
            </p>
          )}
          <ConnectionLight store={connection} size="large" />
          <Clock timezone={view.timezone} locale={view.locale} />
        </div>
      </header>

      <section className="display-main">
        <CurrentCall view={view} />
        <aside className="display-join">
          <JoinQr url={self?.joinUrl ?? null} />
          <p className="display-scan">{view.open ? tr('scan') : tr('closed')}</p>
        </aside>
      </section>

      <section className="display-lists">
        <div className="display-history">
          <h2>{tr('recent')}</h2>
          {view.history.length === 0 ? (
            <p className="empty">{tr('noHistory')}</p>
          ) : (
            <ol data-testid="display-history">
              {view.history.slice(0, 3).map((c) => (
                <li key={c.key}>
                  <span className="ticket">{c.ticket}</span>
                  <span className="arrow" aria-hidden="true">
                    →
                  </span>
                  <span className="room">{roomLabel(c.roomName, view.locale)}</span>
                </li>
              ))}
            </ol>
          )}
        </div>
        <div className="display-next">
          <h2>
            {tr('next')}
            {view.waitingCount > 0 && (
              <span className="display-count">
                {' '}
                · {tr('waitingCount', { n: view.waitingCount })}
              </span>
            )}
          </h2>
          {view.next.length === 0 ? (
            <p className="empty">{tr('nobodyWaiting')}</p>
          ) : (
            <ol data-testid="display-next">
              {view.next.map((label) => (
                <li key={label}>{label}</li>
              ))}
            </ol>
          )}
        </div>
      </section>

      {audio === 'blocked' && !muted && (
        <button
          type="button"
          className="display-sound-banner"
          onClick={() => void session.output.unlock()}
        >
          <SpeakerIcon muted={false} /> {tr('enableSound')}
        </button>
      )}
      <button
        type="button"
        className="display-mute"
        aria-pressed={muted}
        onClick={toggleMute}
        data-testid="display-mute"
      >
        <SpeakerIcon muted={muted} /> {muted ? tr('unmute') : tr('mute')}
      </button>
    </main>
  );
}

function CurrentCall({ view }: { view: DisplayView }) {
  const tr = t(view.locale);
  const call: DisplayCall | null = view.current;
  if (!view.ready)
    return (
      <div className="display-current idle">
        <p className="display-welcome">{tr('loading')}</p>
      </div>
    );
  if (!call)
    return (
      <div className="display-current idle">
        <p className="display-welcome">{tr('noCall')}</p>
        <p className="display-hint">{tr('noCallHint')}</p>
      </div>
    );
  const room = roomLabel(call.roomName, view.locale);
  return (
    <div className="display-current" data-testid="display-current" aria-live="assertive">
      <p className="label">{tr('ticket')}</p>
      {/* key: a new call (or a recall) replays the highlight animation */}
      <p
        className="display-ticket"
        key={call.key}
        data-testid="current-ticket"
        style={fitChars(call.ticket)}
      >
        {call.ticket}
      </p>
      <p className="goto">{tr('goTo')}</p>
      <p className="display-room" data-testid="current-room" style={fitChars(room)}>
        {room}
      </p>
    </div>
  );
}

/** Lets CSS shrink a long label to the panel's width (see .display-ticket). */
const fitChars = (text: string) => ({ '--chars': Math.max(4, text.length) }) as CSSProperties;

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
