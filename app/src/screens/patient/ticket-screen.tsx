/**
 * The patient's own ticket page: live number, position and estimated wait,
 * then "It's your turn — room 3" with vibration, sound and a notification.
 * The ids come from the URL and the patient token from its fragment (kept in
 * localStorage so a reload works); everything else is the patient session
 * (`stores/patient-session.ts`: `queue:<clinic>` read-only, the view on the
 * server-corrected clock, the reopen after the phone was locked), read
 * through selectors.
 */
import { useEffect, useMemo, useRef, useState, type CSSProperties } from 'react';
import { useStore } from 'zustand';
import { isClinicId, type ClinicId } from '../../../../shared/ids.js';
import { CloseCode } from '../../../../shared/protocol.js';
import { isEntryId, type EntryId } from '../../../../shared/queue/index.js';
import { roomLabel } from '../../announce/phrase.js';
import { ConnectionLight } from '../../components/connection-light.js';
import { InsecureOriginNotice, isSecureOrigin } from '../../components/secure-origin.js';
import { useLocale } from '../../i18n/index.js';
import { waitText } from '../../i18n/wait.js';
import { openPatientSession, type PatientSession } from '../../stores/patient-session.js';
import { Button } from '../../ui/Button.js';
import { Notice } from '../../ui/Notice.js';
import { TicketLabel } from '../../ui/TicketLabel.js';
import { loadTicketToken, saveTicketToken } from './api.js';
import { createPatientAlerts, notifyPermission, type NotifyPermission } from './alerts.js';
import { TopBar, useClinicLocale } from './patient-chrome.js';
import { t } from './strings.js';
import './patient.css';

function tokenFor(clinicId: ClinicId, entryId: EntryId): string | null {
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
  // The URL is the edge: a link whose ids are not ids names no ticket.
  const ticket = useMemo(
    () => (isClinicId(clinicId) && isEntryId(entryId) ? { clinicId, entryId } : null),
    [clinicId, entryId],
  );
  const token = useMemo(() => ticket && tokenFor(ticket.clinicId, ticket.entryId), [ticket]);
  const [session, setSession] = useState<PatientSession | null>(null);

  useEffect(() => {
    if (!ticket || !token) return;
    const s = openPatientSession({ ...ticket, token });
    setSession(s);
    return () => {
      s.destroy();
      setSession(null);
    };
  }, [ticket, token]);

  useEffect(() => {
    document.title = tr('yourTicket');
  }, [tr]);

  if (!ticket || !token)
    return (
      <main className="patient">
        <TopBar />
        <Notice tone="danger" variant="bar">
          {ticket ? tr('noToken') : tr('unknown')}
        </Notice>
      </main>
    );
  if (!session) return <main className="patient" aria-busy="true" />;
  return <LiveTicket session={session} />;
}

function LiveTicket({ session }: { session: PatientSession }) {
  const [locale] = useLocale();
  const tr = t(locale);
  const { entryId, connection } = session;
  const view = useStore(session.view);
  useClinicLocale(view.locale);
  const status = useStore(connection, (s) => s.status);
  const closedCode = useStore(connection, (s) => s.closedCode);
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
  const expired =
    status === 'closed' &&
    (closedCode === CloseCode.unauthenticated || closedCode === CloseCode.forbidden);

  return (
    <main className="patient" lang={locale} data-phase={view.phase} data-testid="ticket">
      <TopBar />
      <div className="patient-clinic-row">
        <p className="patient-clinic">{view.clinicName}</p>
        <ConnectionLight store={connection} />
      </div>
      {expired && (
        <Notice tone="warning" variant="bar" role="status">
          {tr('expiredToken')}
        </Notice>
      )}
      {cutOff && view.phase !== 'loading' && (
        <Notice tone="warning" variant="bar" role="status">
          {tr('offlineNote')}
        </Notice>
      )}

      {view.phase === 'loading' && <p className="patient-loading">{tr('loading')}</p>}
      {view.phase === 'unknown' && (
        <Notice tone="danger" variant="bar">
          {tr('unknown')}
        </Notice>
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
              <p className="ticket-room" data-testid="ticket-room" style={longestWord(room)}>
                {room}
              </p>
              <p className="ticket-number-small">
                {tr('yourTicket')}{' '}
                <TicketLabel label={view.ticket} className="ticket-small" testId="ticket-number" />
              </p>
            </>
          ) : (
            <>
              <p className="ticket-caption">{tr('yourTicket')}</p>
              <p className={`ticket-number ${view.ticket.length > 6 ? 'ticket-number-long' : ''}`}>
                <TicketLabel label={view.ticket} size="fit" testId="ticket-number" />
              </p>
              {view.serviceName && <p className="ticket-service">{view.serviceName}</p>}
            </>
          )}
        </section>
      )}

      {(view.phase === 'waiting' || view.phase === 'sent-back') && (
        <>
          {view.phase === 'sent-back' && (
            <Notice tone="warning" variant="bar" role={null}>
              {tr('sentBack')}
            </Notice>
          )}
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
                {waitText(view.waitMinutes, locale)}
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
        <Notice tone="danger" variant="bar" testId="missed">
          {tr('noShow')}
        </Notice>
      )}
      {view.phase === 'cancelled' && <p className="patient-message">{tr('cancelled')}</p>}

      {(view.phase === 'waiting' || view.phase === 'sent-back') &&
        (enabled || permission === 'granted' ? (
          <p className="patient-hint-block" role="status">
            {permission === 'denied' ? tr('alertsDenied') : tr('alertsOn')}
          </p>
        ) : (
          <Button variant="outline" block onClick={() => void enable()}>
            {/* One flow: the bell stays on the first line of the words. */}
            <span>
              <BellIcon /> {tr('alertsButton')}
            </span>
          </Button>
        ))}
      {(view.phase === 'waiting' || view.phase === 'sent-back') && !isSecureOrigin() && (
        // On http://<LAN address> the browser refuses notifications without a word: say it.
        <InsecureOriginNotice audience="patient" locale={locale} />
      )}
    </main>
  );
}

/**
 * The length of the room name's longest word, for patient.css to size the name
 * so that every word fits the card: it breaks between words, never inside one
 * ("kinésithérapie" whole).
 */
const longestWord = (text: string) =>
  ({
    '--word-chars': Math.max(4, ...text.split(/[\s-]+/).map((w) => w.length)),
  }) as CSSProperties;

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
