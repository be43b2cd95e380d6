/**
 * The WebSocket host: authenticates an upgrade under /ws/<docName>, always
 * completes the handshake and closes with a code when it must refuse
 * (browsers cannot see an HTTP refusal), and hands an accepted socket to the
 * relay. The HTTP transport will authorise through `authorize` the same way.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { InvalidIdError, parseDocName, type ParsedDocName } from '../../shared/ids.js';
import { CloseCode, CloseReason } from '../../shared/protocol.js';
import type { AuthRefusal, Identity } from '../auth/identity.js';
import { accessTo, type Access, type DocLookups } from '../docs/kinds.js';
import type { RelayEvents } from './events.js';
import type { RelayLimits } from './limits.js';
import type { RelaySocket } from './socket.js';
import { WsRelaySocket } from './ws-socket.js';

export interface AuthorizeDeps {
  readonly now: () => number;
  /**
   * Resolves the credential of a request: null when there is none or it is
   * invalid (4401), or a refusal with its own code (e.g. 4403 for a session
   * cookie sent from another origin).
   */
  readonly authenticate: (req: IncomingMessage, url: URL) => Promise<Identity | AuthRefusal | null>;
  /** A registered board's clinic and archived flag, or null (cached by the caller). */
  readonly board: DocLookups['board'];
}

export type Authorization =
  | { readonly refuse: CloseCode; readonly detail: string }
  | { readonly identity: Identity; readonly access: Access };

/** Who is asking, and what they may do on `doc`. */
export async function authorize(
  deps: AuthorizeDeps,
  req: IncomingMessage,
  url: URL,
  doc: ParsedDocName,
): Promise<Authorization> {
  const identity = await deps.authenticate(req, url);
  if (identity && 'refuse' in identity) return { refuse: identity.refuse, detail: identity.detail };
  if (!identity) return { refuse: CloseCode.unauthenticated, detail: 'no valid credential' };
  if (identity.expiresAt !== null && identity.expiresAt <= deps.now()) {
    return { refuse: CloseCode.unauthenticated, detail: 'credential expired' };
  }
  const access = await accessTo(identity, doc, deps);
  if (access === 'none')
    return {
      refuse: CloseCode.forbidden,
      detail: `${identity.role} of ${identity.clinicId} on ${doc.name}`,
    };
  return { identity, access };
}

export interface WsHostDeps extends AuthorizeDeps {
  readonly limits: RelayLimits;
  readonly events: RelayEvents;
  readonly isStopping: () => boolean;
  readonly onAuthError: (err: unknown) => void;
  readonly connect: (
    socket: RelaySocket,
    doc: ParsedDocName,
    identity: Identity,
    access: Access,
  ) => void;
}

export interface WsHost {
  /** Handles an HTTP upgrade under /ws/; returns false for other paths. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  close(): void;
}

export function createWsHost(deps: WsHostDeps): WsHost {
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: deps.limits.maxFrameBytes,
    perMessageDeflate: false,
    clientTracking: false,
  });

  function refuse(
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    code: CloseCode,
    detail: string,
  ): void {
    deps.events.emit({ type: 'refused', code, detail, path: redactedPath(req) });
    wss.handleUpgrade(req, socket, head, (ws) => ws.close(code, CloseReason[code]));
  }

  function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = new URL(req.url ?? '/', 'http://relay.invalid');
    if (!url.pathname.startsWith('/ws/')) return false;
    socket.on('error', () => {});
    if (deps.isStopping()) {
      refuse(req, socket, head, CloseCode.restart, 'shutting down');
      return true;
    }
    let parsed: ParsedDocName;
    try {
      parsed = parseDocName(decodeURIComponent(url.pathname.slice(4)));
    } catch (err) {
      refuse(
        req,
        socket,
        head,
        CloseCode.badDocName,
        err instanceof InvalidIdError ? err.message : 'undecodable',
      );
      return true;
    }
    void authorize(deps, req, url, parsed).then(
      (result) => {
        if (socket.destroyed) return;
        if ('refuse' in result) {
          refuse(req, socket, head, result.refuse, result.detail);
          return;
        }
        wss.handleUpgrade(req, socket, head, (ws) => {
          ws.on('error', () => {});
          deps.connect(new WsRelaySocket(ws, socket), parsed, result.identity, result.access);
        });
      },
      (err: unknown) => {
        deps.onAuthError(err);
        if (!socket.destroyed) refuse(req, socket, head, CloseCode.overloaded, 'auth unavailable');
      },
    );
    return true;
  }

  return { handleUpgrade, close: () => wss.close() };
}

/** The request path without its query string: tokens never reach the logs. */
export function redactedPath(req: IncomingMessage): string {
  const raw = req.url ?? '';
  const q = raw.indexOf('?');
  return q < 0 ? raw : raw.slice(0, q);
}
