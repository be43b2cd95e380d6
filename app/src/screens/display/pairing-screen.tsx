/**
 * Shown by an unpaired display: asks the server for a short code, shows it
 * big, and polls until an admin enters it; a code that expires is replaced.
 */
import { useEffect, useState } from 'react';
import { useLocale } from '../../i18n/index.js';
import { pairedDevice, type DisplayDevice } from '../../stores/display-device.js';
import { createHttpClient, HttpError } from '../../sync/http.js';
import { Notice } from '../../ui/Notice.js';
import { t } from './strings.js';

const POLL_MS = 2_000;

export function PairingScreen({
  onPaired,
  revoked = false,
}: {
  onPaired: (device: DisplayDevice) => void;
  revoked?: boolean;
}) {
  const [locale] = useLocale();
  const tr = t(locale);
  const [code, setCode] = useState<string | null>(null);
  const [unreachable, setUnreachable] = useState(false);

  useEffect(() => {
    // No credential yet: the pairing id is the secret.
    const http = createHttpClient({ credentials: { kind: 'none' } });
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let failures = 0;
    const later = (fn: () => void, ms: number) => {
      if (!stopped) timer = setTimeout(fn, ms);
    };
    const retryDelay = () => Math.min(30_000, 1_000 * 2 ** Math.min(failures++, 5));

    const begin = async () => {
      try {
        const start = await http.request('POST /api/displays/pairing');
        if (stopped) return;
        failures = 0;
        setUnreachable(false);
        setCode(start.code);
        poll(start.pairingId, start.expiresAt);
      } catch {
        setUnreachable(true);
        later(() => void begin(), retryDelay());
      }
    };
    const poll = (pairingId: string, expiresAt: number) =>
      later(async () => {
        try {
          const status = await http.request('GET /api/displays/pairing/:pairingId', {
            params: { pairingId },
          });
          if (stopped) return;
          setUnreachable(false);
          if (status.status === 'paired') {
            const device = pairedDevice(status);
            // A clinic id that is not one cannot open a doc: ask for a fresh code.
            if (device) onPaired(device);
            else void begin();
            return;
          }
          if (Date.now() > expiresAt) void begin();
          else poll(pairingId, expiresAt);
        } catch (error) {
          if (error instanceof HttpError && (error.status === 404 || error.status === 410)) {
            void begin(); // expired or already used: a fresh code
          } else {
            setUnreachable(true);
            later(() => poll(pairingId, expiresAt), retryDelay());
          }
        }
      }, POLL_MS);

    void begin();
    return () => {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
    };
  }, [onPaired]);

  return (
    <main className="display display-pairing" data-testid="display-pairing">
      <h1 className="pair-title">{tr('pairTitle')}</h1>
      {revoked && (
        <Notice tone="danger" variant="solid" role={null} className="pair-revoked">
          {tr('revoked')}
        </Notice>
      )}
      <p className="pair-instructions">{tr('pairInstructions')}</p>
      <p className="pair-code" data-testid="pairing-code" aria-live="polite">
        {code ?? '…'}
      </p>
      <p className="pair-where">{tr('pairWhere')}</p>
      <p className="pair-status" role="status">
        {unreachable ? tr('pairNoServer') : `${tr('pairWaiting')} ${tr('pairExpires')}`}
      </p>
    </main>
  );
}
