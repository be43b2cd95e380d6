/**
 * Room (doctor): my room's current patient, call next, recall, start,
 * finish, no-show, send back, a consultation timer, and a clear message
 * when another room won the same patient (callOutcome, reactive: a local
 * win turns into a loss when an earlier concurrent call arrives).
 */
import { useEffect, useState, type FormEvent } from 'react';
import { useStore } from 'zustand';
import type { EntryId } from '../../../../shared/ids.js';
import type { QueueError, RoomId } from '../../../../shared/queue/index.js';
import { navigate } from '../../components/router.js';
import type { ClinicSession } from '../../stores/clinic-session.js';
import {
  selectCallLostTo,
  selectRoom,
  selectRoomCurrent,
  selectRoomWaiting,
  selectServiceName,
} from '../../stores/queue-selectors.js';
import type { ServerClock } from '../../sync/clock.js';
import { Button } from '../../ui/Button.js';
import { Card } from '../../ui/Card.js';
import { TextField } from '../../ui/Field.js';
import { Notice } from '../../ui/Notice.js';
import { PriorityPill, TicketStatus } from '../../ui/StatusPill.js';
import { TicketLabel } from '../../ui/TicketLabel.js';
import { useSession, useT } from './context.js';
import { parseRoomForm } from './room-form.js';
import { clock, duration } from './format.js';
import { NotReady } from './queue-parts.js';
import type { StaffKey } from './strings.js';

export function RoomScreen({ clinic, room }: { clinic: ClinicSession; room: string | null }) {
  const setActivity = useStore(clinic.presence, (s) => s.setActivity);
  const ready = useStore(clinic.queue, (s) => s.ready);
  // Only a configured room: a mistyped id would open a phantom room that calls
  // patients to a door that does not exist, on the display too.
  const configured = useStore(clinic.queue, (s) => selectRoom(room)(s)?.id ?? null);
  useEffect(() => {
    setActivity(configured !== null ? { screen: 'room', room: configured } : { screen: 'room' });
  }, [configured, setActivity]);
  if (!ready) return <NotReady />;
  return configured !== null ? (
    <Room clinic={clinic} room={configured} />
  ) : (
    <RoomChooser clinic={clinic} unknown={room} />
  );
}

function RoomChooser({ clinic, unknown }: { clinic: ClinicSession; unknown: string | null }) {
  const t = useT();
  const rooms = useStore(clinic.queue, (s) => s.rooms);
  const isAdmin = useSession(
    (s) => s.session?.clinics.find((c) => c.id === clinic.clinicId)?.role === 'admin',
  );
  const go = (id: string) => navigate(`/c/${clinic.clinicId}/room/${encodeURIComponent(id)}`);
  return (
    <main className="page" id="main">
      <Card className="narrow room-chooser" aria-labelledby="room-chooser-title">
        <h1 id="room-chooser-title">{t('chooseRoom')}</h1>
        {unknown !== null && (
          <Notice tone="warning" testId="unknown-room">
            {t('unknownRoom', { room: unknown })}
          </Notice>
        )}
        {rooms.length > 0 ? (
          <ul className="room-buttons">
            {rooms.map((r) => (
              <li key={r.id}>
                <Button size="large" onClick={() => go(r.id)} disabled={!r.open}>
                  {r.name}
                </Button>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">{isAdmin ? t('noRoomsAdmin') : t('noRooms')}</p>
        )}
        {isAdmin && <AddRoomForm clinic={clinic} onAdded={go} />}
      </Card>
    </main>
  );
}

/** An admin may add a room from here; everyone else picks a configured one. */
function AddRoomForm({
  clinic,
  onAdded,
}: {
  clinic: ClinicSession;
  onAdded: (id: string) => void;
}) {
  const t = useT();
  const rooms = useStore(clinic.queue, (s) => s.rooms);
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const form = parseRoomForm(t, rooms, id, name);
    if (!form.ok) return setError(form.problem);
    const r = clinic.queue.getState().configureRoom(form.room);
    if (!r.ok) return setError(r.error.message);
    onAdded(form.room.id);
  };
  return (
    <form onSubmit={submit} className="inline-form wrap" aria-label={t('addRoom')}>
      <TextField
        label={t('roomId')}
        value={id}
        onValue={setId}
        placeholder={t('roomPlaceholder')}
        size={6}
        maxLength={8}
      />
      <TextField label={t('roomName')} grow value={name} onValue={setName} maxLength={80} />
      <Button type="submit">{t('addRoom')}</Button>
      {error && <Notice tone="danger">{error}</Notice>}
    </form>
  );
}

/** How many of the next patients the room lists; the rest is a count. */
const NEXT_SHOWN = 8;

function useTicker(clock: ServerClock, ms: number): number {
  const [now, setNow] = useState(() => clock.now());
  useEffect(() => {
    const id = setInterval(() => setNow(clock.now()), ms);
    return () => clearInterval(id);
  }, [clock, ms]);
  return now;
}

function Room({ clinic, room }: { clinic: ClinicSession; room: RoomId }) {
  const t = useT();
  const q = clinic.queue;
  const ready = useStore(q, (s) => s.ready);
  const config = useStore(q, selectRoom(room));
  const current = useStore(q, selectRoomCurrent(room));
  const patients = useStore(q, (s) => s.patients);
  const serviceName = useStore(q, selectServiceName);
  const waiting = useStore(q, selectRoomWaiting(room));
  const now = useTicker(clinic.clock, 1000);
  const [lastCall, setLastCall] = useState<{ id: EntryId; label: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const lostTo = useStore(q, selectCallLostTo(lastCall?.id ?? null, room));
  const act = (r: { ok: true } | { ok: false; error: QueueError }) => {
    setError(
      r.ok ? null : r.error.code === 'nobody-waiting' ? t('nobodyWaiting') : r.error.message,
    );
    return r.ok;
  };
  const callNext = () => {
    const r = q.getState().callNext(room);
    if (act(r) && r.ok) setLastCall({ id: r.entry.id, label: r.entry.label });
  };
  const since = current
    ? current.status === 'in-service'
      ? current.startedAt
      : current.calledAt
    : null;
  if (!ready) return <NotReady />;
  return (
    <main className="page room" id="main">
      <div className="page-head">
        <h1>{config?.name ?? `${t('room')} ${room}`}</h1>
        <div className="page-actions">
          <Button variant="ghost" onClick={() => navigate(`/c/${clinic.clinicId}/room`)}>
            {t('changeRoom')}
          </Button>
        </div>
      </div>
      {lostTo && lastCall && (
        <Notice tone="warning" testId="lost-race">
          {t('lostRace', { label: lastCall.label, room: lostTo })}
        </Notice>
      )}
      {error && <Notice tone="danger">{error}</Notice>}
      {config && !config.open && (
        <Notice tone="warning" role={null}>
          {t('roomClosed')}
        </Notice>
      )}
      <div className="room-grid">
        <Card
          className="current"
          title={t('currentPatient')}
          titleId="current-title"
          data-testid="current-patient"
        >
          {current ? (
            <>
              <div className="current-ticket">
                <TicketLabel label={current.label} size="large" testId="current-ticket" />
                <div>
                  <div className="current-name">{patients[current.id]?.name || '—'}</div>
                  <div className="muted">
                    {serviceName(current.service)} ·{' '}
                    <TicketStatus status={current.status}>
                      {t(`status_${current.status}` as StaffKey)}
                    </TicketStatus>
                    {current.recalls > 0 &&
                      ` · ${current.recalls === 1 ? t('recalls1') : t('recallsN', { n: current.recalls })}`}
                  </div>
                </div>
              </div>
              <div className="timer" aria-live="off">
                <span className="muted">
                  {current.status === 'in-service' ? t('timerInService') : t('timerCalled')}
                </span>
                <span className="timer-value">{since ? clock(now - since) : '—'}</span>
              </div>
              <div className="room-actions">
                {current.status === 'called' && (
                  <>
                    <Button
                      variant="primary"
                      size="large"
                      onClick={() => act(q.getState().start(current.id, room))}
                    >
                      {t('start')}
                    </Button>
                    <Button size="large" onClick={() => act(q.getState().recall(current.id, room))}>
                      {t('recall')}
                    </Button>
                    <Button size="large" onClick={() => act(q.getState().noShow(current.id, room))}>
                      {t('noShow')}
                    </Button>
                  </>
                )}
                {current.status === 'in-service' && (
                  <Button
                    variant="primary"
                    size="large"
                    onClick={() => act(q.getState().finish(current.id, room))}
                  >
                    {t('finish')}
                  </Button>
                )}
                <Button size="large" onClick={() => act(q.getState().sendBack(current.id, room))}>
                  {t('sendBack')}
                </Button>
              </div>
            </>
          ) : (
            <div className="call-next-box">
              <p className="muted">{t('nobodyCalled')}</p>
              <Button
                variant="primary"
                size="huge"
                onClick={callNext}
                disabled={config !== undefined && !config.open}
              >
                {t('callNext')}
              </Button>
            </div>
          )}
        </Card>
        <Card title={t('nextUp')} titleId="next-title" count={waiting.length}>
          {waiting.length === 0 ? (
            <p className="empty">{t('nobodyWaiting')}</p>
          ) : (
            <ol className="next-list">
              {waiting.slice(0, NEXT_SHOWN).map((w) => (
                <li key={w.entry.id}>
                  <TicketLabel label={w.entry.label} />
                  <span className="grow">{patients[w.entry.id]?.name || '—'}</span>
                  {w.entry.priority !== 'normal' && (
                    <PriorityPill priority={w.entry.priority}>
                      {t(`priority_${w.entry.priority}` as StaffKey)}
                    </PriorityPill>
                  )}
                  <span className="muted num">{duration(now - w.entry.createdAt)}</span>
                </li>
              ))}
              {waiting.length > NEXT_SHOWN && (
                <li className="next-more muted" data-testid="next-more">
                  {waiting.length - NEXT_SHOWN === 1
                    ? t('moreWaiting1')
                    : t('moreWaitingN', { n: waiting.length - NEXT_SHOWN })}
                </li>
              )}
            </ol>
          )}
        </Card>
      </div>
    </main>
  );
}
