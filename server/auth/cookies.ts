/**
 * The staff session cookie. Hand-written rather than a dependency: one
 * cookie, read and written in two places (HTTP and the WebSocket upgrade).
 */
export const SESSION_COOKIE = 'qm_session';

/** Value of one cookie from a `Cookie` header, or null. */
export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2)
      value = value.slice(1, -1);
    try {
      return decodeURIComponent(value);
    } catch {
      return null;
    }
  }
  return null;
}

export interface SessionCookieOptions {
  /** Set when the public URL is https. */
  readonly secure: boolean;
  readonly maxAgeMs: number;
}

/** httpOnly (scripts never see it), SameSite=Lax (not sent on cross-site subrequests or POSTs). */
export function sessionCookie(token: string, opts: SessionCookieOptions): string {
  return [
    `${SESSION_COOKIE}=${token}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
    `Max-Age=${Math.max(0, Math.floor(opts.maxAgeMs / 1000))}`,
    ...(opts.secure ? ['Secure'] : []),
  ].join('; ');
}

export function clearedSessionCookie(opts: { secure: boolean }): string {
  return [
    `${SESSION_COOKIE}=`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
    'Max-Age=0',
    'Expires=Thu, 01 Jan 1970 00:00:00 GMT',
    ...(opts.secure ? ['Secure'] : []),
  ].join('; ');
}
