import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import { makeT, useLocale, type Locale } from '../i18n/index.js';
import type { ConnectionState } from '../sync/synced-doc.js';
import './connection-light.css';

const t = makeT({
  fr: {
    synced: 'Synchronisé',
    connecting: 'Connexion…',
    reconnecting: 'Reconnexion…',
    offline: 'Hors ligne',
    closed: 'Déconnecté',
    closed4401: 'Session expirée — reconnectez-vous',
    closed4403: 'Accès refusé',
    unsynced1: '1 modification non synchronisée',
    unsyncedN: '{n} modifications non synchronisées',
  },
  en: {
    synced: 'Synced',
    connecting: 'Connecting…',
    reconnecting: 'Reconnecting…',
    offline: 'Offline',
    closed: 'Disconnected',
    closed4401: 'Session expired — please sign in again',
    closed4403: 'Access denied',
    unsynced1: '1 unsynced change',
    unsyncedN: '{n} unsynced changes',
  },
});

/**
 * Green synced, orange blinking while (re)connecting, red offline or refused; plus unsynced changes.
 * `locale`: a screen that speaks its clinic's language (display, patient) passes it; staff
 * screens follow the language chosen in the app.
 */
export function ConnectionLight({
  store,
  size = 'normal',
  locale: screenLocale,
}: {
  store: StoreApi<ConnectionState>;
  size?: 'normal' | 'large';
  locale?: Locale;
}) {
  const [appLocale] = useLocale();
  const tr = t(screenLocale ?? appLocale);
  const status = useStore(store, (s) => s.status);
  const light = useStore(store, (s) => s.light);
  const unsynced = useStore(store, (s) => s.unsynced);
  const code = useStore(store, (s) => s.closedCode);
  const label =
    status === 'closed'
      ? code === 4401
        ? tr('closed4401')
        : code === 4403
          ? tr('closed4403')
          : `${tr('closed')}${code ? ` (${code})` : ''}`
      : tr(status);
  return (
    <span
      className={`conn conn-${light} conn-${size}`}
      role="status"
      aria-live="polite"
      data-status={status}
      data-unsynced={unsynced}
    >
      <span className="conn-dot" aria-hidden="true" />
      <span className="conn-label">{label}</span>
      {unsynced > 0 && (
        <span className="conn-unsynced">
          {unsynced === 1 ? tr('unsynced1') : tr('unsyncedN', { n: unsynced })}
        </span>
      )}
    </span>
  );
}
