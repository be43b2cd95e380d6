/**
 * The signed-in staff member, and what the staff app talks to the server
 * with: its server-corrected clock and its HTTP client (session cookie, and
 * the CSRF token of the session held here on every mutation). The session
 * view is cached in localStorage so a reception PC that reloads during a
 * network cut still opens its screens from IndexedDB; a 401 from the server
 * always wins over the cache.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { SessionView } from '../../../shared/api.js';
import type { STAFF_ROLES } from '../../../shared/presence.js';
import { createServerClock, type ServerClock } from '../sync/clock.js';
import { createHttpClient, HttpError, type HttpClient } from '../sync/http.js';
import { clearUserDocs } from '../sync/synced-doc.js';

export type StaffRole = (typeof STAFF_ROLES)[number];
export type { SessionView };

export interface SessionState {
  status: 'loading' | 'signed-out' | 'signed-in';
  session: SessionView | null;
  /** The session comes from the local cache: the server could not be reached. */
  fromCache: boolean;
  /** The staff app's server-corrected clock; its offset is kept in localStorage (`queuemed.clock`). */
  readonly clock: ServerClock;
  /** The staff app's HTTP client: it feeds `clock` and sends this session's CSRF token. */
  readonly http: HttpClient;
  load(): Promise<void>;
  /**
   * `beforeSignedIn` runs once the server accepted, in the same tick as the
   * switch to signed-in, so a screen can move to its target page in the same
   * render (otherwise the login page's own "signed in → go home" redirect
   * races it, and the clinic's docs are opened, closed and opened again).
   */
  login(email: string, password: string, beforeSignedIn?: () => void): Promise<void>;
  logout(): Promise<void>;
  /** A relay close 4401 or an API 401: the session is gone. */
  expired(): void;
}

const CACHE = 'queuemed.session';

function readCache(): SessionView | null {
  try {
    const raw = localStorage.getItem(CACHE);
    return raw ? (JSON.parse(raw) as SessionView) : null;
  } catch {
    return null;
  }
}
function writeCache(s: SessionView | null) {
  try {
    if (s) localStorage.setItem(CACHE, JSON.stringify(s));
    else localStorage.removeItem(CACHE);
  } catch {
    // private mode: no offline start
  }
}

function localStorageOrNull(): Storage | null {
  try {
    return localStorage;
  } catch {
    return null;
  }
}

export interface SessionStoreOptions {
  /** Where the API is (tests: a server on another port); default same origin. */
  readonly baseUrl?: string;
}

export function createSessionStore(opts: SessionStoreOptions = {}): StoreApi<SessionState> {
  const signedIn = (session: SessionView, fromCache = false) => {
    if (!fromCache) writeCache(session);
    store.setState({ status: 'signed-in', session, fromCache });
  };
  const signedOut = () => {
    writeCache(null);
    store.setState({ status: 'signed-out', session: null, fromCache: false });
  };
  const clock = createServerClock({ storage: localStorageOrNull(), storageKey: 'queuemed.clock' });
  const http = createHttpClient({
    clock,
    credentials: { kind: 'cookie', csrfToken: () => store.getState().session?.csrfToken ?? null },
    ...(opts.baseUrl === undefined ? {} : { baseUrl: opts.baseUrl }),
  });
  const store: StoreApi<SessionState> = createStore<SessionState>()(() => ({
    status: 'loading',
    session: null,
    fromCache: false,
    clock,
    http,
    async load() {
      // Never signed in on this browser (or signed out): no session to ask
      // about, and asking would answer 401 — logged as an error on every
      // visit to the login page.
      if (readCache() === null) {
        signedOut();
        return;
      }
      try {
        signedIn(await http.request('GET /api/auth/me'));
      } catch (e) {
        const cached = readCache();
        const status = e instanceof HttpError ? e.status : 0;
        if (whenSessionUnknown(status, cached !== null) === 'keep-cached') signedIn(cached!, true);
        else signedOut();
      }
    },
    async login(email, password, beforeSignedIn) {
      const session = await http.request('POST /api/auth/login', { body: { email, password } });
      beforeSignedIn?.();
      signedIn(session);
    },
    async logout() {
      const userId = store.getState().session?.user.id;
      try {
        await http.request('POST /api/auth/logout');
      } catch {
        // offline: the cookie dies with its session on the server later; local data goes now
      }
      if (userId) await clearUserDocs(userId);
      signedOut();
    },
    expired() {
      if (store.getState().status === 'signed-in') signedOut();
    },
  }));
  return store;
}

/**
 * What `/api/auth/me` failing means for a cached session: only the server
 * saying the session is gone (401, 403) signs out; a network cut, a 429 or a
 * 5xx (the server restarting, the store briefly unavailable) keeps the
 * cached session, so a reception PC keeps working offline-first.
 */
export function whenSessionUnknown(status: number, hasCache: boolean): 'keep-cached' | 'sign-out' {
  if (status === 401 || status === 403) return 'sign-out';
  return hasCache ? 'keep-cached' : 'sign-out';
}
