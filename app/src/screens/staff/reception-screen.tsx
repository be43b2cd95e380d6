/**
 * Reception: the live queue of today — add a walk-in in a few keystrokes,
 * reorder by drag or Alt+↑/↓, priorities, transfers, cancel/reactivate,
 * open/close the queue, who each room serves, live stats, and who edits what.
 */
import {
  useEffect,
  useMemo,
  useRef,
  useState,
  type DragEvent,
  type FormEvent,
  type KeyboardEvent,
} from 'react';
import { useStore } from 'zustand';
import type { EntryId } from '../../../../shared/ids.js';
import type {
  EntryView,
  PriorityClass,
  QueueError,
  ServiceId,
} from '../../../../shared/queue/index.js';
import type { ClinicSession } from '../../stores/clinic-session.js';
import { ConfirmButton } from '../../components/confirm-button.js';
import { Field, TextField } from '../../components/field.js';
import { UndoToast } from '../../components/undo-toast.js';
import type { PeerPresence } from '../../stores/presence-store.js';
import { useT } from './context.js';
import { EntryPanel } from './entry-panel.js';
import { duration } from './format.js';
import { NamedOptions, NotReady, PriorityField } from './queue-parts.js';
import { useDescribePeer } from './staff-shell.js';
import type { StaffKey } from './strings.js';

export function ReceptionScreen({ clinic }: { clinic: ClinicSession }) {
  const t = useT();
  const q = clinic.queue;
  const ready = useStore(q, (s) => s.ready);
  const open = useStore(q, (s) => s.clinic?.open ?? false);
  const waiting = useStore(q, (s) => s.waiting);
  const active = useStore(q, (s) => s.active);
  const finished = useStore(q, (s) => s.finished);
  const patients = useStore(q, (s) => s.patients);
  const services = useStore(q, (s) => s.services);
  const now = useStore(q, (s) => s.now);
  const peers = useStore(clinic.presence, (s) => s.peers);
  const [selected, setSelected] = useState<EntryId | null>(null);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const setActivity = useStore(clinic.presence, (s) => s.setActivity);
  useEffect(() => {
    setActivity(selected ? { screen: 'reception', entryId: selected } : { screen: 'reception' });
  }, [selected, setActivity]);

  const editorsOf = useMemo(() => {
    const map = new Map<string, PeerPresence[]>();
    for (const p of peers) {
      // A colleague not heard from lately is probably gone: not "editing" any more.
      if (p.self || p.stale || !p.activity?.entryId) continue;
      const list = map.get(p.activity.entryId) ?? [];
      list.push(p);
      map.set(p.activity.entryId, list);
    }
    return map;
  }, [peers]);

  const report = (r: { ok: true } | { ok: false; error: QueueError }) => {
    if (!r.ok) setMessage({ kind: 'error', text: r.error.message });
    return r.ok;
  };
  // Cancelling is one click, so it can be taken back for a while.
  const [undo, setUndo] = useState<{ id: EntryId; label: string } | null>(null);
  const cancelWithUndo = (entry: EntryView) => {
    if (report(q.getState().cancel(entry.id))) setUndo({ id: entry.id, label: entry.label });
  };
  const serviceName = (id: ServiceId) => services.find((s) => s.id === id)?.name ?? id;
  const selectedEntry =
    selected === null
      ? null
      : (waiting.find((w) => w.entry.id === selected)?.entry ??
        active.find((e) => e.id === selected) ??
        finished.find((e) => e.id === selected) ??
        null);

  if (!ready) return <NotReady />;
  return (
    <main className="page reception" id="main">
      <div className="page-head">
        <h1>{t('reception')}</h1>
        <div className="page-actions">
          <span className={`pill ${open ? 'pill-ok' : 'pill-muted'}`} data-testid="queue-state">
            {open ? t('queueOpen') : t('queueClosed')}
          </span>
          {open ? (
            <ConfirmButton
              question={t('confirmCloseQueue')}
              confirmLabel={t('closeQueue')}
              keepLabel={t('keepOpen')}
              onConfirm={() => report(q.getState().setOpen(false))}
            >
              {t('closeQueue')}
            </ConfirmButton>
          ) : (
            <button
              type="button"
              className="btn"
              onClick={() => report(q.getState().setOpen(true))}
            >
              {t('openQueue')}
            </button>
          )}
        </div>
      </div>
      <Stats clinic={clinic} />
      <LostEdits clinic={clinic} onSelect={setSelected} />
      {message && (
        <p
          className={`alert ${message.kind === 'error' ? 'alert-error' : 'alert-ok'}`}
          role="alert"
        >
          {message.text}
          <button
            type="button"
            className="alert-close"
            aria-label={t('close')}
            onClick={() => setMessage(null)}
          >
            ×
          </button>
        </p>
      )}
      <div className="reception-grid">
        <section className="card" aria-labelledby="waiting-title">
          <AddWalkIn clinic={clinic} disabled={!open} onDone={setMessage} />
          <h2 id="waiting-title" className="card-title">
            {t('waitingList')} <span className="count">{waiting.length}</span>
          </h2>
          <WaitingTable
            clinic={clinic}
            items={waiting.map((w) => w.entry)}
            positions={waiting.map((w) => w.position)}
            patients={patients}
            serviceName={serviceName}
            now={now}
            editorsOf={editorsOf}
            selected={selected}
            onSelect={setSelected}
            report={report}
          />
          <History
            entries={finished}
            patients={patients}
            serviceName={serviceName}
            onSelect={setSelected}
            onReactivate={(id) => report(q.getState().reactivate(id))}
          />
        </section>
        <aside className="side">
          {selectedEntry && (
            <EntryPanel
              key={selectedEntry.id}
              clinic={clinic}
              entry={selectedEntry}
              patient={patients[selectedEntry.id]}
              editors={editorsOf.get(selectedEntry.id) ?? []}
              onClose={() => setSelected(null)}
              onCancel={cancelWithUndo}
              report={report}
            />
          )}
          <RoomsPanel clinic={clinic} />
          <OnlinePanel clinic={clinic} />
        </aside>
      </div>
      {undo && (
        <UndoToast
          key={undo.id}
          text={t('ticketCancelled', { label: undo.label })}
          undoLabel={t('undo')}
          onUndo={() => {
            report(q.getState().reactivate(undo.id));
            setUndo(null);
          }}
          onDone={() => setUndo(null)}
        />
      )}
    </main>
  );
}

/** "Your edit lost": a committed value replaced by a colleague's concurrent edit. */
function LostEdits({
  clinic,
  onSelect,
}: {
  clinic: ClinicSession;
  onSelect: (id: EntryId) => void;
}) {
  const t = useT();
  const lost = useStore(clinic.lostEdits, (s) => s.lost);
  const waiting = useStore(clinic.queue, (s) => s.waiting);
  const active = useStore(clinic.queue, (s) => s.active);
  const finished = useStore(clinic.queue, (s) => s.finished);
  const labelOf = (id: string) =>
    (
      waiting.find((w) => w.entry.id === id)?.entry ??
      active.find((x) => x.id === id) ??
      finished.find((x) => x.id === id)
    )?.label ?? '—';
  if (lost.length === 0) return null;
  return (
    <div className="lost-edits">
      {lost.map((l) => (
        <p key={l.id} className="alert alert-warn" role="alert" data-testid="lost-edit">
          <span>
            {t('editLost', {
              field: t(l.field === 'name' ? 'patientName' : 'phone'),
              label: labelOf(l.entryId),
              mine: l.mine,
              theirs: l.theirs,
            })}{' '}
            <button type="button" className="link" onClick={() => onSelect(l.entryId)}>
              {t('openTicket')}
            </button>
          </span>
          <button
            type="button"
            className="alert-close"
            aria-label={t('close')}
            onClick={() => clinic.lostEdits.getState().dismiss(l.id)}
          >
            ×
          </button>
        </p>
      ))}
    </div>
  );
}

function Stats({ clinic }: { clinic: ClinicSession }) {
  const t = useT();
  const stats = useStore(clinic.queue, (s) => s.stats);
  const items: [StaffKey, string][] = [
    ['statWaiting', String(stats?.waiting ?? 0)],
    ['statAvgWait', duration(stats?.averageWaitMs)],
    ['statLongest', duration(stats?.longestWaitMs)],
    ['statServed', String(stats?.served ?? 0)],
    ['statNoShows', String(stats?.noShows ?? 0)],
  ];
  return (
    <dl className="stats">
      {items.map(([k, v]) => (
        <div key={k} className="stat" data-testid={`stat-${k}`}>
          <dt>{t(k)}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

function AddWalkIn({
  clinic,
  disabled,
  onDone,
}: {
  clinic: ClinicSession;
  disabled: boolean;
  onDone: (m: { kind: 'ok' | 'error'; text: string }) => void;
}) {
  const t = useT();
  const services = useStore(clinic.queue, (s) => s.services);
  const remaining = useStore(clinic.queue, (s) => s.remainingNumbers);
  const openServices = services.filter((s) => s.open);
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [service, setService] = useState<string>('');
  const [priority, setPriority] = useState<PriorityClass>('normal');
  const nameRef = useRef<HTMLInputElement>(null);
  const offline = useStore(clinic.queueDoc.connection, (s) => s.status !== 'synced');
  const tag = useStore(clinic.queue, (s) => s.deviceTag);
  const adding = useRef(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) {
      onDone({ kind: 'error', text: t('nameRequired') });
      return;
    }
    if (adding.current) return;
    adding.current = true;
    // The number comes from the server (≤ 500 ms), else this workstation's reserve.
    const r = await clinic.queue
      .getState()
      .issueWalkIn({
        name,
        phone,
        priority,
        ...(service ? { service: service as ServiceId } : {}),
      })
      .finally(() => {
        adding.current = false;
      });
    if (!r.ok) onDone({ kind: 'error', text: r.error.message });
    else {
      onDone({ kind: 'ok', text: t('added', { label: r.entry.label, name: name.trim() }) });
      setName('');
      setPhone('');
      setPriority('normal');
      nameRef.current?.focus();
    }
  };
  return (
    <form className="walkin" onSubmit={(e) => void submit(e)} aria-label={t('addWalkIn')}>
      <div className="walkin-row">
        <TextField
          label={t('patientName')}
          grow
          ref={nameRef}
          value={name}
          onValue={setName}
          maxLength={120}
          disabled={disabled}
          autoComplete="off"
        />
        <TextField
          label={t('phone')}
          value={phone}
          onValue={setPhone}
          maxLength={40}
          disabled={disabled}
          inputMode="tel"
          autoComplete="off"
        />
        {openServices.length > 1 && (
          <Field label={t('service')}>
            <select
              value={service}
              onChange={(e) => setService(e.target.value)}
              disabled={disabled}
            >
              <NamedOptions items={openServices} />
            </select>
          </Field>
        )}
        <PriorityField value={priority} onChange={setPriority} disabled={disabled} />
        <button type="submit" className="btn btn-primary" disabled={disabled}>
          {t('add')}
        </button>
      </div>
      {offline && remaining !== null && (
        <p className="hint">
          {remaining > 0
            ? t('numbersLeft', { n: remaining })
            : t('noNumbers', { series: tag === null ? '' : `${tag}1, ${tag}2…` })}
        </p>
      )}
    </form>
  );
}

function WaitingTable({
  clinic,
  items,
  positions,
  patients,
  serviceName,
  now,
  editorsOf,
  selected,
  onSelect,
  report,
}: {
  clinic: ClinicSession;
  items: readonly EntryView[];
  positions: readonly number[];
  patients: Readonly<Record<string, { name: string; phone: string }>>;
  serviceName: (id: ServiceId) => string;
  now: number;
  editorsOf: Map<string, PeerPresence[]>;
  selected: EntryId | null;
  onSelect: (id: EntryId) => void;
  report: (r: { ok: true } | { ok: false; error: QueueError }) => boolean;
}) {
  const t = useT();
  const rooms = useStore(clinic.queue, (s) => s.rooms);
  const describe = useDescribePeer(rooms);
  const [dragging, setDragging] = useState<EntryId | null>(null);
  const [dropTarget, setDropTarget] = useState<{ id: EntryId; where: 'before' | 'after' } | null>(
    null,
  );
  const q = clinic.queue;
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
  const onDragOver = (e: DragEvent, id: EntryId) => {
    if (!dragging || dragging === id) return;
    e.preventDefault();
    const rect = (e.currentTarget as HTMLElement).getBoundingClientRect();
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
  if (items.length === 0) return <p className="empty">{t('emptyQueue')}</p>;
  return (
    <table className="queue-table">
      <caption className="sr-only">{t('dragHint')}</caption>
      <thead>
        <tr>
          <th scope="col" className="col-handle">
            <span className="sr-only">#</span>
          </th>
          <th scope="col">{t('colTicket')}</th>
          <th scope="col">{t('colName')}</th>
          <th scope="col">{t('colService')}</th>
          <th scope="col">{t('colPriority')}</th>
          <th scope="col">{t('colWait')}</th>
          <th scope="col" className="col-actions">
            {t('colActions')}
          </th>
        </tr>
      </thead>
      <tbody>
        {items.map((e, i) => {
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
                <span className="pos">{positions[i]}</span>
              </td>
              <td>
                <span className="ticket">{e.label}</span>
                {e.provisional && (
                  <span className="badge badge-warn" title={t('provisionalHint')}>
                    {t('provisional')}
                  </span>
                )}
              </td>
              <td className="name-cell">
                <span className="patient-name">{name}</span>
                {editors.map((p) => (
                  <span
                    key={p.clientId}
                    className="editor-chip"
                    style={{ ['--peer' as string]: p.user.color }}
                    title={describe(p)}
                  >
                    {t('editing', { name: p.user.name })}
                  </span>
                ))}
              </td>
              <td>{serviceName(e.service)}</td>
              <td>
                <span className={`prio prio-${e.priority}`}>
                  {t(`priority_${e.priority}` as StaffKey)}
                </span>
              </td>
              <td className="num">{duration(now - e.createdAt)}</td>
              <td className="col-actions">
                <button
                  type="button"
                  className="icon-btn"
                  aria-label={t('moveUp', { label: e.label })}
                  disabled={i === 0}
                  onClick={(ev) => {
                    ev.stopPropagation();
                    move(e.id, -1);
                  }}
                >
                  ↑
                </button>
                <button
                  type="button"
                  className="icon-btn"
                  aria-label={t('moveDown', { label: e.label })}
                  disabled={i === items.length - 1}
                  onClick={(ev) => {
                    ev.stopPropagation();
                    move(e.id, 1);
                  }}
                >
                  ↓
                </button>
                <button
                  type="button"
                  className="btn btn-small"
                  onClick={(ev) => {
                    ev.stopPropagation();
                    onSelect(e.id);
                  }}
                >
                  {t('edit')}
                  <span className="sr-only"> {e.label}</span>
                </button>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function History({
  entries,
  patients,
  serviceName,
  onSelect,
  onReactivate,
}: {
  entries: readonly EntryView[];
  patients: Readonly<Record<string, { name: string }>>;
  serviceName: (id: ServiceId) => string;
  onSelect: (id: EntryId) => void;
  onReactivate: (id: EntryId) => void;
}) {
  const t = useT();
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

export function RoomsPanel({ clinic }: { clinic: ClinicSession }) {
  const t = useT();
  const rooms = useStore(clinic.queue, (s) => s.rooms);
  const active = useStore(clinic.queue, (s) => s.active);
  const patients = useStore(clinic.queue, (s) => s.patients);
  const people = useStore(clinic.presence, (s) => s.peers);
  const now = useStore(clinic.queue, (s) => s.now);
  const ids = [
    ...new Set([
      ...rooms.map((r) => r.id as string),
      ...active.map((e) => e.room ?? '').filter(Boolean),
    ]),
  ];
  const roomName = (id: string) => rooms.find((r) => r.id === id)?.name ?? `${t('room')} ${id}`;
  return (
    <section className="card" aria-labelledby="rooms-title">
      <h2 id="rooms-title" className="card-title">
        {t('roomsServing')}
      </h2>
      {ids.length === 0 ? (
        <p className="empty">—</p>
      ) : (
        <ul className="rooms-list">
          {ids.map((id) => {
            const e = active.find((x) => x.room === id);
            const doctor = people.find(
              (p) => !p.stale && p.activity?.screen === 'room' && p.activity.room === id,
            );
            return (
              <li key={id} data-room={id}>
                <div className="room-line">
                  <strong>{roomName(id)}</strong>
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
                    <span>
                      <span className="ticket">{e.label}</span> {patients[e.id]?.name || ''}
                    </span>
                    <span className={`status status-${e.status}`}>
                      {t(`status_${e.status}` as StaffKey)} ·{' '}
                      {duration(now - (e.startedAt ?? e.calledAt ?? now))}
                    </span>
                  </div>
                ) : (
                  <span className="muted">{t('roomFree')}</span>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

export function OnlinePanel({ clinic }: { clinic: ClinicSession }) {
  const t = useT();
  const people = useStore(clinic.presence, (s) => s.people);
  const rooms = useStore(clinic.queue, (s) => s.rooms);
  const describe = useDescribePeer(rooms);
  return (
    <section className="card" aria-labelledby="online-title">
      <h2 id="online-title" className="card-title">
        {t('online')} <span className="count">{people.length}</span>
      </h2>
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
    </section>
  );
}
