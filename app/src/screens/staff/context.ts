import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import { useLocale } from '../../i18n/index.js';
import type { SessionState } from '../../stores/session-store.js';
import { staffT } from './strings.js';

export const SessionContext = createContext<StoreApi<SessionState> | null>(null);

export function useSessionStore(): StoreApi<SessionState> {
  const s = useContext(SessionContext);
  if (!s) throw new Error('SessionContext missing');
  return s;
}

export function useSession<T>(select: (s: SessionState) => T): T {
  return useStore(useSessionStore(), select);
}

/** The staff translator for the current locale. */
export function useT() {
  const [locale] = useLocale();
  return staffT(locale);
}
