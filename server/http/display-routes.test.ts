import { updateFrame } from '../relay/frames.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DisplaySelf, PairingStart } from '../../shared/api.js';
import { queueDocName, parseClinicId } from '../../shared/ids.js';
import { CloseCode } from '../../shared/protocol.js';
import { createDisplayPairingRepo, PAIRING_TTL_MS } from '../auth/displays.js';
import {
  startTestServer,
  synced,
  until,
  untilAsync,
  type LoggedIn,
  type TestServer,
} from '../test-support/harness.js';
import { PAIR_LIMIT } from './display-routes.js';

let t: TestServer;
let ana: LoggedIn; // admin of c1
let bob: LoggedIn; // admin of c2
let rita: LoggedIn; // receptionist of c1

beforeAll(async () => {
  t = await startTestServer({
    publicUrl: 'https://clinic.example',
    trustProxy: true,
    limits: { revocationPollMs: 200 },
  });
  await t.staff('ana@example.org', { c1: 'admin' });
  await t.staff('bob@example.org', { c2: 'admin' });
  await t.staff('rita@example.org', { c1: 'receptionist' });
  ana = await t.login('ana@example.org', 'correct horse battery');
  bob = await t.login('bob@example.org', 'correct horse battery');
  rita = await t.login('rita@example.org', 'correct horse battery');
});
afterAll(async () => {
  await t?.close();
});

interface Call {
  method?: string;
  body?: unknown;
  session?: LoggedIn;
  bearer?: string;
  headers?: Record<string, string>;
}

async function call(path: string, c: Call = {}) {
  const headers: Record<string, string> = { ...c.headers };
  if (c.body !== undefined) headers['content-type'] = 'application/json';
  if (c.session) {
    headers.cookie = c.session.cookie;
    headers['x-csrf-token'] = c.session.csrfToken;
  }
  if (c.bearer) headers.authorization = `Bearer ${c.bearer}`;
  const res = await fetch(`${t.httpUrl}${path}`, {
    method: c.method ?? (c.body !== undefined ? 'POST' : 'GET'),
    headers,
    ...(c.body !== undefined ? { body: JSON.stringify(c.body) } : {}),
  });
  const text = await res.text();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { res, status: res.status, json: text ? (JSON.parse(text) as any) : null };
}

const startPairing = async () => {
  const r = await call('/api/displays/pairing', { method: 'POST' });
  expect(r.status).toBe(201);
  return PairingStart.parse(r.json);
};

/** Starts a pairing, has Ana pair it with c1 and collects the device token. */
async function pairedDisplay(name = 'Hall') {
  const start = await startPairing();
  const pair = await call('/api/displays/pair', {
    session: ana,
    body: { code: start.code, clinicId: 'c1', name },
  });
  expect(pair.status).toBe(201);
  const collected = await call(`/api/displays/pairing/${start.pairingId}`);
  expect(collected.status).toBe(200);
  return collected.json as { token: string; displayId: string; clinicId: string };
}

describe('display pairing', () => {
  it('pairs a display: it polls, an admin types its code, it collects a token once that reads the queue doc only', async () => {
    const start = await startPairing();
    expect(start.code).toMatch(/^[A-HJKMNP-Z2-9]{3}-[A-HJKMNP-Z2-9]{3}$/);
    expect(start.expiresAt).toBeGreaterThan(Date.now() + PAIRING_TTL_MS - 60_000);

    const pending = await call(`/api/displays/pairing/${start.pairingId}`);
    expect(pending.status).toBe(200);
    expect(pending.json).toEqual({ status: 'pending', expiresAt: start.expiresAt });

    // Typed by a person: lower case, no dash.
    const pair = await call('/api/displays/pair', {
      session: ana,
      body: {
        code: start.code.replace('-', '').toLowerCase(),
        clinicId: 'c1',
        name: 'Entrance TV',
      },
    });
    expect(pair.status).toBe(201);
    expect(pair.json.display).toMatchObject({ name: 'Entrance TV', revoked: false, online: false });
    const listed = await call('/api/clinics/c1/displays', { session: ana });
    expect(listed.json.displays.map((d: { id: string }) => d.id)).toContain(pair.json.display.id);

    const collected = await call(`/api/displays/pairing/${start.pairingId}`);
    expect(collected.status).toBe(200);
    expect(collected.json).toEqual({
      status: 'paired',
      token: expect.stringMatching(/^qm_/),
      clinicId: 'c1',
      displayId: expect.any(String),
    });
    const { token, displayId } = collected.json;
    expect((await call(`/api/displays/pairing/${start.pairingId}`)).status).toBe(410);
    const again = await call('/api/displays/pair', {
      session: ana,
      body: { code: start.code, clinicId: 'c1' },
    });
    expect(again.status).toBe(409);

    const record = await t.server.tokens.verify(token, Date.now());
    expect(record).toMatchObject({
      id: displayId,
      kind: 'display',
      role: 'display',
      label: 'Entrance TV',
      expiresAt: null,
    });
    // The plaintext token is nowhere in the database.
    const rows = await t.server.db.query('SELECT * FROM display_pairings');
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(JSON.stringify(rows)).not.toContain(start.pairingId);

    const after = await call('/api/clinics/c1/displays', { session: ana });
    expect(after.json.displays).toContainEqual({
      id: displayId,
      name: 'Entrance TV',
      createdAt: expect.any(Number),
      revoked: false,
      online: false,
    });
    expect(after.json.displays.some((d: { id: string }) => d.id === pair.json.display.id)).toBe(
      false,
    );

    // Read-only on queue:c1 …
    const staff = t.provider('queue:c1', await t.token('receptionist'));
    await synced(staff);
    staff.doc.getMap('probe').set('from', 'staff');
    const display = t.provider('queue:c1', token);
    await synced(display);
    await until(() => display.doc.getMap('probe').get('from') === 'staff', 10_000, 'display reads');
    const raw = t.raw('queue:c1', token);
    await raw.opened;
    const crafted = new Y.Doc();
    crafted.getMap('probe').set('evil', 'display');
    raw.send(updateFrame(Y.encodeStateAsUpdate(crafted)));
    staff.doc.getMap('probe').set('after', 1);
    await until(() => display.doc.getMap('probe').get('after') === 1, 10_000, 'later write');
    const evil = await t.server.relay.read(queueDocName(parseClinicId('c1')), (d) =>
      d.getMap('probe').get('evil'),
    );
    expect(evil).toBeUndefined();
    // … and refused on the staff doc.
    expect((await t.raw('staff:c1', token).closed).code).toBe(CloseCode.forbidden);
  });

  it('accepts an admin Bearer token from the CLI for pairing', async () => {
    const start = await startPairing();
    const pair = await call('/api/displays/pair', {
      bearer: await t.token('admin', 'c1'),
      body: { code: start.code, clinicId: 'c1' },
    });
    expect(pair.status).toBe(201);
    expect(pair.json.display.name).toBe(`Display ${start.code}`);
  });

  it('refuses pairing for a clinic the admin does not run (403), a receptionist (403) and no credential (401)', async () => {
    const start = await startPairing();
    const body = { code: start.code, clinicId: 'c1' };
    expect((await call('/api/displays/pair', { session: bob, body })).status).toBe(403);
    expect((await call('/api/displays/pair', { session: rita, body })).status).toBe(403);
    expect(
      (await call('/api/displays/pair', { bearer: await t.token('admin', 'c2'), body })).status,
    ).toBe(403);
    expect((await call('/api/displays/pair', { body })).status).toBe(401);
    // The code is still pending: nothing was paired.
    expect((await call(`/api/displays/pairing/${start.pairingId}`)).json.status).toBe('pending');
  });

  it('answers 410 for an expired code, 404 for an unknown one and 400 for a malformed request', async () => {
    const repo = createDisplayPairingRepo(t.server.db);
    const old = await repo.start(Date.now() - PAIRING_TTL_MS - 1000);
    const expired = await call('/api/displays/pair', {
      session: ana,
      body: { code: old.code, clinicId: 'c1' },
    });
    expect(expired.status).toBe(410);
    expect(expired.json.error.code).toBe('expired');
    expect((await call(`/api/displays/pairing/${old.pairingId}`)).status).toBe(410);
    const unknown = await call('/api/displays/pair', {
      session: ana,
      body: { code: 'ZZZ-ZZ2', clinicId: 'c1' },
    });
    expect([404, 410]).toContain(unknown.status); // 404 unless that random code exists
    expect((await call('/api/displays/pairing/nope')).status).toBe(404);
    expect((await call(`/api/displays/pairing/${'A'.repeat(43)}`)).status).toBe(404);
    expect(
      (await call('/api/displays/pair', { session: ana, body: { code: 'K7P-4QX' } })).status,
    ).toBe(400);
    expect(
      (
        await call('/api/displays/pair', {
          session: ana,
          body: { code: 'K7P-4QX', clinicId: 'c1', extra: 1 },
        })
      ).status,
    ).toBe(400);
  });

  it('rate-limits starting pairings per client address with 429 and Retry-After', async () => {
    const headers = { 'x-forwarded-for': '203.0.113.77' };
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 25; i++) {
      const r = await call('/api/displays/pairing', { method: 'POST', headers });
      statuses.push(r.status);
      if (r.status === 429) retryAfter = r.res.headers.get('retry-after');
    }
    expect(statuses.slice(0, 20).every((s) => s === 201)).toBe(true);
    expect(statuses.slice(20).every((s) => s === 429)).toBe(true);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    // Another address is not affected.
    const other = await call('/api/displays/pairing', {
      method: 'POST',
      headers: { 'x-forwarded-for': '203.0.113.78' },
    });
    expect(other.status).toBe(201);
  });
});

describe('pairing code guessing', () => {
  it('limits the codes one admin may try with 429 and Retry-After', async () => {
    const bearer = await t.token('admin', 'c1');
    const statuses: number[] = [];
    for (let i = 0; i < PAIR_LIMIT.capacity + 2; i++) {
      const r = await call('/api/displays/pair', {
        bearer,
        body: { code: 'ZZZ-ZZ3', clinicId: 'c1' },
      });
      statuses.push(r.status);
      if (r.status === 429)
        expect(Number(r.res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    expect(statuses.slice(0, PAIR_LIMIT.capacity).every((s) => s === 404)).toBe(true);
    expect(statuses.slice(PAIR_LIMIT.capacity).every((s) => s === 429)).toBe(true);
  });
});

describe('paired displays', () => {
  it('tells a display its own settings and the clinic join URL', async () => {
    const { token, displayId } = await pairedDisplay('Lobby');
    const self = await call('/api/displays/self', { bearer: token });
    expect(self.status).toBe(200);
    const body = DisplaySelf.parse(self.json);
    expect(body).toMatchObject({ displayId, name: 'Lobby', clinicId: 'c1' });
    const link = await call('/api/clinics/c1/join-link', { session: ana });
    expect(body.joinUrl).toBe(link.json.url);
    expect(body.joinUrl).toMatch(/^https:\/\/clinic\.example\/join\/[A-Za-z0-9_-]{16}$/);
    expect(body.joinUrlValidUntil).toBe(link.json.validUntil);
    expect((await call('/api/displays/self')).status).toBe(401);
    expect((await call('/api/displays/self', { bearer: await t.token('admin') })).status).toBe(403);
  });

  it('shows a display online while its socket is open and offline after', async () => {
    const { token, displayId } = await pairedDisplay('Corridor');
    const online = async () => {
      const r = await call('/api/clinics/c1/displays', { session: ana });
      return r.json.displays.find((d: { id: string }) => d.id === displayId).online as boolean;
    };
    expect(await online()).toBe(false);
    const p = t.provider('queue:c1', token);
    await synced(p);
    expect(await online()).toBe(true);
    p.destroy();
    await untilAsync(async () => !(await online()), 5_000, 'offline');
  });

  it('revokes a display: its socket closes with 4401 within two seconds and /displays/self answers 401', async () => {
    const { token, displayId } = await pairedDisplay('Waiting room B');
    const p = t.provider('queue:c1', token);
    await synced(p);
    const closed = new Promise<number>((resolve) =>
      p.on('connection-close', (e: { code: number } | null) => e && resolve(e.code)),
    );
    // Only an admin of that clinic may revoke it.
    expect(
      (await call(`/api/clinics/c1/displays/${displayId}`, { method: 'DELETE', session: rita }))
        .status,
    ).toBe(403);
    expect(
      (await call(`/api/clinics/c2/displays/${displayId}`, { method: 'DELETE', session: bob }))
        .status,
    ).toBe(404);
    const started = Date.now();
    const del = await call(`/api/clinics/c1/displays/${displayId}`, {
      method: 'DELETE',
      session: ana,
    });
    expect(del.status).toBe(204);
    expect(await closed).toBe(CloseCode.unauthenticated);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect((await call('/api/displays/self', { bearer: token })).status).toBe(401);
    const listed = await call('/api/clinics/c1/displays', { session: ana });
    expect(listed.json.displays.find((d: { id: string }) => d.id === displayId)).toMatchObject({
      revoked: true,
      online: false,
    });
    // A new socket with the revoked token is refused.
    expect((await t.raw('queue:c1', token).closed).code).toBe(CloseCode.unauthenticated);
    expect(
      (await call('/api/clinics/c1/displays/nope', { method: 'DELETE', session: ana })).status,
    ).toBe(404);
  });

  it('cancels a pairing an admin approved before the display collected it', async () => {
    const start = await startPairing();
    const pair = await call('/api/displays/pair', {
      session: ana,
      body: { code: start.code, clinicId: 'c1' },
    });
    const del = await call(`/api/clinics/c1/displays/${pair.json.display.id}`, {
      method: 'DELETE',
      session: ana,
    });
    expect(del.status).toBe(204);
    expect((await call(`/api/displays/pairing/${start.pairingId}`)).status).toBe(410);
  });

  it('lists displays to admins of the clinic only', async () => {
    expect((await call('/api/clinics/c1/displays', { session: bob })).status).toBe(403);
    expect((await call('/api/clinics/c1/displays', { session: rita })).status).toBe(403);
    expect((await call('/api/clinics/c1/displays')).status).toBe(401);
  });
});
