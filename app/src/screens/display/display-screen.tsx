/**
 * The waiting-room display (issue 6): a TV left alone for days. Unpaired it
 * shows the pairing code; paired it opens a display session
 * (`stores/display-session.ts`: `queue:<clinic>` read-only, the announcer,
 * the join URL, revocation) and shows, through selectors, the latest call
 * huge, recent calls, the next tickets with their estimated waits and the
 * QR code to join. A revoked device goes back to pairing.
 */
import { useCallback, useEffect, useMemo, useState, type CSSProperties } from 'react';
import { useStore } from 'zustand';
import QRCode from 'qrcode';
import type { Announcer } from '../../announce/announcer.js';
import { roomLabel } from '../../announce/phrase.js';
import { ConnectionLight } from '../../components/connection-light.js';
import { waitText } from '../../i18n/wait.js';
import { loadDevice, saveDevice, type DisplayDevice } from '../../stores/display-device.js';
import { openDisplaySession, type DisplaySession } from '../../stores/display-session.js';
import type { DisplayCall, DisplayView } from '../../stores/display-view.js';
import { Button } from '../../ui/Button.js';
import { Notice } from '../../ui/Notice.js';
import { TicketLabel } from '../../ui/TicketLabel.js';
import { PairingScreen } from './pairing-screen.js';
import { t } from './strings.js';
import './display.css';

export function DisplayScreen() {
  const [device, setDevice] = useState<DisplayDevice | null>(() => loadDevice());
  const [revoked, setRevoked] = useState(false);
  const onPaired = useCallback((d: DisplayDevice) => {
    saveDevice(d);
    setRevoked(false);
    setDevice(d);
  }, []);
  // The session has already forgotten the device.
  const onRevoked = useCallback(() => {
    setRevoked(true);
    setDevice(null);
  }, []);
  useEffect(() => {
    document.title = 'QueueMed — affichage';
  }, []);
  if (!device) return <PairingScreen onPaired={onPaired} revoked={revoked} />;
  return <ClinicDisplay key={device.token} device={device} onRevoked={onRevoked} />;
}

/** What the end-to-end tests read of the announcer (e2e/public-fixtures.ts). */
interface AnnouncerHook {
  log(): ReturnType<Announcer['log']>;
  muted(): boolean;
  audioState(): string;
}
type HookWindow = { __queuemedAnnouncer?: AnnouncerHook };

function ClinicDisplay({ device, onRevoked }: { device: DisplayDevice; onRevoked: () => void }) {
  const [session, setSession] = useState<DisplaySession | null>(null);
  useEffect(() => {
    const s = openDisplaySession({ device, onRevoked });
    (window as unknown as HookWindow).__queuemedAnnouncer = {
      log: () => s.announcer.log(),
      muted: () => s.announcer.isMuted(),
      audioState: () => s.output.audioState(),
    };
    setSession(s);
    return () => {
      delete (window as unknown as HookWindow).__queuemedAnnouncer;
      s.destroy();
    };
  }, [device, onRevoked]);

  if (!session) return <main className="display" />;
  return <DisplayLayout session={session} />;
}

function DisplayLayout({ session }: { session: DisplaySession }) {
  const view = useStore(session.view);
  const connection = session.connection;
  const status = useStore(connection, (s) => s.status);
  const liveAt = useStore(session.liveAt);
  const joinUrl = useStore(session.self, (s) => s?.joinUrl ?? null);
  const audio = useStore(session.sound, (s) => s.audio);
  const muted = useStore(session.sound, (s) => s.muted);
  const [staffOpen, setStaffOpen] = useState(false);
  const tr = t(view.locale);

  // Any touch on the screen unlocks audio (browsers require a gesture).
  useEffect(() => {
    const unlock = () => void session.sound.getState().unlock();
    document.addEventListener('pointerdown', unlock);
    document.addEventListener('keydown', unlock);
    return () => {
      document.removeEventListener('pointerdown', unlock);
      document.removeEventListener('keydown', unlock);
    };
  }, [session]);

  const toggleMute = useCallback(() => {
    const sound = session.sound.getState();
    sound.setMuted(!sound.muted);
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
            <Notice
              tone="danger"
              variant="solid"
              className="display-offline"
              testId="display-offline"
            >
              {liveAt
                ? tr('offlineSince', { time: formatTime(liveAt, view.timezone, view.locale) })
                : tr('offline')}
            </Notice>
          )}
          <ConnectionLight store={connection} size="large" locale={view.locale} />
          {muted && (
            <span className="display-muted" data-testid="display-muted" title={tr('mutedHint')}>
              <SpeakerIcon muted />
            </span>
          )}
          <div className="display-clock-hold" {...holdClock}>
            <Clock now={session.clock.now} timezone={view.timezone} locale={view.locale} />
          </div>
        </div>
      </header>

      <CurrentCalls view={view} stale={offline} liveAt={liveAt} now={session.clock.now} />

      <aside className="display-join">
        <JoinQr url={joinUrl} />
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
                  <TicketLabel label={c.ticket} />
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
          // Each with its estimated wait, as the patient's phone and reception say it (invariant 5).
          <ol data-testid="display-next">
            {view.next.map((n) => (
              <li key={n.entryId} data-label={n.ticket}>
                <TicketLabel label={n.ticket} className="next-ticket" testId="next-ticket" />
                <span className="next-wait" data-testid="next-wait">
                  {waitText(n.waitMinutes, view.locale)}
                </span>
              </li>
            ))}
          </ol>
        )}
      </section>

      {audio === 'blocked' && !muted && (
        // In the layout, not over it: the clinic name and the offline state stay visible.
        <Button
          variant="primary"
          size="large"
          className="display-sound-banner"
          onClick={() => void session.sound.getState().unlock()}
        >
          <SpeakerIcon muted={false} /> {tr('enableSound')}
        </Button>
      )}
      {staffOpen && (
        <div
          className="display-staff"
          role="dialog"
          aria-label={tr('staffControls')}
          data-testid="display-staff"
        >
          <Button aria-pressed={muted} onClick={toggleMute} data-testid="display-mute">
            <SpeakerIcon muted={muted} /> {muted ? tr('unmute') : tr('mute')}
          </Button>
          <Button onClick={() => setStaffOpen(false)}>{tr('staffClose')}</Button>
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

/** The session's clock, read again every `everyMs`. */
function useNow(clock: () => number, everyMs: number): number {
  const [now, setNow] = useState(clock);
  useEffect(() => {
    const id = setInterval(() => setNow(clock()), everyMs);
    return () => clearInterval(id);
  }, [clock, everyMs]);
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
  now: clock,
}: {
  view: DisplayView;
  stale: boolean;
  liveAt: number | null;
  now: () => number;
}) {
  const tr = t(view.locale);
  const now = useNow(clock, 15_000);
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
        // Inside the live region already: no role of its own.
        <Notice
          tone="danger"
          variant="solid"
          role={null}
          className="display-stale"
          testId="display-stale"
        >
          {liveAt ? tr('staleCall', { age: formatAge(now - liveAt, tr) }) : tr('staleCallUnknown')}
        </Notice>
      )}
      {view.featured.map((call, i) => (
        <FeaturedCall key={call.entryId} call={call} latest={i === 0} stale={stale} view={view} />
      ))}
    </section>
  );
}

function FeaturedCall({
  call,
  latest,
  stale,
  view,
}: {
  call: DisplayCall;
  latest: boolean;
  /** Offline: the call may be over. */
  stale: boolean;
  view: DisplayView;
}) {
  const tr = t(view.locale);
  const room = roomLabel(call.roomName, view.locale);
  return (
    <div className="display-call" data-testid="featured-call" data-latest={latest}>
      <div className="display-call-ticket">
        <p className="label">{tr('ticket')}</p>
        {/* key: a new call (or a recall) replays the highlight animation */}
        <p className="display-ticket" key={call.key} style={fitChars(call.ticket)}>
          <TicketLabel
            label={call.ticket}
            size="fit"
            stale={stale}
            testId={latest ? 'current-ticket' : 'featured-ticket'}
          />
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

/** The clinic's time, from the server-corrected clock (a TV's own clock drifts). */
function Clock({
  now: clock,
  timezone,
  locale,
}: {
  now: () => number;
  timezone: string;
  locale: string;
}) {
  const now = useNow(clock, 1_000);
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
