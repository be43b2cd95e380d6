/** API keys for the clinic's own systems: create (the key is shown once), list, revoke (HTTP API). */
import { useState } from 'react';
import type { ApiKeyView } from '../../../../../shared/api.js';
import { TextField } from '../../../components/field.js';
import { api } from '../../../sync/api.js';
import { useT } from '../context.js';
import { useApi } from '../use-api.js';
import { Notice, useNotice } from './notice.js';
import { AddForm, RowButton, Section } from './parts.js';

export function ApiKeysSection({ clinicId }: { clinicId: string }) {
  const t = useT();
  const { data, error, reload } = useApi<{ apiKeys: ApiKeyView[] }>(
    `/api/clinics/${clinicId}/api-keys`,
  );
  const notice = useNotice();
  const [label, setLabel] = useState('');
  const [created, setCreated] = useState<string | null>(null);
  // The new key itself is the confirmation, so no "saved" notice.
  const create = () =>
    void notice.attempt(async () => {
      const r = await api<{ apiKey: ApiKeyView; key: string }>(
        'POST',
        `/api/clinics/${clinicId}/api-keys`,
        { label: label.trim() },
      );
      setCreated(r.key);
      setLabel('');
      notice.clear();
      reload();
    });
  const revoke = (id: string) =>
    void notice.attempt(async () => {
      await api('DELETE', `/api/clinics/${clinicId}/api-keys/${id}`);
      reload();
    });
  return (
    <Section id="api-keys" title={t('apiKeys')}>
      {error && !data && <p className="muted">{notice.errorText(error)}</p>}
      {created && (
        <div className="alert alert-ok" role="status">
          {t('keyShownOnce')} <code className="mono break">{created}</code>
        </div>
      )}
      {data &&
        (data.apiKeys.length === 0 ? (
          <p className="empty">{t('noKeys')}</p>
        ) : (
          <ul className="device-list">
            {data.apiKeys.map((k) => (
              <li key={k.id}>
                <strong>{k.label}</strong>
                <span className="muted">{k.revoked ? t('revoked') : ''}</span>
                {!k.revoked && (
                  <RowButton label={t('revoke')} name={k.label} onClick={() => revoke(k.id)} />
                )}
              </li>
            ))}
          </ul>
        ))}
      {error?.code !== 'no-route' && (
        <AddForm submitLabel={t('createKey')} onSubmit={create}>
          <TextField
            label={t('keyLabel')}
            grow
            value={label}
            onValue={setLabel}
            required
            maxLength={200}
          />
        </AddForm>
      )}
      <Notice message={notice.message} />
    </Section>
  );
}
