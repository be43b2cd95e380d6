/**
 * The day's finished tickets (done, no-show, cancelled), most recent first;
 * a cancelled or no-show ticket can be reactivated.
 */
import { useStore } from 'zustand';
import type { EntryId } from '../../../../shared/ids.js';
import type { ClinicSession } from '../../stores/clinic-session.js';
import { selectServiceName } from '../../stores/queue-selectors.js';
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
        {t('history')} <span className="count">{entries.length}</span>
      </summary>
      {entries.length === 0 ? (
        <p className="empty">{t('noHistory')}</p>
      ) : (
        <ul className="history-list">
          {entries.map((e) => (
            <li key={e.id} data-entry={e.id}>
              <button type="button" className="link" onClick={() => onSelect(e.id)}>
                <span className="ticket">{e.label}</span> {patients[e.id]?.name || '—'}
              </button>
              <span className="muted">{serviceName(e.service)}</span>
              <span className={`status status-${e.status}`}>
                {t(`status_${e.status}` as StaffKey)}
              </span>
              {(e.status === 'cancelled' || e.status === 'no-show') && (
                <button type="button" className="btn btn-small" onClick={() => onReactivate(e.id)}>
                  {t('reactivate')}
                  <span className="sr-only"> {e.label}</span>
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </details>
  );
}
