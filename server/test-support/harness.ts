/**
 * Test harness: a real server (in this process, port 0, its own SQLite file),
 * two clinics, tokens on demand, unmodified y-websocket clients and raw
 * sockets for crafted frames.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { parseClinicId, parseDocName } from '../../shared/ids.js';
import type { Role } from '../../shared/presence.js';
import type { LoginThrottleLimits } from '../auth/login-throttle.js';
import type { StaffRole, User } from '../auth/users.js';
import { createClinic } from '../clinic-setup.js';
import type { Config } from '../config.js';
import { defaultRelayLimits, type RelayLimits } from '../relay/limits.js';
import { startServer, type RunningServer } from '../server.js';

export interface TestServer {
  readonly server: RunningServer;
  readonly dataDir: string;
  readonly wsUrl: string;
  readonly httpUrl: string;
  /** JSON log lines written by the server. */
  readonly logs: Record<string, unknown>[];
  token(role: Role, clinic?: string, opts?: { ttlMs?: number; label?: string }): Promise<string>;
  provider(docName: string, token: string, doc?: Y.Doc): WebsocketProvider;
  raw(docName: string, token: string | null, headers?: Record<string, string>): RawClient;
  /** A staff account (cheap scrypt) with a role per clinic, e.g. { c1: 'admin' }. */
  staff(
    email: string,
    clinics: Record<string, StaffRole>,
    opts?: { name?: string; password?: string },
  ): Promise<{ user: User; password: string }>;
  /** Logs in over HTTP; throws unless 200. `cookie` is ready for a Cookie header. */
  login(email: string, password: string): Promise<LoggedIn>;
  /** The stock client authenticated by a session cookie (Origin defaults to the server's own). */
  /** What the store holds for a doc right now (snapshot + updates), as a fresh Y.Doc. */
  storedDoc(docName: string): Promise<Y.Doc>;
  cookieProvider(
    docName: string,
    cookie: string,
    opts?: { origin?: string; doc?: Y.Doc },
  ): WebsocketProvider;
  close(): Promise<void>;
}

export interface LoggedIn {
  readonly cookie: string;
  /** The raw Set-Cookie header. */
  readonly setCookie: string;
  readonly csrfToken: string;
  readonly body: {
    user: { id: string; name: string; email: string };
    clinics: { id: string; name: string; role: StaffRole }[];
    csrfToken: string;
  };
}

/** A `ws` WebSocket that sends fixed headers (cookie, origin) on the handshake, for WebsocketProvider. */
export function webSocketWithHeaders(headers: Record<string, string>): typeof globalThis.WebSocket {
  class HeaderWebSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { headers });
    }
  }
  return HeaderWebSocket as unknown as typeof globalThis.WebSocket;
}

/** Cheap scrypt for tests: the cost parameters are not what is being tested. */
export const TEST_SCRYPT = { N: 1024, r: 8, p: 1 } as const;

export interface RawClient {
  readonly ws: WebSocket;
  readonly received: Uint8Array[];
  opened: Promise<void>;
  closed: Promise<{ code: number; reason: string }>;
  send(bytes: Uint8Array): void;
}

export async function startTestServer(
  opts: {
    limits?: Partial<RelayLimits>;
    dataDir?: string;
    publicUrl?: string;
    trustProxy?: boolean;
    loginLimits?: LoginThrottleLimits;
    /** PostgreSQL instead of SQLite in dataDir (a URL with its own schema). */
    databaseUrl?: string;
    /** The server's clock (default Date.now). */
    now?: () => number;
  } = {},
): Promise<TestServer> {
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'queuemed-test-'));
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString().split('\n'))
        if (line) logs.push(JSON.parse(line) as Record<string, unknown>);
      cb();
    },
  });
  const config: Config = {
    port: 0,
    host: '127.0.0.1',
    dataDir,
    databaseUrl: opts.databaseUrl ?? null,
    synchronous: 'normal',
    publicUrl: opts.publicUrl ?? null,
    trustProxy: opts.trustProxy ?? false,
    logLevel: 'info',
    appDir: path.join(dataDir, 'no-app'),
    limits: { ...defaultRelayLimits, ...opts.limits },
  };
  const server = await startServer(config, pino({ level: 'info' }, sink), {
    scrypt: TEST_SCRYPT,
    ...(opts.loginLimits ? { loginLimits: opts.loginLimits } : {}),
    ...(opts.now ? { now: opts.now } : {}),
  });
  const now = Date.now();
  for (const id of ['c1', 'c2']) {
    if (!(await server.clinics.get(parseClinicId(id)))) {
      await createClinic(
        { clinics: server.clinics, store: server.store },
        { id: parseClinicId(id), name: `Clinic ${id}` },
        now,
      );
    }
  }
  const wsUrl = `ws://127.0.0.1:${server.port}/ws`;
  const httpUrl = `http://127.0.0.1:${server.port}`;
  const providers: WebsocketProvider[] = [];
  const raws: WebSocket[] = [];
  return {
    server,
    dataDir,
    wsUrl,
    httpUrl,
    logs,
    async token(role, clinic = 'c1', o = {}) {
      const { token } = await server.tokens.create(
        { clinicId: parseClinicId(clinic), role, ...o },
        Date.now(),
      );
      return token;
    },
    provider(docName, token, doc = new Y.Doc()) {
      const p = new WebsocketProvider(wsUrl, docName, doc, {
        WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
        params: { token },
        disableBc: true,
      });
      providers.push(p);
      return p;
    },
    async staff(email, clinics, o = {}) {
      const password = o.password ?? 'correct horse battery';
      const user = await server.users.add(
        {
          email,
          name: o.name ?? email.split('@')[0]!,
          password,
          clinics: Object.entries(clinics).map(([clinicId, role]) => ({
            clinicId: parseClinicId(clinicId),
            role,
          })),
        },
        Date.now(),
      );
      return { user, password };
    },
    async login(email, password) {
      const res = await fetch(`${httpUrl}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password }),
      });
      if (res.status !== 200) throw new Error(`login ${email}: ${res.status} ${await res.text()}`);
      const setCookie = res.headers.get('set-cookie') ?? '';
      const body = (await res.json()) as LoggedIn['body'];
      return { cookie: setCookie.split(';')[0]!, setCookie, csrfToken: body.csrfToken, body };
    },
    async storedDoc(docName) {
      const stored = await server.store.load(parseDocName(docName).name);
      const doc = new Y.Doc();
      if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
      for (const u of stored.updates) Y.applyUpdate(doc, u);
      return doc;
    },
    cookieProvider(docName, cookie, o = {}) {
      const p = new WebsocketProvider(wsUrl, docName, o.doc ?? new Y.Doc(), {
        WebSocketPolyfill: webSocketWithHeaders({ cookie, origin: o.origin ?? httpUrl }),
        disableBc: true,
      });
      providers.push(p);
      return p;
    },
    raw(docName, token, headers) {
      const ws = new WebSocket(
        `${wsUrl}/${docName}${token ? `?token=${encodeURIComponent(token)}` : ''}`,
        headers ? { headers } : {},
      );
      raws.push(ws);
      const received: Uint8Array[] = [];
      ws.on('message', (data: Buffer) => received.push(new Uint8Array(data)));
      return {
        ws,
        received,
        opened: new Promise((resolve, reject) => {
          ws.once('open', () => resolve());
          ws.once('error', reject);
        }),
        closed: new Promise((resolve) =>
          ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
        ),
        send(bytes) {
          ws.send(bytes);
        },
      };
    },
    async close() {
      for (const p of providers) p.destroy();
      for (const ws of raws) ws.terminate();
      await server.stop();
      if (!opts.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Resolves when `check` returns true, re-checking on every event of `on` (or every 10 ms). */
export function until(
  check: () => boolean,
  timeoutMs = 10_000,
  label = 'condition',
): Promise<void> {
  return new Promise((resolve, reject) => {
    if (check()) return resolve();
    const started = Date.now();
    const timer = setInterval(() => {
      if (check()) {
        clearInterval(timer);
        resolve();
      } else if (Date.now() - started > timeoutMs) {
        clearInterval(timer);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${label}`));
      }
    }, 10);
  });
}

export const synced = (p: WebsocketProvider): Promise<void> =>
  p.synced ? Promise.resolve() : new Promise((resolve) => p.once('sync', () => resolve()));

/** Like `until`, for checks that need to await (e.g. reading the store). */
export async function untilAsync(
  check: () => Promise<boolean>,
  timeoutMs = 10_000,
  label = 'condition',
): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${label}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
