/**
 * The clinic's join links for patients (HTTP API): today's QR link, the one
 * the displays show (changes every clinic day and on regeneration), and the
 * printable poster's link (valid until regenerated on its own). Says which
 * address phones will open, and warns when they cannot (loopback) or when
 * notifications cannot work there (not https).
 */
import { useEffect, useState } from 'react';
import type { JoinLinkView, PublicBase } from '../../../../../shared/api.js';
import { InsecureOriginNotice } from '../../../components/secure-origin.js';
import { makeT, useLocale, type Locale } from '../../../i18n/index.js';
import { Button } from '../../../ui/Button.js';
import { Notice as Banner } from '../../../ui/Notice.js';
import { useT } from '../context.js';
import { dateTime } from '../format.js';
import { useApi, useHttp } from '../use-api.js';
import { Notice, useNotice } from './notice.js';
import { Section } from './parts.js';
import './join-link-section.css';

// This section's own words (fr first); the shared staff table keeps the older keys.
const fr = {
  phonesOpen: 'Les téléphones ouvriront :',
  sourceConfig: 'fixée par PUBLIC_URL',
  sourceRequest:
    'l’adresse de ce navigateur (fixez-la avec PUBLIC_URL pour ne plus dépendre de celle-ci)',
  sourceForwarded: 'l’adresse transmise par le proxy inverse',
  sourceDefault: 'adresse par défaut du serveur',
  loopbackTitle: 'Les patients ne pourront pas rejoindre la file',
  loopbackBody:
    '{url} ne fonctionne que sur cet ordinateur : un téléphone qui scanne ce QR code ne trouvera rien.',
  loopbackFixLan: 'Ouvrez l’administration et les écrans à une adresse du réseau, par exemple :',
  loopbackFixConfig: 'ou démarrez le serveur avec PUBLIC_URL (voir le README).',
  loopbackFixNone:
    'Démarrez le serveur avec PUBLIC_URL égal à l’adresse que les téléphones utilisent (voir le README).',
  dailyTitle: 'Lien du jour — affiché sur les écrans',
  dailyHelp:
    'Valable jusqu’au {date}. Change chaque jour et quand vous le régénérez ; les écrans suivent seuls.',
  posterTitle: 'Lien de l’affiche imprimée',
  posterHelp:
    'Valable jusqu’à ce que vous le régénériez, indépendamment du lien du jour : à imprimer et afficher en salle d’attente.',
  printPoster: 'Imprimer l’affiche',
  regeneratePoster: 'Régénérer le lien de l’affiche',
  confirmRegeneratePoster: 'Les affiches déjà imprimées cesseront de fonctionner. Continuer ?',
  posterHeading: 'Scannez pour prendre un ticket',
};
const en: typeof fr = {
  phonesOpen: 'Phones will open:',
  sourceConfig: 'set by PUBLIC_URL',
  sourceRequest: 'the address of this browser (set PUBLIC_URL to stop depending on it)',
  sourceForwarded: 'the address the reverse proxy forwards',
  sourceDefault: 'the server’s default address',
  loopbackTitle: 'Patients will not be able to join',
  loopbackBody:
    '{url} only works on this computer: a phone scanning this QR code will find nothing.',
  loopbackFixLan: 'Open Admin and the displays at a network address, for example:',
  loopbackFixConfig: 'or start the server with PUBLIC_URL (see the README).',
  loopbackFixNone:
    'Start the server with PUBLIC_URL set to the address phones use (see the README).',
  dailyTitle: 'Today’s link — shown on the displays',
  dailyHelp:
    'Valid until {date}. Changes every day and when you regenerate it; displays follow on their own.',
  posterTitle: 'Printed poster link',
  posterHelp:
    'Valid until you regenerate it, independently of today’s link: print it and put it up in the waiting room.',
  printPoster: 'Print the poster',
  regeneratePoster: 'Regenerate the poster link',
  confirmRegeneratePoster: 'Posters already printed will stop working. Continue?',
  posterHeading: 'Scan to take a ticket',
};
const joinT = makeT({ fr, en });

function useQr(url: string | null): string | null {
  const [qr, setQr] = useState<string | null>(null);
  useEffect(() => {
    if (!url) return;
    let live = true;
    void import('qrcode').then((QR) =>
      QR.toString(url, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' }).then((svg) => {
        if (live) setQr(svg);
      }),
    );
    return () => {
      live = false;
    };
  }, [url]);
  return qr;
}

export function JoinLinkSection({ clinicId }: { clinicId: string }) {
  const t = useT();
  const [locale] = useLocale();
  const jt = joinT(locale);
  const notice = useNotice();
  const http = useHttp();
  const { data, error } = useApi('GET /api/clinics/:clinicId/join-link', { clinicId });
  const [link, setLink] = useState<JoinLinkView | null>(null);
  useEffect(() => {
    if (data) setLink(data);
  }, [data]);
  const dailyQr = useQr(link?.url ?? null);
  const posterQr = useQr(link?.printable.url ?? null);
  const regenerate = () => {
    if (!window.confirm(t('confirmRegenerate'))) return;
    void notice.run(async () =>
      setLink(
        await http.request('POST /api/clinics/:clinicId/join-link/regenerate', {
          params: { clinicId },
        }),
      ),
    );
  };
  const regeneratePoster = () => {
    if (!window.confirm(jt('confirmRegeneratePoster'))) return;
    void notice.run(async () =>
      setLink(
        await http.request('POST /api/clinics/:clinicId/join-link/printable/regenerate', {
          params: { clinicId },
        }),
      ),
    );
  };
  return (
    <Section id="join" title={t('joinLink')}>
      {error && !link && <p className="muted">{notice.errorText(error)}</p>}
      {link && (
        <>
          <PhoneAddress base={link.base} locale={locale} clinicId={clinicId} />
          <div className="join-links">
            <div className="join-link no-print" data-testid="join-daily">
              {dailyQr && (
                <div
                  className="qr"
                  role="img"
                  aria-label={link.url}
                  dangerouslySetInnerHTML={{ __html: dailyQr }}
                />
              )}
              <div className="stack">
                <h3 className="join-link-title">{jt('dailyTitle')}</h3>
                <a href={link.url} className="mono break">
                  {link.url}
                </a>
                <span className="muted">
                  {jt('dailyHelp', { date: dateTime(link.validUntil, locale) })}
                </span>
                <div className="form-actions">
                  <Button variant="ghost" onClick={regenerate}>
                    {t('regenerate')}
                  </Button>
                </div>
              </div>
            </div>
            <div className="join-link printable" data-testid="join-poster">
              {posterQr && (
                <div
                  className="qr"
                  role="img"
                  aria-label={link.printable.url}
                  dangerouslySetInnerHTML={{ __html: posterQr }}
                />
              )}
              <div className="stack">
                <h3 className="join-link-title no-print">{jt('posterTitle')}</h3>
                <p className="print-only join-poster-heading">{jt('posterHeading')}</p>
                <a href={link.printable.url} className="mono break">
                  {link.printable.url}
                </a>
                <span className="muted no-print">{jt('posterHelp')}</span>
                <div className="form-actions no-print">
                  <Button onClick={() => window.print()}>{jt('printPoster')}</Button>
                  <Button variant="ghost" onClick={regeneratePoster}>
                    {jt('regeneratePoster')}
                  </Button>
                </div>
              </div>
            </div>
          </div>
        </>
      )}
      <Notice message={notice.message} />
    </Section>
  );
}

/** The exact address phones will open, where it comes from, and what is wrong with it. */
function PhoneAddress({
  base,
  locale,
  clinicId,
}: {
  base: PublicBase;
  locale: Locale;
  clinicId: string;
}) {
  const jt = joinT(locale);
  const source = {
    config: 'sourceConfig',
    request: 'sourceRequest',
    forwarded: 'sourceForwarded',
    default: 'sourceDefault',
  } as const;
  return (
    <div className="join-address no-print" data-testid="join-address">
      <p>
        {jt('phonesOpen')} <strong className="mono break">{base.url}</strong>{' '}
        <span className="muted">({jt(source[base.source])})</span>
      </p>
      {base.loopback && (
        <Banner
          tone="danger"
          strong
          className="join-warning"
          testId="join-loopback"
          title={jt('loopbackTitle')}
        >
          <p>{jt('loopbackBody', { url: base.url })}</p>
          {base.lanUrls.length > 0 ? (
            <>
              <p>{jt('loopbackFixLan')}</p>
              <ul>
                {base.lanUrls.map((u) => (
                  <li key={u}>
                    <a className="mono" href={`${u}/c/${clinicId}/admin`}>
                      {u}
                    </a>
                  </li>
                ))}
              </ul>
              <p>{jt('loopbackFixConfig')}</p>
            </>
          ) : (
            <p>{jt('loopbackFixNone')}</p>
          )}
        </Banner>
      )}
      {!base.loopback && !base.secure && (
        <InsecureOriginNotice audience="staff" locale={locale} origin={base.url} />
      )}
    </div>
  );
}
