/**
 * Add a walk-in in a few keystrokes: name, phone, service (when several are
 * open), priority. Offline, it tells how many numbers this workstation has left.
 */
import { useRef, useState, type FormEvent } from 'react';
import { useStore } from 'zustand';
import type { PriorityClass, ServiceId } from '../../../../shared/queue/index.js';
import type { ClinicSession } from '../../stores/clinic-session.js';
import { selectOpenServices } from '../../stores/queue-selectors.js';
import { Button } from '../../ui/Button.js';
import { Field, TextField } from '../../ui/Field.js';
import { useT } from './context.js';
import { NamedSelect, PriorityField, type Message } from './queue-parts.js';

export function WalkInForm({
  clinic,
  disabled,
  onDone,
}: {
  clinic: ClinicSession;
  disabled: boolean;
  onDone: (m: Message) => void;
}) {
  const t = useT();
  const openServices = useStore(clinic.queue, selectOpenServices);
  const remaining = useStore(clinic.queue, (s) => s.remainingNumbers);
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [service, setService] = useState<ServiceId | null>(null);
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
      .issueWalkIn({ name, phone, priority, ...(service ? { service } : {}) })
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
            <NamedSelect
              items={openServices}
              value={service}
              onChange={setService}
              disabled={disabled}
            />
          </Field>
        )}
        <PriorityField value={priority} onChange={setPriority} disabled={disabled} />
        <Button type="submit" variant="primary" disabled={disabled}>
          {t('add')}
        </Button>
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
