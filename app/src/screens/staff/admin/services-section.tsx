/** Services (ticket prefix, default duration, open or not): domain ops on the public doc. */
import { useStore } from 'zustand';
import { isPrefix, isServiceId } from '../../../../../shared/queue/index.js';
import { TextField } from '../../../ui/Field.js';
import type { ClinicSession } from '../../../stores/clinic-session.js';
import { useT } from '../context.js';
import { Notice, useNotice } from './notice.js';
import { AddForm, DataTable, OpenCheckbox, Section } from './parts.js';
import { useDraft } from './use-draft.js';

export function ServicesSection({ clinic }: { clinic: ClinicSession }) {
  const t = useT();
  const services = useStore(clinic.queue, (s) => s.services);
  const notice = useNotice();
  const { draft, bind, reset } = useDraft({ id: '', name: '', prefix: '', minutes: '10' });
  // What was typed stays when it is refused, so it can be corrected.
  const add = () => {
    const id = draft.id.trim().toLowerCase();
    const prefix = draft.prefix.trim().toUpperCase();
    if (!isServiceId(id)) return notice.error(t('serviceIdInvalid'));
    if (services.some((s) => s.id === id)) return notice.error(t('serviceExists', { id }));
    if (!isPrefix(prefix)) return notice.error(t('prefixInvalid'));
    const taken = services.find((s) => s.prefix === prefix);
    if (taken) return notice.error(t('prefixTaken', { prefix, name: taken.name }));
    const r = clinic.queue.getState().configureService({
      id,
      name: draft.name.trim() || id,
      prefix,
      defaultMinutes: Number(draft.minutes) || 10,
      open: true,
    });
    notice.report(r);
    if (r.ok) reset();
  };
  return (
    <Section id="services" title={t('services')}>
      <DataTable columns={[t('serviceName'), t('prefix'), t('defaultMinutes'), t('open')]}>
        {services.map((s) => (
          <tr key={s.id}>
            <td>
              {s.name} <span className="muted">({s.id})</span>
            </td>
            <td>{s.prefix}</td>
            <td>{s.defaultMinutes}</td>
            <td>
              <OpenCheckbox
                name={s.name}
                open={s.open}
                onToggle={(open) =>
                  notice.report(clinic.queue.getState().configureService({ id: s.id, open }))
                }
              />
            </td>
          </tr>
        ))}
      </DataTable>
      <AddForm submitLabel={t('addService')} onSubmit={add}>
        <TextField label={t('serviceId')} {...bind('id')} size={10} />
        <TextField label={t('serviceName')} grow {...bind('name')} />
        <TextField label={t('prefix')} {...bind('prefix')} maxLength={1} size={2} />
        <TextField
          label={t('defaultMinutes')}
          type="number"
          min={1}
          max={240}
          {...bind('minutes')}
        />
      </AddForm>
      <Notice message={notice.message} />
    </Section>
  );
}
