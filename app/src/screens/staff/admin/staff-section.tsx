/** Staff accounts of the clinic: add, change role, disable (HTTP API). Nobody demotes or disables themselves. */
import { Field, TextField } from '../../../ui/Field.js';
import { StatusPill } from '../../../ui/StatusPill.js';
import { useSession, useT } from '../context.js';
import { useApi, useHttp } from '../use-api.js';
import { Notice, useNotice } from './notice.js';
import { AddForm, DataTable, RoleOptions, RowButton, Section, type Role } from './parts.js';
import { useDraft } from './use-draft.js';
import { STAFF_ROLES } from '../../../../../shared/presence.js';
import type { StaffView } from '../../../../../shared/api.js';

type StaffRow = StaffView;

export function StaffSection({ clinicId }: { clinicId: string }) {
  const t = useT();
  const me = useSession((s) => s.session?.user.id);
  const http = useHttp();
  const { data, error, reload } = useApi('GET /api/clinics/:clinicId/staff', { clinicId });
  const notice = useNotice();
  const { draft, bind, reset } = useDraft({
    email: '',
    name: '',
    role: 'receptionist',
    password: '',
  });
  const patch = (id: string, body: Partial<Pick<StaffRow, 'role' | 'disabled'>>) =>
    void notice.run(
      () =>
        http.request('PATCH /api/clinics/:clinicId/staff/:userId', {
          params: { clinicId, userId: id },
          body,
        }),
      reload,
    );
  // The form empties even when the request fails.
  const add = () =>
    void notice
      .run(
        () =>
          http.request('POST /api/clinics/:clinicId/staff', {
            params: { clinicId },
            body: { ...draft, role: draft.role as Role },
          }),
        reload,
      )
      .then(reset);
  return (
    <Section id="staff" title={t('staff')}>
      {error && <p className="muted">{notice.errorText(error)}</p>}
      {data && (
        <DataTable columns={[t('name'), t('email'), t('role')]} actions>
          {data.staff.map((s) => (
            <tr key={s.id} className={s.disabled ? 'muted-row' : ''}>
              <td>
                {s.name} {s.disabled && <StatusPill>{t('disabledLabel')}</StatusPill>}
              </td>
              <td>{s.email}</td>
              <td>
                <select
                  aria-label={`${t('role')} ${s.name}`}
                  value={s.role}
                  disabled={s.id === me}
                  onChange={(e) => patch(s.id, { role: e.target.value as Role })}
                >
                  <RoleOptions roles={STAFF_ROLES} />
                </select>
              </td>
              <td className="col-actions">
                {s.id !== me && (
                  <RowButton
                    label={s.disabled ? t('enable') : t('disable')}
                    name={s.name}
                    onClick={() => patch(s.id, { disabled: !s.disabled })}
                  />
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <AddForm submitLabel={t('addStaff')} onSubmit={add} wrap>
        <TextField label={t('name')} {...bind('name')} required />
        <TextField label={t('email')} type="email" {...bind('email')} required />
        <Field label={t('role')}>
          <select value={draft.role} onChange={(e) => bind('role').onValue(e.target.value)}>
            <RoleOptions roles={['receptionist', 'doctor', 'admin']} />
          </select>
        </Field>
        <TextField
          label={t('initialPassword')}
          type="password"
          autoComplete="new-password"
          {...bind('password')}
          required
          minLength={8}
        />
      </AddForm>
      <Notice message={notice.message} />
    </Section>
  );
}
