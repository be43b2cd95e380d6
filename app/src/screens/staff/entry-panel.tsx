/** The side panel for one ticket: name, phone, shared notes, priority, transfer, cancel/reactivate. */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useStore } from 'zustand';
import {
  localOrigin,
  patientNotes,
  type EntryView,
  type RoomId,
  type ServiceId,
} from '../../../../shared/queue/index.js';
import { NotesEditor } from '../../components/notes-editor.js';
import type { ClinicSession } from '../../stores/clinic-session.js';
import type { PeerPresence } from '../../stores/presence-store.js';
import { Button, IconButton } from '../../ui/Button.js';
import { Card } from '../../ui/Card.js';
import { Field, TextField } from '../../ui/Field.js';
import { PresenceChip } from '../../ui/PresenceChip.js';
import { TicketStatus } from '../../ui/StatusPill.js';
import { useT } from './context.js';
import { NamedSelect, PriorityField, type Report } from './queue-parts.js';
import type { StaffKey } from './strings.js';

export function EntryPanel({
  clinic,
  entry,
  patient,
  editors,
  onClose,
  onCancel,
  report,
}: {
  clinic: ClinicSession;
  entry: EntryView;
  patient: { name: string; phone: string } | undefined;
  editors: readonly PeerPresence[];
  onClose: () => void;
  /** Cancels the ticket (the caller offers an undo). */
  onCancel: (entry: EntryView) => void;
  report: Report;
}) {
  const t = useT();
  const q = clinic.queue;
  const services = useStore(q, (s) => s.services);
  const rooms = useStore(q, (s) => s.rooms);
  const [name, setName] = useState(patient?.name ?? '');
  const [phone, setPhone] = useState(patient?.phone ?? '');
  // Typed since the last commit. Only typing commits: a blur after Enter, or
  // after the field was refreshed from the doc, must never write back an
  // older value over a newer one (the store's view can lag a render behind).
  const dirty = useRef({ name: false, phone: false });
  // Follow remote edits unless something was typed since the last commit —
  // also while the field keeps the focus after Enter, so that a rename that
  // lost a concurrent one shows the winner, not her own text.
  useEffect(() => {
    if (!dirty.current.name) setName(patient?.name ?? '');
  }, [patient?.name]);
  useEffect(() => {
    if (!dirty.current.phone) setPhone(patient?.phone ?? '');
  }, [patient?.phone]);
  const commit = (field: 'name' | 'phone', value: string) => {
    if (!dirty.current[field]) return;
    dirty.current[field] = false;
    if ((patient?.[field] ?? '') === value) return;
    if (report(q.getState().updatePatient(entry.id, { [field]: value })))
      clinic.lostEdits.getState().watch(entry.id, field, value);
  };
  // Escape closes the panel, keeping what was typed (committed first).
  const latest = useRef({ name, phone, commit, onClose });
  latest.current = { name, phone, commit, onClose };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented) return;
      const l = latest.current;
      l.commit('name', l.name);
      l.commit('phone', l.phone);
      l.onClose();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
  const typed = (field: 'name' | 'phone', set: (v: string) => void) => (value: string) => {
    dirty.current[field] = true;
    set(value);
  };
  // The shared notes text exists once the patient's record does.
  const hasRecord = patient !== undefined;
  const notes = useMemo(
    () => (hasRecord ? patientNotes(clinic.staffDoc.doc, entry.id) : null),
    [hasRecord, clinic.staffDoc.doc, entry.id],
  );
  const origin = useMemo(() => localOrigin('notes'), []);
  const [transferService, setTransferService] = useState<ServiceId>(entry.service);
  const [transferRoom, setTransferRoom] = useState<RoomId | null>(null);
  const canChange =
    entry.status === 'waiting' || entry.status === 'called' || entry.status === 'in-service';
  return (
    <Card
      className="entry-panel"
      titleId="entry-title"
      title={
        <>
          {t('details', { label: entry.label })}{' '}
          <TicketStatus status={entry.status}>
            {t(`status_${entry.status}` as StaffKey)}
          </TicketStatus>
        </>
      }
      actions={
        <IconButton label={t('close')} onClick={onClose}>
          ×
        </IconButton>
      }
      data-entry-panel={entry.id}
    >
      {editors.length > 0 && (
        <p className="editing-note">
          {editors.map((p) => (
            <PresenceChip key={p.clientId} name={p.user.name} color={p.user.color} variant="chip">
              {t('editing', { name: p.user.name })}
            </PresenceChip>
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
        <TextField
          label={t('patientName')}
          value={name}
          maxLength={120}
          onValue={typed('name', setName)}
          onBlur={() => commit('name', name)}
        />
        <TextField
          label={t('phone')}
          value={phone}
          maxLength={40}
          inputMode="tel"
          onValue={typed('phone', setPhone)}
          onBlur={() => commit('phone', phone)}
        />
        <button type="submit" className="sr-only">
          {t('save')}
        </button>
      </form>
      {notes ? (
        <Field label={t('notes')} hint={t('notesHint')}>
          <NotesEditor text={notes} id={`notes-${entry.id}`} label={t('notes')} origin={origin} />
        </Field>
      ) : (
        <Field label={t('notes')}>
          <span className="muted">—</span>
        </Field>
      )}
      {canChange && (
        <>
          <PriorityField
            value={entry.priority}
            onChange={(p) => report(q.getState().setPriority(entry.id, p))}
          />
          <fieldset className="transfer">
            <legend>{t('transferTo')}</legend>
            <Field label={t('toService')}>
              <NamedSelect
                items={services}
                value={transferService}
                onChange={(id) => id && setTransferService(id)}
              />
            </Field>
            <Field label={t('toRoom')}>
              <NamedSelect
                items={rooms}
                value={transferRoom}
                onChange={setTransferRoom}
                none={t('anyRoom')}
              />
            </Field>
            <Button
              onClick={() =>
                report(
                  q.getState().transfer(entry.id, {
                    service: transferService,
                    ...(transferRoom ? { room: transferRoom } : {}),
                  }),
                )
              }
            >
              {t('transfer')}
            </Button>
          </fieldset>
        </>
      )}
      <div className="panel-actions">
        {(entry.status === 'waiting' || entry.status === 'called') && (
          <Button variant="danger" onClick={() => onCancel(entry)}>
            {t('cancelTicket')}
          </Button>
        )}
        {(entry.status === 'cancelled' || entry.status === 'no-show') && (
          <Button onClick={() => report(q.getState().reactivate(entry.id))}>
            {t('reactivate')}
          </Button>
        )}
      </div>
    </Card>
  );
}
