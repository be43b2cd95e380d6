/**
 * Reception's waiting list in call order: drag a row before or after
 * another, or move it with Alt+↑/↓ (or its ↑/↓ buttons, focus stays on the
 * row); Enter or a click opens the ticket. Rows show who else is editing them.
 * "Attente" is the time since arrival; "Estimation" the estimated wait before
 * the call, said as the patient's phone and the display say it (invariant 5).
 */
import { useState, type DragEvent, type KeyboardEvent } from 'react';
import { useStore } from 'zustand';
import type { EntryId } from '../../../../shared/ids.js';
import { waitMinutes } from '../../../../shared/queue/index.js';
import { useLocale } from '../../i18n/index.js';
import { waitText } from '../../i18n/wait.js';
import type { ClinicSession } from '../../stores/clinic-session.js';
import { selectEditorsByEntry } from '../../stores/presence-selectors.js';
import { selectServiceName } from '../../stores/queue-selectors.js';
import { Button, IconButton } from '../../ui/Button.js';
import { DataTable } from '../../ui/DataTable.js';
import { PresenceChip } from '../../ui/PresenceChip.js';
import { PriorityPill } from '../../ui/StatusPill.js';
import { TicketLabel } from '../../ui/TicketLabel.js';
import { useT } from './context.js';
import { duration } from './format.js';
import type { Report } from './queue-parts.js';
import { useDescribePeer } from './staff-shell.js';
import type { StaffKey } from './strings.js';

export function WaitingTable({
  clinic,
  selected,
  onSelect,
  report,
}: {
  clinic: ClinicSession;
  selected: EntryId | null;
  onSelect: (id: EntryId) => void;
  report: Report;
}) {
  const t = useT();
  const [locale] = useLocale();
  const q = clinic.queue;
  const waiting = useStore(q, (s) => s.waiting);
  const patients = useStore(q, (s) => s.patients);
  const serviceName = useStore(q, selectServiceName);
  const now = useStore(q, (s) => s.now);
  const rooms = useStore(q, (s) => s.rooms);
  const editorsOf = useStore(clinic.presence, selectEditorsByEntry);
  const describe = useDescribePeer(rooms);
  const [dragging, setDragging] = useState<EntryId | null>(null);
  const [dropTarget, setDropTarget] = useState<{ id: EntryId; where: 'before' | 'after' } | null>(
    null,
  );
  const move = (id: EntryId, delta: -1 | 1) => {
    report(q.getState().moveBy(id, delta));
    // keep keyboard focus on the moved row
    requestAnimationFrame(() =>
      document.querySelector<HTMLElement>(`[data-entry="${id}"]`)?.focus(),
    );
  };
  const onKey = (e: KeyboardEvent, id: EntryId) => {
    if (e.altKey && (e.key === 'ArrowUp' || e.key === 'ArrowDown')) {
      e.preventDefault();
      move(id, e.key === 'ArrowUp' ? -1 : 1);
    } else if (e.key === 'Enter' && e.target === e.currentTarget) {
      e.preventDefault();
      onSelect(id);
    }
  };
  const onDragOver = (e: DragEvent<HTMLElement>, id: EntryId) => {
    if (!dragging || dragging === id) return;
    e.preventDefault();
    const rect = e.currentTarget.getBoundingClientRect();
    const where = e.clientY < rect.top + rect.height / 2 ? 'before' : 'after';
    if (dropTarget?.id !== id || dropTarget.where !== where) setDropTarget({ id, where });
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    if (dragging && dropTarget)
      report(q.getState().reorder(dragging, dropTarget.id, dropTarget.where));
    setDragging(null);
    setDropTarget(null);
  };
  if (waiting.length === 0) return <p className="empty">{t('emptyQueue')}</p>;
  return (
    <DataTable
      testId="waiting-list"
      caption={t('dragHint')}
      columns={[
        { key: 'position', label: '#', srOnly: true, className: 'col-handle' },
        t('colTicket'),
        t('colName'),
        t('colService'),
        t('colPriority'),
        t('colWait'),
        { key: 'estimate', label: t('colEstimate'), title: t('colEstimateHint') },
        { key: 'actions', label: t('colActions'), className: 'col-actions' },
      ]}
    >
      {waiting.map(({ entry: e, position, wait }, i) => {
        const editors = editorsOf.get(e.id) ?? [];
        const color = editors[0]?.user.color;
        const name = patients[e.id]?.name || '—';
        const cls = [
          'queue-row',
          selected === e.id ? 'selected' : '',
          dragging === e.id ? 'dragging' : '',
          dropTarget?.id === e.id ? `drop-${dropTarget.where}` : '',
          editors.length ? 'edited' : '',
        ].join(' ');
        return (
          <tr
            key={e.id}
            className={cls}
            data-entry={e.id}
            data-label={e.label}
            tabIndex={0}
            aria-selected={selected === e.id}
            style={color ? { boxShadow: `inset 4px 0 0 ${color}` } : undefined}
            draggable
            onDragStart={(ev) => {
              setDragging(e.id);
              ev.dataTransfer.effectAllowed = 'move';
              ev.dataTransfer.setData('text/plain', e.label);
            }}
            onDragEnd={() => {
              setDragging(null);
              setDropTarget(null);
            }}
            onDragOver={(ev) => onDragOver(ev, e.id)}
            onDrop={onDrop}
            onKeyDown={(ev) => onKey(ev, e.id)}
            onClick={() => onSelect(e.id)}
          >
            <td className="col-handle" aria-hidden="true" title={t('dragHint')}>
              <span className="handle">⋮⋮</span>
              <span className="pos">{position}</span>
            </td>
            <td>
              <TicketLabel
                label={e.label}
                provisional={
                  e.provisional && { text: t('provisional'), hint: t('provisionalHint') }
                }
              />
            </td>
            <td className="name-cell">
              <span className="patient-name">{name}</span>
              {editors.map((p) => (
                <PresenceChip
                  key={p.clientId}
                  name={p.user.name}
                  color={p.user.color}
                  variant="chip"
                  title={describe(p)}
                >
                  {t('editing', { name: p.user.name })}
                </PresenceChip>
              ))}
            </td>
            <td>{serviceName(e.service)}</td>
            <td>
              <PriorityPill priority={e.priority}>
                {t(`priority_${e.priority}` as StaffKey)}
              </PriorityPill>
            </td>
            <td className="num">{duration(now - e.createdAt)}</td>
            <td className="num" data-testid="waiting-estimate">
              {waitText(waitMinutes(wait), locale)}
            </td>
            <td className="col-actions">
              <IconButton
                label={t('moveUp', { label: e.label })}
                disabled={i === 0}
                onClick={(ev) => {
                  ev.stopPropagation();
                  move(e.id, -1);
                }}
              >
                ↑
              </IconButton>
              <IconButton
                label={t('moveDown', { label: e.label })}
                disabled={i === waiting.length - 1}
                onClick={(ev) => {
                  ev.stopPropagation();
                  move(e.id, 1);
                }}
              >
                ↓
              </IconButton>
              <Button
                size="small"
                onClick={(ev) => {
                  ev.stopPropagation();
                  onSelect(e.id);
                }}
              >
                {t('edit')}
                <span className="sr-only"> {e.label}</span>
              </Button>
            </td>
          </tr>
        );
      })}
    </DataTable>
  );
}
