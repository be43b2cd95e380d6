/**
 * The app's one HTTP client, typed by the route table of shared/api.ts
 * (`ApiRoutes`): `request('PATCH /api/clinics/:clinicId', { params, body })`
 * takes the method and path from the key, checks params and body, and
 * resolves with the route's answer (undefined for a 204).
 *
 * A client belongs to a session object (the staff session store, a display
 * or patient session), never to the module: its credential is read through
 * a getter at each request, and every answer's `x-server-time` feeds that
 * session's clock. Failures are one error type, `HttpError`, whose `code` is
 * one of the API's closed set, `network` (no answer) or
 * `unexpected-response` (an answer that is not the API's, e.g. a proxy's
 * HTML page).
 */
import { isApiErrorCode, type ApiErrorCode } from '../../../shared/api-constants.js';
import type {
  ApiRoute,
  RouteBody,
  RouteParamNames,
  RouteParams,
  RouteResponse,
} from '../../../shared/api.js';
import { SERVER_TIME_HEADER } from './clock.js';
import type { ServerClock } from './clock.js';

export type HttpErrorCode = ApiErrorCode | 'network' | 'unexpected-response';

export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    /** 0 when no answer came (network down, request refused by the browser). */
    readonly status: number,
    readonly code: HttpErrorCode,
    message: string,
    /** Seconds to wait before trying again (the `Retry-After` header), or null. */
    readonly retryAfter: number | null = null,
  ) {
    super(message);
  }
}

/**
 * How a request proves who sends it:
 * - `cookie`: the staff session cookie, plus `x-csrf-token` on mutations;
 * - `bearer`: `Authorization: Bearer <token>` (display device, patient);
 * - `none`: pairing a display, joining a queue.
 * Getters are read at each request; a null value sends no header.
 */
export type Credentials =
  | { readonly kind: 'cookie'; readonly csrfToken: () => string | null }
  | { readonly kind: 'bearer'; readonly token: () => string | null }
  | { readonly kind: 'none' };

export interface HttpClientOptions {
  readonly credentials: Credentials;
  /** Fed one sample per answer that carries the server's time. */
  readonly clock?: ServerClock | null;
  /** Prefix of every path (tests: `http://127.0.0.1:<port>`); default same origin. */
  readonly baseUrl?: string;
  /** The local clock the samples are taken with: the one the ServerClock was made with. */
  readonly local?: () => number;
}

type ParamsOption<R extends ApiRoute> = [RouteParamNames<R>] extends [never]
  ? { readonly params?: undefined }
  : { readonly params: RouteParams<R> };
type BodyOption<R extends ApiRoute> = [RouteBody<R>] extends [never]
  ? { readonly body?: undefined }
  : { readonly body: RouteBody<R> };
export type RequestOptions<R extends ApiRoute> = ParamsOption<R> &
  BodyOption<R> & { readonly signal?: AbortSignal };
/** The options argument is optional exactly when the route has no params and no body. */
export type RequestArgs<R extends ApiRoute> =
  object extends RequestOptions<R> ? [options?: RequestOptions<R>] : [options: RequestOptions<R>];

export interface HttpClient {
  request<R extends ApiRoute>(route: R, ...args: RequestArgs<R>): Promise<RouteResponse<R>>;
}

/** Method and path of a route key, with `:params` filled in (URI-encoded). */
export function routeUrl(
  route: ApiRoute,
  params: Readonly<Record<string, string>> = {},
): { method: string; path: string } {
  const space = route.indexOf(' ');
  const method = route.slice(0, space);
  const path = route.slice(space + 1).replace(/:([A-Za-z]\w*)/g, (_m, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${route}: missing param ${name}`);
    return encodeURIComponent(value);
  });
  return { method, path };
}

/** The code for an answer without the API's error body (a proxy page, an old server). */
const STATUS_CODES: Readonly<Record<number, ApiErrorCode>> = {
  400: 'bad-request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not-found',
  410: 'gone',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  429: 'rate-limited',
  500: 'internal',
  502: 'unavailable',
  503: 'unavailable',
  504: 'unavailable',
};

function retryAfterSeconds(value: string | null, now: number): number | null {
  if (value === null || value.trim() === '') return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds : null;
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, Math.ceil((at - now) / 1000)) : null;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

export function createHttpClient(opts: HttpClientOptions): HttpClient {
  const local = opts.local ?? Date.now;
  const base = opts.baseUrl ?? '';
  const { credentials, clock = null } = opts;

  async function send(
    route: ApiRoute,
    options: { params?: Readonly<Record<string, string>>; body?: unknown; signal?: AbortSignal },
  ): Promise<unknown> {
    const { method, path } = routeUrl(route, options.params);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (credentials.kind === 'cookie' && method !== 'GET') {
      const csrf = credentials.csrfToken();
      if (csrf) headers['x-csrf-token'] = csrf;
    }
    if (credentials.kind === 'bearer') {
      const token = credentials.token();
      if (token) headers.authorization = `Bearer ${token}`;
    }
    // (Asserted: Node's RequestInit, which server tests compile this with, has no `cache`.)
    const init = {
      method,
      headers,
      cache: 'no-store',
      // Only the staff app authenticates with its cookie; a display or a
      // patient's phone never sends one a staff member left in the browser.
      credentials: credentials.kind === 'cookie' ? 'same-origin' : 'omit',
    } as RequestInit;
    if (options.body !== undefined) init.body = JSON.stringify(options.body);
    if (options.signal) init.signal = options.signal;

    const sentAt = local();
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, init);
    } catch (e) {
      if (options.signal?.aborted) throw e;
      throw new HttpError(0, 'network', 'network unavailable');
    }
    const receivedAt = local();
    const serverTime = Number(res.headers.get(SERVER_TIME_HEADER) ?? NaN);
    if (clock && Number.isFinite(serverTime)) clock.sample({ sentAt, serverTime, receivedAt });

    if (res.status === 204) return undefined;
    let text: string;
    try {
      text = await res.text();
    } catch (e) {
      if (options.signal?.aborted) throw e;
      throw new HttpError(0, 'network', 'the answer was cut off');
    }
    const json = text === '' ? { ok: false as const } : parseJson(text);
    if (res.ok) {
      if (!json.ok) throw new HttpError(res.status, 'unexpected-response', 'not a JSON answer');
      return json.value;
    }
    const err = json.ok ? (json.value as { error?: { code?: unknown; message?: unknown } }) : null;
    const code = err?.error?.code;
    const message = err?.error?.message;
    throw new HttpError(
      res.status,
      isApiErrorCode(code) ? code : (STATUS_CODES[res.status] ?? 'unexpected-response'),
      typeof message === 'string' ? message : res.statusText || `HTTP ${res.status}`,
      retryAfterSeconds(res.headers.get('retry-after'), clock ? clock.now() : local()),
    );
  }

  return {
    request<R extends ApiRoute>(route: R, ...args: RequestArgs<R>): Promise<RouteResponse<R>> {
      const options = (args[0] ?? {}) as {
        params?: Readonly<Record<string, string>>;
        body?: unknown;
        signal?: AbortSignal;
      };
      return send(route, options) as Promise<RouteResponse<R>>;
    },
  };
}
