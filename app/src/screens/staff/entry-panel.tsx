/** The side panel for one ticket: name, phone, shared notes, priority, transfer, cancel/reactivate. */
import { useEffect, useMemo, useState } from 'react';
import { useStore } from 'zustand';
import {
  localOrigin,
  patientNotes,
  type EntryView,
  type PriorityClass,
  type QueueError,
  type RoomId,
  type ServiceId,
} from '../../../../shared/queue/index.js';
import { NotesEditor } from '../../components/notes-editor.js';
import type { ClinicSession } from '../../stores/clinic-session.js';
import type { PeerPresence } from '../../stores/presence-store.js';
import { useT } from './context.js';
import type { StaffKey } from './strings.js';

const PRIORITIES: readonly PriorityClass[] = ['normal', 'priority', 'urgent'];

export function EntryPanel({
  clinic,
  entry,
  patient,
  editors,
  onClose,
  report,
}: {
  clinic: ClinicSession;
  entry: EntryView;
  patient: { name: string; phone: string } | undefined;
  editors: readonly PeerPresence[];
  onClose: () => void;
  report: (r: { ok: true } | { ok: false; error: QueueError }) => boolean;
}) {
  const t = useT();
  const q = clinic.queue;
  const services = useStore(q, (s) => s.services);
  const rooms = useStore(q, (s) => s.rooms);
  const [name, setName] = useState(patient?.name ?? '');
  const [phone, setPhone] = useState(patient?.phone ?? '');
  const [focused, setFocused] = useState<string | null>(null);
  // Follow remote edits unless this field is being typed in.
  useEffect(() => {
    if (focused !== 'name') setName(patient?.name ?? '');
  }, [patient?.name, focused]);
  useEffect(() => {
    if (focused !== 'phone') setPhone(patient?.phone ?? '');
  }, [patient?.phone, focused]);
  const commit = (field: 'name' | 'phone', value: string) => {
    setFocused(null);
    if ((patient?.[field] ?? '') === value) return;
    report(q.getState().updatePatient(entry.id, { [field]: value }));
  };
  // The shared notes text exists once the patient's record does.
  const hasRecord = patient !== undefined;
  const notes = useMemo(
    () => (hasRecord ? patientNotes(clinic.staffDoc.doc, entry.id) : null),
    [hasRecord, clinic.staffDoc.doc, entry.id],
  );
  const origin = useMemo(() => localOrigin('notes'), []);
  const [transferService, setTransferService] = useState<string>(entry.service);
  const [transferRoom, setTransferRoom] = useState<string>('');
  const canChange =
    entry.status === 'waiting' || entry.status === 'called' || entry.status === 'in-service';
  return (
    <section className="card entry-panel" aria-labelledby="entry-title" data-entry-panel={entry.id}>
      <div className="card-head">
        <h2 id="entry-title" className="card-title">
          {t('details', { label: entry.label })}
          <span className={`status status-${entry.status}`}>
            {t(`status_${entry.status}` as StaffKey)}
          </span>
        </h2>
        <button type="button" className="icon-btn" aria-label={t('close')} onClick={onClose}>
          ×
        </button>
      </div>
      {editors.length > 0 && (
        <p className="editing-note">
          {editors.map((p) => (
            <span
              key={p.clientId}
              className="editor-chip"
              style={{ ['--peer' as string]: p.user.color }}
            >
              {t('editing', { name: p.user.name })}
            </span>
          ))}
        </p>
      )}
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          commit('name', name);
          commit('phone', phone);
        }}
      >
        <label className="field">
          <span>{t('patientName')}</span>
          <input
            value={name}
            maxLength={120}
            onFocus={() => setFocused('name')}
            onChange={(e) => setName(e.target.value)}
            onBlur={() => commit('name', name)}
          />
        </label>
        <label className="field">
          <span>{t('phone')}</span>
          <input
            value={phone}
            maxLength={40}
            inputMode="tel"
            onFocus={() => setFocused('phone')}
            onChange={(e) => setPhone(e.target.value)}
            onBlur={() => commit('phone', phone)}
          />
        </label>
        <button type="submit" className="sr-only">
          {t('save')}
        </button>
      </form>
      <div className="field">
        <label htmlFor={`notes-${entry.id}`}>
          {t('notes')} <span className="hint">· {t('notesHint')}</span>
        </label>
        {notes ? (
          <NotesEditor text={notes} id={`notes-${entry.id}`} label={t('notes')} origin={origin} />
        ) : (
          <p className="muted">—</p>
        )}
      </div>
      {canChange && (
        <>
          <label className="field">
            <span>{t('priority')}</span>
            <select
              value={entry.priority}
              onChange={(e) =>
                report(q.getState().setPriority(entry.id, e.target.value as PriorityClass))
              }
            >
              {PRIORITIES.map((p) => (
                <option key={p} value={p}>
                  {t(`priority_${p}` as StaffKey)}
                </option>
              ))}
            </select>
          </label>
          <fieldset className="transfer">
            <legend>{t('transferTo')}</legend>
            <label className="field">
              <span>{t('toService')}</span>
              <select value={transferService} onChange={(e) => setTransferService(e.target.value)}>
                {services.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span>{t('toRoom')}</span>
              <select value={transferRoom} onChange={(e) => setTransferRoom(e.target.value)}>
                <option value="">{t('anyRoom')}</option>
                {rooms.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.name}
                  </option>
                ))}
              </select>
            </label>
            <button
              type="button"
              className="btn"
              onClick={() =>
                report(
                  q.getState().transfer(entry.id, {
                    service: transferService as ServiceId,
                    ...(transferRoom ? { room: transferRoom as RoomId } : {}),
                  }),
                )
              }
            >
              {t('transfer')}
            </button>
          </fieldset>
        </>
      )}
      <div className="panel-actions">
        {(entry.status === 'waiting' || entry.status === 'called') && (
          <button
            type="button"
            className="btn btn-danger"
            onClick={() => report(q.getState().cancel(entry.id))}
          >
            {t('cancelTicket')}
          </button>
        )}
        {(entry.status === 'cancelled' || entry.status === 'no-show') && (
          <button
            type="button"
            className="btn"
            onClick={() => report(q.getState().reactivate(entry.id))}
          >
            {t('reactivate')}
          </button>
        )}
      </div>
    </section>
  );
}
