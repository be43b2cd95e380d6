/**
 * The permission matrix, end to end: every kind of credential × every kind
 * of document × read/write over the relay, and the same credentials on the
 * HTTP routes. One table says what each credential is; the expectations are
 * derived from it, so a reader checks the policy in one place:
 *
 *   level     queue:c1   staff:c1   board:*   integration routes   admin routes
 *   admin     write      write      refused   200                  200
 *   staff     write      write      refused   200                  403
 *   public    read       refused    refused   403                  403
 *   foreign   refused    refused    refused   403                  403
 *   anon      4401       4401       4401      401                  401
 *
 * The staff-management routes (staff-routes.ts) take sessions only, so they
 * are covered in auth-routes.test.ts, not here.
 *
 * `board:*` here is a board nobody registered: refused for everyone. The
 * matrix of registered boards (staff rw, archived read-only, API keys,
 * displays, patients and other clinics refused) is
 * server/relay/board-access.test.ts.
 * "read" = the relay answers our sync step 1 with a step 2 holding the seeded
 * doc; "write" = a crafted update lands in the server's doc (relay.read),
 * while a read-only connection's update is dropped. Message order is the
 * barrier: the relay answers a later sync step 1 only after the update
 * before it was handled.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { parseClinicId, parseDocName } from '../../shared/ids.js';
import type { Role } from '../../shared/presence.js';
import { CloseCode, readMessage, syncStep1Frame, updateFrame } from '../../shared/protocol.js';
import { apiClient, type ApiCall } from '../http/test-support/api-client.js';
import { startTestServer, type RawClient, type TestServer } from '../test-support/harness.js';
import type { TokenKind } from './tokens.js';

type Level = 'admin' | 'staff' | 'public' | 'foreign' | 'anon';

interface Credential {
  readonly name: string;
  readonly level: Level;
  /** How the credential is obtained, once the server runs. */
  readonly make: (t: TestServer) => Promise<Presented>;
}

/** What a request or socket presents: a bearer token, a session cookie, or nothing. */
type Presented =
  | { readonly token: string }
  | { readonly cookie: string; readonly csrf: string }
  | { readonly none: true };

const token =
  (role: Role, opts: { clinic?: string; kind?: TokenKind } = {}) =>
  async (t: TestServer): Promise<Presented> => {
    const { token } = await t.server.tokens.create(
      {
        clinicId: parseClinicId(opts.clinic ?? 'c1'),
        role,
        ...(opts.kind ? { kind: opts.kind } : {}),
      },
      Date.now(),
    );
    return { token };
  };

const session =
  (email: string) =>
  async (t: TestServer): Promise<Presented> => {
    const s = await t.login(email, 'correct horse battery');
    return { cookie: s.cookie, csrf: s.csrfToken };
  };

const CREDENTIALS: readonly Credential[] = [
  { name: 'admin session', level: 'admin', make: session('admin@c1.example') },
  { name: 'receptionist session', level: 'staff', make: session('rec@c1.example') },
  { name: 'doctor session', level: 'staff', make: session('doc@c1.example') },
  { name: 'CLI admin token', level: 'admin', make: token('admin') },
  { name: 'CLI receptionist token', level: 'staff', make: token('receptionist') },
  { name: 'CLI doctor token', level: 'staff', make: token('doctor') },
  { name: 'CLI display token', level: 'public', make: token('display') },
  { name: 'CLI patient token', level: 'public', make: token('patient') },
  { name: 'API key', level: 'staff', make: token('receptionist', { kind: 'api-key' }) },
  { name: 'paired display token', level: 'public', make: token('display', { kind: 'display' }) },
  { name: 'patient join token', level: 'public', make: token('patient', { kind: 'patient' }) },
  {
    name: 'c2 admin token (cross-clinic)',
    level: 'foreign',
    make: token('admin', { clinic: 'c2' }),
  },
  {
    name: 'c2 API key (cross-clinic)',
    level: 'foreign',
    make: token('receptionist', { clinic: 'c2', kind: 'api-key' }),
  },
  {
    name: 'c2 receptionist session (cross-clinic)',
    level: 'foreign',
    make: session('rec@c2.example'),
  },
  { name: 'no credential', level: 'anon', make: async () => ({ none: true }) },
  {
    name: 'revoked token',
    level: 'anon',
    make: async (t) => {
      const p = (await token('receptionist')(t)) as { token: string };
      await t.server.tokens.revoke(p.token, Date.now());
      return p;
    },
  },
  {
    name: 'expired token',
    level: 'anon',
    make: async (t) => {
      const p = await t.token('receptionist', 'c1', { ttlMs: 1 });
      await new Promise((r) => setTimeout(r, 5));
      return { token: p };
    },
  },
  {
    name: 'forged token',
    level: 'anon',
    make: async () => ({ token: 'qm_' + 'A'.repeat(43) }),
  },
];

type DocKind = 'queue' | 'staff' | 'board';
type RelayAccess = 'write' | 'read' | 'forbidden' | 'unauthenticated';

function relayAccess(level: Level, doc: DocKind): RelayAccess {
  if (level === 'anon') return 'unauthenticated';
  if (doc === 'board' || level === 'foreign') return 'forbidden';
  if (level === 'public') return doc === 'queue' ? 'read' : 'forbidden';
  return 'write';
}

const DOCS: Record<DocKind, string> = {
  queue: 'queue:c1',
  staff: 'staff:c1',
  board: 'board:retro',
};

let t: TestServer;
let call: ReturnType<typeof apiClient>;
const presented = new Map<string, Presented>();

beforeAll(async () => {
  t = await startTestServer();
  call = apiClient(t.httpUrl);
  await t.staff('admin@c1.example', { c1: 'admin' });
  await t.staff('rec@c1.example', { c1: 'receptionist' });
  await t.staff('doc@c1.example', { c1: 'doctor' });
  await t.staff('rec@c2.example', { c2: 'receptionist' });
  for (const c of CREDENTIALS) presented.set(c.name, await c.make(t));
});
afterAll(async () => {
  await t?.close();
});

// ── relay ──────────────────────────────────────────────────────────────────

const syncStep1 = (doc: Y.Doc = new Y.Doc()): Uint8Array =>
  syncStep1Frame(Y.encodeStateVector(doc));

/** Payloads of the sync step 2 frames received so far. */
function step2s(raw: RawClient): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const bytes of raw.received) {
    const message = readMessage(bytes);
    if (message.type === 'sync-step2') out.push(message.update);
  }
  return out;
}

function connect(docName: string, p: Presented): RawClient {
  if ('token' in p) return t.raw(docName, p.token);
  if ('cookie' in p) return t.raw(docName, null, { cookie: p.cookie, origin: t.httpUrl });
  return t.raw(docName, null);
}

/** Resolves with the number of step 2 frames once there are `n`, or rejects on close. */
function awaitStep2(raw: RawClient, n: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (step2s(raw).length >= n) {
        raw.ws.off('message', check);
        resolve();
      }
    };
    raw.ws.on('message', check);
    raw.ws.once('close', (code) => reject(new Error(`closed with ${code} before step 2`)));
    check();
  });
}

const cases = CREDENTIALS.flatMap((c) =>
  (Object.keys(DOCS) as DocKind[]).map((doc) => ({
    credential: c.name,
    doc,
    expected: relayAccess(c.level, doc),
  })),
);

describe('relay: credential × document × read/write', () => {
  it.each(cases)('$credential on $doc → $expected', async ({ credential, doc, expected }) => {
    const docName = DOCS[doc];
    const raw = connect(docName, presented.get(credential)!);
    if (expected === 'forbidden' || expected === 'unauthenticated') {
      const closed = await raw.closed;
      expect(closed.code).toBe(
        expected === 'forbidden' ? CloseCode.forbidden : CloseCode.unauthenticated,
      );
      expect(step2s(raw)).toHaveLength(0);
      return;
    }
    await raw.opened;

    // read: our step 1 is answered with a step 2 holding the seeded document
    raw.send(syncStep1());
    await awaitStep2(raw, 1);
    const local = new Y.Doc();
    Y.applyUpdate(local, step2s(raw)[0]!);
    expect(local.getMap('meta').get('schemaVersion'), `${docName} arrives seeded`).toBeDefined();

    // write: a crafted update, then a second step 1 as a barrier
    const probe = `${credential}`;
    const crafted = new Y.Doc();
    Y.applyUpdate(crafted, step2s(raw)[0]!);
    crafted.getMap('probe').set(probe, true);
    raw.send(updateFrame(Y.encodeStateAsUpdate(crafted, Y.encodeStateVector(local))));
    raw.send(syncStep1(local));
    await awaitStep2(raw, 2);
    const landed = await t.server.relay.read(
      parseDocName(docName).name,
      (d) => d.getMap('probe').get(probe) === true,
    );
    expect(landed, expected === 'write' ? 'write applied' : 'write dropped').toBe(
      expected === 'write',
    );
    raw.ws.close();
  });
});

// ── HTTP ───────────────────────────────────────────────────────────────────

interface Route {
  readonly name: string;
  readonly needs: 'staff' | 'admin';
  readonly ok: number;
  readonly request: ApiCall & { path: string };
}

const ROUTES: readonly Route[] = [
  { name: 'GET queue', needs: 'staff', ok: 200, request: { path: '/api/clinics/c1/queue' } },
  {
    name: 'POST queue/open',
    needs: 'staff',
    ok: 200,
    request: { path: '/api/clinics/c1/queue/open', method: 'POST' },
  },
  {
    name: 'POST queue/entries',
    needs: 'staff',
    ok: 201,
    request: { path: '/api/clinics/c1/queue/entries', body: {} },
  },
  { name: 'GET clinic', needs: 'staff', ok: 200, request: { path: '/api/clinics/c1' } },
  {
    name: 'POST number-blocks',
    needs: 'staff',
    ok: 201,
    request: { path: '/api/clinics/c1/number-blocks', body: { device: 'desk-1', size: 5 } },
  },
  {
    name: 'POST number-blocks/return',
    needs: 'staff',
    ok: 200,
    request: {
      path: '/api/clinics/c1/number-blocks/return',
      body: { device: 'desk-1', numbers: [1] },
    },
  },
  {
    name: 'POST device-tag',
    needs: 'staff',
    ok: 200,
    request: { path: '/api/clinics/c1/device-tag', body: { device: 'desk-1' } },
  },
  { name: 'GET api-keys', needs: 'admin', ok: 200, request: { path: '/api/clinics/c1/api-keys' } },
  {
    name: 'POST api-keys',
    needs: 'admin',
    ok: 201,
    request: { path: '/api/clinics/c1/api-keys', body: { label: 'matrix' } },
  },
  {
    name: 'PATCH clinic',
    needs: 'admin',
    ok: 200,
    request: { path: '/api/clinics/c1', method: 'PATCH', body: { locale: 'fr' } },
  },
];

function httpStatus(level: Level, route: Route): number {
  if (level === 'anon') return 401;
  if (level === 'foreign' || level === 'public') return 403;
  if (route.needs === 'admin' && level !== 'admin') return 403;
  return route.ok;
}

const httpCases = CREDENTIALS.flatMap((c) =>
  ROUTES.map((r) => ({ credential: c.name, route: r.name, status: httpStatus(c.level, r) })),
);

describe('HTTP: credential × route', () => {
  it.each(httpCases)('$credential: $route → $status', async ({ credential, route, status }) => {
    const r = ROUTES.find((x) => x.name === route)!;
    const p = presented.get(credential)!;
    const { path, ...request } = r.request;
    const auth: ApiCall =
      'token' in p
        ? { bearer: p.token }
        : 'cookie' in p
          ? {
              session: { cookie: p.cookie, csrfToken: p.csrf },
              headers: { origin: t.httpUrl },
            }
          : {};
    const answer = await call(path, { ...request, ...auth });
    expect(answer.status).toBe(status);
    if (status >= 400) {
      expect(answer.json.error.code).toBe(status === 401 ? 'unauthenticated' : 'forbidden');
    }
  });
});
