/**
 * The address phones use: the base of every link and QR code we hand out.
 *
 * PUBLIC_URL wins when set. Otherwise it is the address the asking browser
 * used (its Host header, https when this server terminates TLS) — the admin
 * or the display opened the server by some address, and phones on the same
 * network can use that address too, unless it is a loopback one
 * (`localhost`, 127.x), which the Admin screen and the server's start line
 * warn about. Behind a reverse proxy (QUEUEMED_TRUST_PROXY) the forwarded
 * host and scheme are the public ones; without it they are ignored, since
 * any client can write them.
 */
import type { IncomingHttpHeaders } from 'node:http';
import os from 'node:os';
import type { TLSSocket } from 'node:tls';

export type PublicUrlSource = 'config' | 'forwarded' | 'request' | 'default';

export interface PublicAddress {
  /** Origin without a trailing slash, e.g. `https://clinic.example`. */
  readonly url: string;
  /** Where it came from: PUBLIC_URL, proxy headers, the request's Host, or the listening port. */
  readonly source: PublicUrlSource;
  /** Only this machine can open it (localhost, 127.0.0.0/8, ::1, 0.0.0.0). */
  readonly loopback: boolean;
  /** A secure origin for browsers (https, or loopback): service workers, notifications and push work there. */
  readonly secure: boolean;
}

export interface PublicUrlPolicy {
  /** PUBLIC_URL, without a trailing slash, or null. */
  readonly publicUrl: string | null;
  readonly trustProxy: boolean;
  /** This process serves https itself. */
  readonly tls: boolean;
  /** The listening port (known once listening). */
  readonly port: () => number;
}

/** What `publicAddress` needs of a request (a Fastify request or a raw IncomingMessage). */
export interface RequestLike {
  readonly headers: IncomingHttpHeaders;
  readonly raw?: { readonly socket?: unknown };
  readonly socket?: unknown;
}

const first = (value: string | string[] | undefined): string | undefined =>
  (Array.isArray(value) ? value[0] : value)?.split(',')[0]?.trim() || undefined;

/** host[:port] as a browser sends it; anything else (spaces, slashes, @) is not a host we echo into links. */
const HOST =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*\.?|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

export const isHostHeader = (value: string): boolean => value.length <= 260 && HOST.test(value);

export function isLoopbackHost(hostname: string): boolean {
  const h = hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
  return (
    h === 'localhost' ||
    h.endsWith('.localhost') ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) ||
    h === '::1' ||
    h === '0.0.0.0' ||
    h === '::'
  );
}

/** Loopback or secure, and whether it is https, for any absolute URL. */
export function describeUrl(url: string): { loopback: boolean; secure: boolean } {
  try {
    const u = new URL(url);
    const loopback = isLoopbackHost(u.hostname);
    return { loopback, secure: u.protocol === 'https:' || loopback };
  } catch {
    return { loopback: false, secure: false };
  }
}

const address = (url: string, source: PublicUrlSource): PublicAddress => ({
  url,
  source,
  ...describeUrl(url),
});

export function publicAddress(req: RequestLike | null, policy: PublicUrlPolicy): PublicAddress {
  if (policy.publicUrl) return address(policy.publicUrl, 'config');
  const ownScheme = policy.tls ? 'https' : 'http';
  if (req) {
    const socket = (req.raw?.socket ?? req.socket) as Partial<TLSSocket> | undefined;
    let scheme = socket?.encrypted ? 'https' : ownScheme;
    if (policy.trustProxy) {
      // A proxy that keeps the Host header may still end TLS: its X-Forwarded-Proto says so.
      const fProto = first(req.headers['x-forwarded-proto'])?.toLowerCase();
      if (fProto === 'https' || fProto === 'http') scheme = fProto;
      const fHost = first(req.headers['x-forwarded-host']);
      if (fHost && isHostHeader(fHost)) {
        return address(`${scheme}://${fHost.toLowerCase()}`, 'forwarded');
      }
    }
    const host = first(req.headers.host);
    if (host && isHostHeader(host)) return address(`${scheme}://${host.toLowerCase()}`, 'request');
  }
  return address(`${ownScheme}://localhost:${policy.port()}`, 'default');
}

/** This machine's LAN addresses (IPv4, not internal) as base URLs: what a phone on the same Wi-Fi could open. */
export function lanUrls(port: number, tls: boolean): string[] {
  const urls: string[] = [];
  for (const list of Object.values(os.networkInterfaces())) {
    for (const a of list ?? []) {
      if (a.family === 'IPv4' && !a.internal)
        urls.push(`${tls ? 'https' : 'http'}://${a.address}:${port}`);
    }
  }
  return urls;
}
