/** Consultation rooms (open or not, removable): domain ops on the public doc. */
import { useStore } from 'zustand';
import { TextField } from '../../../ui/Field.js';
import type { ClinicSession } from '../../../stores/clinic-session.js';
import { useT } from '../context.js';
import { parseRoomForm } from '../room-form.js';
import { Notice, useNotice } from './notice.js';
import { AddForm, DataTable, OpenCheckbox, RowButton, Section } from './parts.js';
import { useDraft } from './use-draft.js';

export function RoomsSection({ clinic }: { clinic: ClinicSession }) {
  const t = useT();
  const rooms = useStore(clinic.queue, (s) => s.rooms);
  const notice = useNotice();
  const { draft, bind, reset } = useDraft({ id: '', name: '' });
  // What was typed stays when it is refused, so it can be corrected.
  const add = () => {
    const form = parseRoomForm(t, rooms, draft.id, draft.name);
    if (!form.ok) return notice.error(form.problem);
    const r = clinic.queue.getState().configureRoom(form.room);
    notice.report(r);
    if (r.ok) reset();
  };
  return (
    <Section id="rooms" title={t('rooms')}>
      <DataTable columns={[t('roomId'), t('roomName'), t('open')]} actions>
        {rooms.map((r) => (
          <tr key={r.id}>
            <td>{r.id}</td>
            <td>{r.name}</td>
            <td>
              <OpenCheckbox
                name={r.name}
                open={r.open}
                onToggle={(open) =>
                  notice.report(clinic.queue.getState().configureRoom({ id: r.id, open }))
                }
              />
            </td>
            <td className="col-actions">
              <RowButton
                label={t('remove')}
                name={r.name}
                onClick={() => notice.report(clinic.queue.getState().removeRoom(r.id))}
              />
            </td>
          </tr>
        ))}
      </DataTable>
      <AddForm submitLabel={t('addRoom')} onSubmit={add}>
        <TextField
          label={t('roomId')}
          {...bind('id')}
          size={6}
          maxLength={8}
          placeholder={t('roomPlaceholder')}
        />
        <TextField label={t('roomName')} grow {...bind('name')} maxLength={80} />
      </AddForm>
      <Notice message={notice.message} />
    </Section>
  );
}
