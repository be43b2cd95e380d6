/**
 * The staff app's HTTP client: same-origin fetch with the session cookie,
 * the CSRF header on mutations, and errors as values the screens can show.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

let csrfToken: string | null = null;
export const setCsrfToken = (token: string | null): void => {
  csrfToken = token;
};

/** Last measured server clock offset (ms), from the Date header. */
let offset = 0;
export const serverClockOffset = (): number => offset;
/** The server-corrected clock every domain operation uses. */
export const serverNow = (): number => Date.now() + offset;

export async function api<T>(
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  const sentAt = Date.now();
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    throw new ApiError(0, 'network', 'network unavailable');
  }
  const receivedAt = Date.now();
  const date = Date.parse(res.headers.get('date') ?? '');
  if (Number.isFinite(date)) {
    // The Date header has a one-second resolution: only correct clocks that are clearly off.
    const measured = Math.round(date + 500 - (sentAt + receivedAt) / 2);
    offset = Math.abs(measured) > 2_000 ? measured : 0;
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // an HTML error page from a proxy
  }
  if (!res.ok) {
    const err = (json as { error?: { code?: string; message?: string } } | null)?.error;
    throw new ApiError(
      res.status,
      err?.code ?? `http-${res.status}`,
      err?.message ?? res.statusText,
    );
  }
  return json as T;
}
