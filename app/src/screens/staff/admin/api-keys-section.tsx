/** API keys for the clinic's own systems: create (the key is shown once), list, revoke (HTTP API). */
import { useState } from 'react';
import { TextField } from '../../../ui/Field.js';
import { Notice as Banner } from '../../../ui/Notice.js';
import { useT } from '../context.js';
import { useApi, useHttp } from '../use-api.js';
import { Notice, useNotice } from './notice.js';
import { AddForm, RowButton, Section } from './parts.js';

export function ApiKeysSection({ clinicId }: { clinicId: string }) {
  const t = useT();
  const http = useHttp();
  const { data, error, reload } = useApi('GET /api/clinics/:clinicId/api-keys', { clinicId });
  const notice = useNotice();
  const [label, setLabel] = useState('');
  const [created, setCreated] = useState<string | null>(null);
  // The new key itself is the confirmation, so no "saved" notice.
  const create = () =>
    void notice.attempt(async () => {
      const r = await http.request('POST /api/clinics/:clinicId/api-keys', {
        params: { clinicId },
        body: { label: label.trim() },
      });
      setCreated(r.key);
      setLabel('');
      notice.clear();
      reload();
    });
  const revoke = (id: string) =>
    void notice.attempt(async () => {
      await http.request('DELETE /api/clinics/:clinicId/api-keys/:keyId', {
        params: { clinicId, keyId: id },
      });
      reload();
    });
  return (
    <Section id="api-keys" title={t('apiKeys')}>
      {error && !data && <p className="muted">{notice.errorText(error)}</p>}
      {created && (
        <Banner tone="success">
          {t('keyShownOnce')} <code className="mono break">{created}</code>
        </Banner>
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
