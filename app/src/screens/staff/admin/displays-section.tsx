/** Paired displays with their online status: pair by the code a display shows, revoke (HTTP API). */
import { useEffect } from 'react';
import { ConfirmButton } from '../../../components/confirm-button.js';
import { TextField } from '../../../ui/Field.js';
import { useT } from '../context.js';
import { useApi, useHttp } from '../use-api.js';
import { Notice, useNotice } from './notice.js';
import { AddForm, Section } from './parts.js';
import { useDraft } from './use-draft.js';

export function DisplaysSection({ clinicId }: { clinicId: string }) {
  const t = useT();
  const http = useHttp();
  const { data, error, reload } = useApi('GET /api/clinics/:clinicId/displays', { clinicId });
  const notice = useNotice({
    '404': 'pairUnknownCode',
    '410': 'pairExpiredCode',
    '409': 'pairUsedCode',
  });
  const { draft, bind, reset } = useDraft({ code: '', name: '' });
  useEffect(() => {
    const id = setInterval(reload, 15_000); // online status
    return () => clearInterval(id);
  }, [reload]);
  // The form empties even when the pairing fails.
  const pair = () => {
    const name = draft.name.trim();
    void notice
      .run(
        () =>
          http.request('POST /api/displays/pair', {
            body: {
              code: draft.code.trim().toUpperCase(),
              clinicId,
              ...(name ? { name } : {}),
            },
          }),
        reload,
      )
      .then(reset);
  };
  return (
    <Section id="displays" title={t('displays')}>
      {error && !data && <p className="muted">{notice.errorText(error)}</p>}
      {data &&
        (data.displays.length === 0 ? (
          <p className="empty">{t('noDisplays')}</p>
        ) : (
          <ul className="device-list">
            {data.displays.map((d) => (
              <li key={d.id}>
                <span
                  className={`dot ${d.online && !d.revoked ? 'dot-ok' : 'dot-off'}`}
                  aria-hidden="true"
                />
                <strong>{d.name}</strong>
                <span className="muted">
                  {d.revoked ? t('revoked') : d.online ? t('displayOnline') : t('displayOffline')}
                </span>
                {!d.revoked && (
                  <ConfirmButton
                    variant="ghost"
                    size="small"
                    question={t('confirmRevoke', { name: d.name })}
                    confirmLabel={t('revoke')}
                    keepLabel={t('keep')}
                    onConfirm={() =>
                      void notice.run(
                        () =>
                          http.request('DELETE /api/clinics/:clinicId/displays/:displayId', {
                            params: { clinicId, displayId: d.id },
                          }),
                        reload,
                      )
                    }
                  >
                    {t('revoke')}
                    <span className="sr-only"> {d.name}</span>
                  </ConfirmButton>
                )}
              </li>
            ))}
          </ul>
        ))}
      {error?.code !== 'no-route' && (
        <AddForm submitLabel={t('pair')} onSubmit={pair}>
          <TextField
            label={t('pairCode')}
            {...bind('code')}
            required
            minLength={4}
            maxLength={16}
            placeholder="K7P-4QX"
          />
          <TextField label={t('displayName')} grow {...bind('name')} maxLength={200} />
        </AddForm>
      )}
      <Notice message={notice.message} />
    </Section>
  );
}
