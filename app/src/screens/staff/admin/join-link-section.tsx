/** The clinic's QR join link for patients: shown, printable, regenerated on demand (HTTP API). */
import { useEffect, useState } from 'react';
import type { JoinLinkView } from '../../../../../shared/api.js';
import { useLocale } from '../../../i18n/index.js';
import { api } from '../../../sync/api.js';
import { useT } from '../context.js';
import { dateTime } from '../format.js';
import { useApi } from '../use-api.js';
import { Notice, useNotice } from './notice.js';
import { Section } from './parts.js';

export function JoinLinkSection({ clinicId }: { clinicId: string }) {
  const t = useT();
  const [locale] = useLocale();
  const notice = useNotice();
  const { data, error } = useApi<JoinLinkView>(`/api/clinics/${clinicId}/join-link`);
  const [link, setLink] = useState<JoinLinkView | null>(null);
  const [qr, setQr] = useState<string | null>(null);
  useEffect(() => {
    if (data) setLink(data);
  }, [data]);
  useEffect(() => {
    if (!link) return;
    let live = true;
    void import('qrcode').then((QR) =>
      QR.toString(link.url, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' }).then((svg) => {
        if (live) setQr(svg);
      }),
    );
    return () => {
      live = false;
    };
  }, [link]);
  const regenerate = () => {
    if (!window.confirm(t('confirmRegenerate'))) return;
    void notice.run(async () =>
      setLink(await api<JoinLinkView>('POST', `/api/clinics/${clinicId}/join-link/regenerate`)),
    );
  };
  return (
    <Section id="join" title={t('joinLink')}>
      {error && !link && <p className="muted">{notice.errorText(error)}</p>}
      {link && (
        <div className="join-link printable">
          {qr && (
            <div
              className="qr"
              role="img"
              aria-label={link.url}
              dangerouslySetInnerHTML={{ __html: qr }}
            />
          )}
          <div className="stack">
            <a href={link.url} className="mono break">
              {link.url}
            </a>
            <span className="muted">
              {t('validUntil', { date: dateTime(link.validUntil, locale) })}
            </span>
            <div className="form-actions no-print">
              <button type="button" className="btn" onClick={() => window.print()}>
                {t('print')}
              </button>
              <button type="button" className="btn btn-ghost" onClick={regenerate}>
                {t('regenerate')}
              </button>
            </div>
          </div>
        </div>
      )}
      <Notice message={notice.message} />
    </Section>
  );
}
