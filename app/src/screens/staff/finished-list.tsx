/**
 * The day's finished tickets (done, no-show, cancelled), most recent first;
 * a cancelled or no-show ticket can be reactivated.
 */
import { useStore } from 'zustand';
import type { EntryId } from '../../../../shared/ids.js';
import type { ClinicSession } from '../../stores/clinic-session.js';
import { selectServiceName } from '../../stores/queue-selectors.js';
import { Button } from '../../ui/Button.js';
import { Count } from '../../ui/Card.js';
import { TicketStatus } from '../../ui/StatusPill.js';
import { TicketLabel } from '../../ui/TicketLabel.js';
import { useT } from './context.js';
import type { StaffKey } from './strings.js';

export function FinishedList({
  clinic,
  onSelect,
  onReactivate,
}: {
  clinic: ClinicSession;
  onSelect: (id: EntryId) => void;
  onReactivate: (id: EntryId) => void;
}) {
  const t = useT();
  const entries = useStore(clinic.queue, (s) => s.finished);
  const patients = useStore(clinic.queue, (s) => s.patients);
  const serviceName = useStore(clinic.queue, selectServiceName);
  return (
    <details className="history">
      <summary>
        {t('history')} <Count value={entries.length} />
      </summary>
      {entries.length === 0 ? (
        <p className="empty">{t('noHistory')}</p>
      ) : (
        <ul className="history-list">
          {entries.map((e) => (
            <li key={e.id} data-entry={e.id}>
              <Button variant="link" onClick={() => onSelect(e.id)}>
                <TicketLabel label={e.label} /> {patients[e.id]?.name || '—'}
              </Button>
              <span className="muted">{serviceName(e.service)}</span>
              <TicketStatus status={e.status} className="history-status">
                {t(`status_${e.status}` as StaffKey)}
              </TicketStatus>
              {(e.status === 'cancelled' || e.status === 'no-show') && (
                <Button size="small" onClick={() => onReactivate(e.id)}>
                  {t('reactivate')}
                  <span className="sr-only"> {e.label}</span>
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
    </details>
  );
}
