/**
 * Same-origin checks for cookie-authenticated requests (HTTP mutations and
 * WebSocket upgrades): a browser always sends `Origin` on those, so a page
 * on another site cannot ride the staff cookie.
 */
import type { IncomingHttpHeaders } from 'node:http';

export interface OriginPolicy {
  /** PUBLIC_URL, when configured: its origin is always ours. */
  readonly publicUrl: string | null;
  /** Behind a reverse proxy: also accept the host it forwards (X-Forwarded-Host). */
  readonly trustProxy: boolean;
}

const first = (value: string | string[] | undefined): string | undefined =>
  (Array.isArray(value) ? value[0] : value)?.split(',')[0]?.trim() || undefined;

/**
 * True when `origin` is this server: the public URL's origin, or the host the
 * request was sent to. The scheme of the Host comparison is not checked: TLS
 * usually ends at a proxy, so this process cannot know it.
 */
export function isSameOrigin(
  origin: string,
  headers: IncomingHttpHeaders,
  policy: OriginPolicy,
): boolean {
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false; // includes the opaque "null" origin
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return false;
  if (policy.publicUrl) {
    try {
      if (new URL(policy.publicUrl).origin === parsed.origin) return true;
    } catch {
      // a malformed PUBLIC_URL is a config error reported elsewhere
    }
  }
  const hosts = [first(headers.host)];
  if (policy.trustProxy) hosts.push(first(headers['x-forwarded-host']));
  return hosts.some((h) => h !== undefined && h.toLowerCase() === parsed.host);
}

/** Null when there is no Origin header; otherwise whether it is ours. */
export function originAllowed(headers: IncomingHttpHeaders, policy: OriginPolicy): boolean | null {
  const origin = first(headers.origin);
  if (origin === undefined) return null;
  return isSameOrigin(origin, headers, policy);
}
