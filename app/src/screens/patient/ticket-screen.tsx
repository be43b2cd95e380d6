/**
 * The patient's own ticket page: live number, position and estimated wait,
 * then "It's your turn — room 3" with vibration, sound and a notification.
 * Read-only on `queue:<clinic>` with the patient token from the URL fragment
 * (kept in localStorage so a reload works). Survives the phone locking: on
 * return to the page a silent connection is dropped and reopened.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useStore } from 'zustand';
import { roomLabel } from '../../announce/phrase.js';
import { ConnectionLight } from '../../components/connection-light.js';
import { InsecureOriginNotice, isSecureOrigin } from '../../components/secure-origin.js';
import { useLocale } from '../../i18n/index.js';
import { openSyncedDoc, type SyncedDoc } from '../../sync/synced-doc.js';
import { loadTicketToken, saveTicketToken } from './api.js';
import { createPatientAlerts, notifyPermission, type NotifyPermission } from './alerts.js';
import { TopBar, useClinicLocale } from './patient-chrome.js';
import { derivePatientView, type PatientView } from '../../stores/patient-view.js';
import { t } from './strings.js';
import './patient.css';

const TICK_MS = 30_000;
/** A connection silent for this long after the phone wakes up is presumed dead. */
const STALE_MS = 20_000;

function tokenFor(clinicId: string, entryId: string): string | null {
  const fragment = window.location.hash.replace(/^#/, '');
  if (fragment) {
    saveTicketToken(clinicId, entryId, fragment);
    return fragment;
  }
  return loadTicketToken(clinicId, entryId);
}

export function TicketScreen({ clinicId, entryId }: { clinicId: string; entryId: string }) {
  const [locale] = useLocale();
  const tr = t(locale);
  const token = useMemo(() => tokenFor(clinicId, entryId), [clinicId, entryId]);
  const [synced, setSynced] = useState<SyncedDoc | null>(null);

  useEffect(() => {
    if (!token) return;
    const s = openSyncedDoc(`queue:${clinicId}`, { token, readOnly: true });
    setSynced(s);
    // Back from a locked screen or another app: make sure the socket is alive.
    const onVisible = () => {
      if (document.visibilityState !== 'visible' || !navigator.onLine) return;
      const state = s.connection.getState().status;
      if (state === 'closed' || state === 'offline') return;
      const p = s.provider;
      if (p.wsconnected && Date.now() - p.wsLastMessageReceived > STALE_MS) p.ws?.close();
      else if (!p.wsconnected && !p.wsconnecting) p.connect();
    };
    document.addEventListener('visibilitychange', onVisible);
    window.addEventListener('pageshow', onVisible);
    return () => {
      document.removeEventListener('visibilitychange', onVisible);
      window.removeEventListener('pageshow', onVisible);
      s.destroy();
      setSynced(null);
    };
  }, [clinicId, token]);

  useEffect(() => {
    document.title = tr('yourTicket');
  }, [tr]);

  if (!token)
    return (
      <main className="patient">
        <TopBar />
        <p className="patient-error" role="alert">
          {tr('noToken')}
        </p>
      </main>
    );
  if (!synced) return <main className="patient" aria-busy="true" />;
  return <LiveTicket synced={synced} entryId={entryId} />;
}

function usePatientView(synced: SyncedDoc, entryId: string): PatientView {
  const everSynced = useStore(synced.connection, (s) => s.lastSyncedAt !== null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const onUpdate = () => setTick((n) => n + 1);
    synced.doc.on('update', onUpdate);
    const id = setInterval(onUpdate, TICK_MS);
    return () => {
      synced.doc.off('update', onUpdate);
      clearInterval(id);
    };
  }, [synced]);
  const [localLoaded, setLocalLoaded] = useState(false);
  useEffect(() => {
    let live = true;
    void synced.whenLocal.then(() => live && setLocalLoaded(true));
    return () => {
      live = false;
    };
  }, [synced]);
  return useMemo(
    () => derivePatientView(synced.doc, entryId, Date.now(), everSynced),
    // tick and localLoaded only trigger recomputation (doc updates, time passing).
    [synced, entryId, everSynced, tick, localLoaded],
  );
}

function LiveTicket({ synced, entryId }: { synced: SyncedDoc; entryId: string }) {
  const [locale] = useLocale();
  const tr = t(locale);
  const view = usePatientView(synced, entryId);
  useClinicLocale(view.locale);
  const status = useStore(synced.connection, (s) => s.status);
  const closedCode = useStore(synced.connection, (s) => s.closedCode);
  const [permission, setPermission] = useState<NotifyPermission>(() => notifyPermission());
  const [enabled, setEnabled] = useState(false);
  const alerts = useMemo(() => createPatientAlerts(), []);
  useEffect(() => () => alerts.destroy(), [alerts]);

  // Alert once per call (a recall alerts again); not again after a reload.
  const alertedKey = `queuemed.alerted.${entryId}`;
  const lastAlerted = useRef<string | null>(localStorage.getItem(alertedKey));
  const room = view.roomName ? roomLabel(view.roomName, locale) : '';
  useEffect(() => {
    if (view.phase !== 'called' || !view.callKey || lastAlerted.current === view.callKey) return;
    lastAlerted.current = view.callKey;
    try {
      localStorage.setItem(alertedKey, view.callKey);
    } catch {
      // ignore
    }
    alerts.alert(tr('notifyTitle', { room }), tr('notifyBody', { ticket: view.ticket }));
  }, [view.phase, view.callKey, view.ticket, room, alerts, alertedKey, tr]);

  const enable = async () => {
    setPermission(await alerts.enable());
    setEnabled(true);
  };

  const cutOff = status === 'offline' || status === 'reconnecting';
  const expired = status === 'closed' && (closedCode === 4401 || closedCode === 4403);

  return (
    <main className="patient" lang={locale} data-phase={view.phase} data-testid="ticket">
      <TopBar />
      <div className="patient-clinic-row">
        <p className="patient-clinic">{view.clinicName}</p>
        <ConnectionLight store={synced.connection} />
      </div>
      {expired && (
        <p className="patient-note" role="status">
          {tr('expiredToken')}
        </p>
      )}
      {cutOff && view.phase !== 'loading' && (
        <p className="patient-note" role="status">
          {tr('offlineNote')}
        </p>
      )}

      {view.phase === 'loading' && <p className="patient-loading">{tr('loading')}</p>}
      {view.phase === 'unknown' && (
        <p className="patient-error" role="alert">
          {tr('unknown')}
        </p>
      )}

      {view.ticket && (
        <section
          className={`ticket-card ${view.phase === 'called' ? 'ticket-called' : ''}`}
          aria-live="assertive"
        >
          {view.phase === 'called' ? (
            <>
              <p className="ticket-turn" data-testid="your-turn">
                {tr('yourTurn')}
              </p>
              <p className="ticket-goto">{tr('goTo')}</p>
              <p className="ticket-room" data-testid="ticket-room">
                {room}
              </p>
              <p className="ticket-number-small">
                {tr('yourTicket')} <strong data-testid="ticket-number">{view.ticket}</strong>
              </p>
            </>
          ) : (
            <>
              <p className="ticket-label">{tr('yourTicket')}</p>
              <p
                className={`ticket-number ${view.ticket.length > 6 ? 'ticket-number-long' : ''}`}
                data-testid="ticket-number"
              >
                {view.ticket}
              </p>
              {view.serviceName && <p className="ticket-service">{view.serviceName}</p>}
            </>
          )}
        </section>
      )}

      {(view.phase === 'waiting' || view.phase === 'sent-back') && (
        <>
          {view.phase === 'sent-back' && <p className="patient-note">{tr('sentBack')}</p>}
          <dl className="ticket-stats" aria-live="polite">
            <div>
              <dt>{tr('position')}</dt>
              <dd
                data-testid="ticket-position"
                className={view.position === 1 ? 'ticket-stat-phrase' : undefined}
              >
                {view.position === 1 ? tr('positionFirst') : (view.position ?? '—')}
              </dd>
            </div>
            <div>
              <dt>{tr('wait')}</dt>
              <dd
                data-testid="ticket-wait"
                className={view.waitMinutes === 0 ? 'ticket-stat-phrase' : undefined}
              >
                {waitText(tr, view.waitMinutes)}
              </dd>
            </div>
          </dl>
          <p className="patient-hint-block">{tr('keepOpen')}</p>
        </>
      )}
      {view.phase === 'in-service' && (
        <p className="patient-message">
          {tr('inService')}
          {room && ` — ${room}`}
        </p>
      )}
      {view.phase === 'done' && <p className="patient-message">{tr('done')}</p>}
      {view.phase === 'no-show' && (
        <p className="patient-error" role="alert" data-testid="missed">
          {tr('noShow')}
        </p>
      )}
      {view.phase === 'cancelled' && <p className="patient-message">{tr('cancelled')}</p>}

      {(view.phase === 'waiting' || view.phase === 'sent-back') &&
        (enabled || permission === 'granted' ? (
          <p className="patient-hint-block" role="status">
            {permission === 'denied' ? tr('alertsDenied') : tr('alertsOn')}
          </p>
        ) : (
          <button
            type="button"
            className="patient-button patient-button-secondary"
            onClick={() => void enable()}
          >
            <BellIcon /> {tr('alertsButton')}
          </button>
        ))}
      {(view.phase === 'waiting' || view.phase === 'sent-back') && !isSecureOrigin() && (
        // On http://<LAN address> the browser refuses notifications without a word: say it.
        <InsecureOriginNotice audience="patient" locale={locale} />
      )}
    </main>
  );
}

/** "Très bientôt", "≈ 25 min", "≈ 1 h 05" (rule W1: 0 min is said only to the first three). */
function waitText(tr: ReturnType<typeof t>, minutes: number | null): string {
  if (minutes === null) return '—';
  if (minutes < 1) return tr('waitNone');
  if (minutes < 60) return tr('waitMin', { n: minutes });
  return tr('waitHours', {
    h: Math.floor(minutes / 60),
    mm: String(minutes % 60).padStart(2, '0'),
  });
}

/** Inline: many phones' fonts lack the emoji, and an icon must not depend on it. */
function BellIcon() {
  return (
    <svg className="patient-icon" viewBox="0 0 24 24" aria-hidden="true">
      <path
        d="M12 3a6 6 0 00-6 6v4l-2 3h16l-2-3V9a6 6 0 00-6-6zm-2 15a2 2 0 004 0"
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
        strokeLinejoin="round"
      />
    </svg>
  );
}
