/**
 * The patient's join page from the QR code: clinic name, optional first name,
 * service choice when there are several, one big button, and errors a person
 * can act on (queue closed, link expired, too many attempts with the wait).
 */
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import type { JoinInfo } from '../../../../shared/api.js';
import { useLocale } from '../../i18n/index.js';
import { createHttpClient, HttpError } from '../../sync/http.js';
import { Button } from '../../ui/Button.js';
import { Field } from '../../ui/Field.js';
import { Notice } from '../../ui/Notice.js';
import { saveTicketToken, ticketPath } from './api.js';
import { TopBar, useClinicLocale } from './patient-chrome.js';
import { t } from './strings.js';
import './patient.css';

type Load =
  { state: 'loading' } | { state: 'ready'; info: JoinInfo } | { state: 'failed'; error: HttpError };

function errorText(tr: ReturnType<typeof t>, error: HttpError, retryIn: number | null): string {
  switch (error.status) {
    case 0:
      return tr('errNetwork');
    case 404:
      return tr('errUnknown');
    case 409:
      return tr('errClosed');
    case 410:
      return tr('errExpired');
    case 429:
      return retryIn && retryIn > 0 ? tr('errTooMany', { s: retryIn }) : tr('errTooManyNow');
    default:
      return tr('errOther');
  }
}

export function JoinScreen({ secret }: { secret: string }) {
  const [locale] = useLocale();
  const tr = t(locale);
  // No credential: the join secret in the path is the key.
  const http = useMemo(() => createHttpClient({ credentials: { kind: 'none' } }), []);
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const [name, setName] = useState('');
  const [service, setService] = useState<string>('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<HttpError | null>(null);
  const [retryUntil, setRetryUntil] = useState<number | null>(null);
  const [now, setNow] = useState(() => Date.now());
  useClinicLocale(load.state === 'ready' ? load.info.clinic.locale : null);

  useEffect(() => {
    let live = true;
    setLoad({ state: 'loading' });
    http.request('GET /api/join/:secret', { params: { secret } }).then(
      (info) => {
        if (!live) return;
        setLoad({ state: 'ready', info });
        setService((s) => s || (info.services[0]?.id ?? ''));
      },
      (e: unknown) => {
        if (live)
          setLoad({
            state: 'failed',
            error: e instanceof HttpError ? e : new HttpError(0, 'network', String(e)),
          });
      },
    );
    return () => {
      live = false;
    };
  }, [http, secret, attempt]);

  // Count down a 429's Retry-After so the patient sees when to try again.
  useEffect(() => {
    if (retryUntil === null) return;
    const id = setInterval(() => {
      setNow(Date.now());
      if (Date.now() >= retryUntil) setRetryUntil(null);
    }, 1_000);
    return () => clearInterval(id);
  }, [retryUntil]);
  const retryIn = retryUntil === null ? null : Math.max(0, Math.ceil((retryUntil - now) / 1000));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy || load.state !== 'ready' || retryIn) return;
    setBusy(true);
    setError(null);
    try {
      const body = {
        ...(name.trim() && { name: name.trim() }),
        ...(load.info.services.length > 1 && service && { service }),
      };
      const res = await http.request('POST /api/join/:secret', { params: { secret }, body });
      const clinicId = load.info.clinic.id;
      saveTicketToken(clinicId, res.entryId, res.patientToken);
      window.location.assign(ticketPath(clinicId, res.entryId, res.patientToken));
    } catch (err) {
      const je = err instanceof HttpError ? err : new HttpError(0, 'network', String(err));
      setError(je);
      if (je.status === 429) {
        setNow(Date.now());
        setRetryUntil(Date.now() + (je.retryAfter ?? 30) * 1000);
      }
      setBusy(false);
    }
  };

  if (load.state === 'loading')
    return (
      <main className="patient" aria-busy="true">
        <TopBar />
        <p className="patient-loading">{tr('loading')}</p>
      </main>
    );

  if (load.state === 'failed')
    return (
      <main className="patient">
        <TopBar />
        <h1 className="patient-title">{tr('joinTitle')}</h1>
        <Notice tone="danger" variant="bar" testId="join-error">
          {errorText(tr, load.error, null)}
        </Notice>
        {(load.error.status === 0 || load.error.status >= 500) && (
          <Button variant="primary" size="large" block onClick={() => setAttempt((n) => n + 1)}>
            {tr('retry')}
          </Button>
        )}
      </main>
    );

  const { info } = load;
  const closed = !info.open;
  return (
    <main className="patient" lang={locale}>
      <TopBar />
      <p className="patient-clinic" data-testid="clinic-name">
        {info.clinic.name}
      </p>
      <h1 className="patient-title">{tr('joinTitle')}</h1>
      {closed ? (
        <Notice tone="danger" variant="bar" testId="join-error">
          {tr('errClosed')}
        </Notice>
      ) : (
        <p className="patient-intro">{tr('joinIntro')}</p>
      )}
      <form className="patient-form" onSubmit={(e) => void submit(e)} noValidate>
        <Field label={tr('name')} hint={tr('nameHint')}>
          <input
            type="text"
            name="name"
            autoComplete="given-name"
            maxLength={200}
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </Field>
        {info.services.length > 1 && (
          <fieldset className="patient-field patient-services">
            <legend className="patient-label">{tr('service')}</legend>
            {info.services.map((s) => (
              <label key={s.id} className="patient-choice">
                <input
                  type="radio"
                  name="service"
                  value={s.id}
                  checked={service === s.id}
                  onChange={() => setService(s.id)}
                />
                <span>{s.name}</span>
              </label>
            ))}
          </fieldset>
        )}
        {error && (
          <Notice tone="danger" variant="bar" testId="join-error">
            {errorText(tr, error, retryIn)}
          </Notice>
        )}
        <Button
          type="submit"
          variant="primary"
          size="large"
          block
          disabled={busy || closed || !!retryIn}
          data-testid="join-submit"
        >
          {busy ? tr('taking') : tr('take')}
        </Button>
      </form>
    </main>
  );
}
