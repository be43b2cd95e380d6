/** A small fetch wrapper for the HTTP API tests: JSON in, parsed JSON out, any credential. */
import type { LoggedIn } from '../../test-support/harness.js';

export interface ApiCall {
  method?: string;
  /** JSON-encoded unless `raw` is given. */
  body?: unknown;
  /** Sent as is (with `contentType`), for malformed and non-JSON bodies. */
  raw?: string;
  contentType?: string;
  bearer?: string;
  session?: Pick<LoggedIn, 'cookie' | 'csrfToken'>;
  /** With a session: the CSRF token to send (default the session's; null: none). */
  csrf?: string | null;
  headers?: Record<string, string>;
}

export interface ApiAnswer {
  readonly status: number;
  readonly headers: Headers;
  // Response bodies are asserted field by field; a loose type keeps the tests readable.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly json: any;
}

export function apiClient(baseUrl: string) {
  return async function call(path: string, c: ApiCall = {}): Promise<ApiAnswer> {
    const headers: Record<string, string> = {};
    let body: string | undefined;
    if (c.raw !== undefined) {
      body = c.raw;
      headers['content-type'] = c.contentType ?? 'application/json';
    } else if (c.body !== undefined) {
      body = JSON.stringify(c.body);
      headers['content-type'] = c.contentType ?? 'application/json';
    }
    if (c.bearer !== undefined) headers.authorization = `Bearer ${c.bearer}`;
    if (c.session) {
      headers.cookie = c.session.cookie;
      const csrf = c.csrf === undefined ? c.session.csrfToken : c.csrf;
      if (csrf) headers['x-csrf-token'] = csrf;
    }
    Object.assign(headers, c.headers);
    const res = await fetch(`${baseUrl}${path}`, {
      method: c.method ?? (body !== undefined ? 'POST' : 'GET'),
      headers,
      ...(body !== undefined ? { body } : {}),
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = text;
    }
    return { status: res.status, headers: res.headers, json };
  };
}
