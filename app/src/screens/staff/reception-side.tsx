/** Reception's side cards: which patient each room serves and who serves it; who is online. */
import { useStore } from 'zustand';
import type { ClinicSession } from '../../stores/clinic-session.js';
import { selectRoomDoctors } from '../../stores/presence-selectors.js';
import { selectRoomsServing } from '../../stores/queue-selectors.js';
import { Card } from '../../ui/Card.js';
import { TicketStatus } from '../../ui/StatusPill.js';
import { TicketLabel } from '../../ui/TicketLabel.js';
import { useT } from './context.js';
import { duration } from './format.js';
import { useDescribePeer } from './staff-shell.js';
import type { StaffKey } from './strings.js';

export function RoomsPanel({ clinic }: { clinic: ClinicSession }) {
  const t = useT();
  const rooms = useStore(clinic.queue, selectRoomsServing);
  const patients = useStore(clinic.queue, (s) => s.patients);
  const now = useStore(clinic.queue, (s) => s.now);
  const doctors = useStore(clinic.presence, selectRoomDoctors);
  return (
    <Card title={t('roomsServing')} titleId="rooms-title">
      {rooms.length === 0 ? (
        <p className="empty">—</p>
      ) : (
        <ul className="rooms-list">
          {rooms.map(({ id, name, entry: e }) => {
            const doctor = doctors.get(id);
            return (
              <li key={id} data-room={id}>
                <div className="room-line">
                  <strong>{name ?? `${t('room')} ${id}`}</strong>
                  {doctor && (
                    <span className="who">
                      <span
                        className="dot"
                        style={{ background: doctor.user.color }}
                        aria-hidden="true"
                      />
                      {doctor.user.name}
                    </span>
                  )}
                </div>
                {e ? (
                  <div className="room-line">
                    <span className="room-patient">
                      <TicketLabel label={e.label} /> {patients[e.id]?.name || ''}
                    </span>
                    <TicketStatus status={e.status}>
                      {t(`status_${e.status}` as StaffKey)} ·{' '}
                      {duration(now - (e.startedAt ?? e.calledAt ?? now))}
                    </TicketStatus>
                  </div>
                ) : (
                  <span className="muted">{t('roomFree')}</span>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </Card>
  );
}

export function OnlinePanel({ clinic }: { clinic: ClinicSession }) {
  const t = useT();
  const people = useStore(clinic.presence, (s) => s.people);
  const rooms = useStore(clinic.queue, (s) => s.rooms);
  const describe = useDescribePeer(rooms);
  return (
    <Card title={t('online')} titleId="online-title" count={people.length}>
      <ul className="online-list" data-testid="online-list">
        {people.map((p) => (
          <li
            key={p.user.id}
            className={p.stale ? 'stale' : undefined}
            data-stale={p.stale || undefined}
          >
            <span className="dot" style={{ background: p.user.color }} aria-hidden="true" />
            <span>{describe(p)}</span>
          </li>
        ))}
      </ul>
    </Card>
  );
}
