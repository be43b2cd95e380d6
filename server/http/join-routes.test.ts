import { updateFrame } from '../relay/frames.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { JoinInfo, JoinLinkView, JoinResponse } from '../../shared/api.js';
import { parseClinicId, queueDocName, staffDocName } from '../../shared/ids.js';
import { CloseCode } from '../../shared/protocol.js';
import {
  allEntries,
  parseEntryId,
  readPatient,
  serverOrigin,
  setQueueOpen,
} from '../../shared/queue/index.js';
import { clinicDayEnd } from '../auth/join-links.js';
import { startTestServer, synced, until, type TestServer } from '../test-support/harness.js';
import { JOIN_CLINIC_LIMIT, JOIN_IP_LIMIT } from './join-routes.js';

interface Call {
  method?: string;
  body?: unknown;
  raw?: string;
  bearer?: string;
  headers?: Record<string, string>;
}

function caller(t: TestServer) {
  return async (path: string, c: Call = {}) => {
    const headers: Record<string, string> = { ...c.headers };
    if (c.body !== undefined) headers['content-type'] = 'application/json';
    if (c.bearer) headers.authorization = `Bearer ${c.bearer}`;
    const res = await fetch(`${t.httpUrl}${path}`, {
      method: c.method ?? (c.body !== undefined || c.raw !== undefined ? 'POST' : 'GET'),
      headers,
      ...(c.body !== undefined ? { body: JSON.stringify(c.body) } : {}),
      ...(c.raw !== undefined ? { body: c.raw } : {}),
    });
    const text = await res.text();
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return { res, status: res.status, json: text ? (JSON.parse(text) as any) : null };
  };
}

const setOpen = (t: TestServer, clinic: string, open: boolean) =>
  t.server.relay.change(queueDocName(parseClinicId(clinic)), (doc) =>
    setQueueOpen(doc, { open }, { now: Date.now(), origin: serverOrigin }),
  );

async function secretOf(t: TestServer, clinic: string): Promise<string> {
  const r = await caller(t)(`/api/clinics/${clinic}/join-link`, {
    bearer: await t.token('admin', clinic),
  });
  expect(r.status).toBe(200);
  return JoinLinkView.parse(r.json).secret;
}

describe('join link and join validation', () => {
  let t: TestServer;
  let call: ReturnType<typeof caller>;
  let admin: string;
  beforeAll(async () => {
    t = await startTestServer({ publicUrl: 'https://clinic.example' });
    call = caller(t);
    admin = await t.token('admin', 'c1');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('gives admins the clinic’s join link for today, the same all day, under PUBLIC_URL', async () => {
    const a = await call('/api/clinics/c1/join-link', { bearer: admin });
    expect(a.status).toBe(200);
    const link = JoinLinkView.parse(a.json);
    expect(link.url).toBe(`https://clinic.example/join/${link.secret}`);
    expect(link.validUntil).toBe(
      clinicDayEnd(Date.now(), { timezone: 'Europe/Paris', resetTime: '00:00' }),
    );
    expect((await call('/api/clinics/c1/join-link', { bearer: admin })).json).toEqual(a.json);
    expect(
      (await call('/api/clinics/c1/join-link', { bearer: await t.token('receptionist') })).status,
    ).toBe(403);
    expect(
      (await call('/api/clinics/c1/join-link', { bearer: await t.token('admin', 'c2') })).status,
    ).toBe(403);
    expect((await call('/api/clinics/c1/join-link')).status).toBe(401);
  });

  it('describes the clinic to the join page: name, locale, open, services', async () => {
    const secret = await secretOf(t, 'c1');
    const r = await call(`/api/join/${secret}`);
    expect(r.status).toBe(200);
    expect(JoinInfo.parse(r.json)).toEqual({
      clinic: { id: 'c1', name: 'Clinic c1', locale: 'fr' },
      open: true,
      services: [{ id: 'main', name: expect.any(String) }],
    });
    expect((await call(`/api/join/${'A'.repeat(24)}`)).status).toBe(404);
  });

  it('adds a patient: 201 with ticket, position, wait, a patient token and the ticket page URL', async () => {
    const secret = await secretOf(t, 'c1');
    const r = await call(`/api/join/${secret}`, {
      body: { name: 'Zoé Patiente', phone: '+33 6 12 34 56 78' },
    });
    expect(r.status).toBe(201);
    const body = JoinResponse.parse(r.json);
    expect(body.ticket).toMatch(/^[A-Z]-?\d+$/);
    expect(body.position).toBeGreaterThanOrEqual(1);
    expect(body.estimatedWaitMinutes).toBeGreaterThanOrEqual(0);
    expect(body.url).toBe(`https://clinic.example/ticket/c1/${body.entryId}#${body.patientToken}`);
    const record = await t.server.tokens.verify(body.patientToken, Date.now());
    expect(record).toMatchObject({ kind: 'patient', role: 'patient', clinicId: 'c1' });
    expect(record!.expiresAt).toBe(
      clinicDayEnd(Date.now(), { timezone: 'Europe/Paris', resetTime: '00:00' }),
    );
    // The name goes to the staff doc only; the public doc has the ticket, not the person.
    const entryId = parseEntryId(body.entryId);
    const clinicId = parseClinicId('c1');
    const patient = await t.server.relay.read(staffDocName(clinicId), (d) =>
      readPatient(d, entryId),
    );
    expect(patient).toMatchObject({ name: 'Zoé Patiente' });
    const publicJson = await t.server.relay.read(queueDocName(clinicId), (d) =>
      JSON.stringify(d.toJSON()),
    );
    expect(publicJson).toContain(body.entryId);
    expect(publicJson).not.toContain('Zoé');
    expect(publicJson).not.toContain('12 34');
    // Logs say a patient joined, never who.
    const logs = JSON.stringify(t.logs);
    expect(logs).toContain('patient joined');
    expect(logs).not.toContain('Zoé');
    expect(logs).not.toContain('12 34');
    expect(logs).not.toContain(body.patientToken);
  });

  it('lets a browser that holds a staff session join and start a pairing without a CSRF token, and keeps secrets out of the logs', async () => {
    const { password } = await t.staff('desk@example.org', { c1: 'receptionist' });
    const { cookie } = await t.login('desk@example.org', password);
    const secret = await secretOf(t, 'c1');
    const post = (path: string) =>
      fetch(`${t.httpUrl}${path}`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json' },
        body: '{}',
      });
    expect((await post(`/api/join/${secret}`)).status).toBe(201);
    const pairing = await post('/api/displays/pairing');
    expect(pairing.status).toBe(201);
    const { pairingId } = (await pairing.json()) as { pairingId: string };
    await fetch(`${t.httpUrl}/api/displays/pairing/${pairingId}`);
    const logged = JSON.stringify(t.logs);
    expect(logged).not.toContain(secret);
    expect(logged).not.toContain(pairingId);
  });

  it('accepts an empty join (no name) with or without a JSON body', async () => {
    const secret = await secretOf(t, 'c1');
    expect((await call(`/api/join/${secret}`, { body: {} })).status).toBe(201);
    expect((await call(`/api/join/${secret}`, { method: 'POST' })).status).toBe(201);
  });

  it('answers 404 for an unknown link and 410 for one from another day or replaced by an admin', async () => {
    expect((await call(`/api/join/${'A'.repeat(24)}`, { body: {} })).status).toBe(404);
    expect((await call('/api/join/short', { body: {} })).status).toBe(404);
    const yesterday = 'Y'.repeat(24);
    await t.server.db.execute(
      'INSERT INTO join_secrets (secret, clinic_id, day, created_at) VALUES ($1, $2, $3, $4)',
      [yesterday, 'c1', '2020-01-01', 0],
    );
    const old = await call(`/api/join/${yesterday}`, { body: {} });
    expect(old.status).toBe(410);
    expect(old.json.error.code).toBe('expired');
    expect((await call(`/api/join/${yesterday}`)).status).toBe(410);

    const before = await secretOf(t, 'c1');
    const regen = await call('/api/clinics/c1/join-link/regenerate', {
      method: 'POST',
      bearer: admin,
    });
    expect(regen.status).toBe(200);
    const after = JoinLinkView.parse(regen.json);
    expect(after.secret).not.toBe(before);
    expect((await call(`/api/join/${before}`, { body: {} })).status).toBe(410);
    expect((await call(`/api/join/${after.secret}`, { body: {} })).status).toBe(201);
    expect(await secretOf(t, 'c1')).toBe(after.secret);
    expect(
      (
        await call('/api/clinics/c1/join-link/regenerate', {
          method: 'POST',
          bearer: await t.token('doctor'),
        })
      ).status,
    ).toBe(403);
  });

  it('answers 409 while the queue is closed', async () => {
    const secret = await secretOf(t, 'c1');
    await setOpen(t, 'c1', false);
    try {
      const r = await call(`/api/join/${secret}`, { body: {} });
      expect(r.status).toBe(409);
      expect(r.json.error.code).toBe('queue-closed');
      expect((await call(`/api/join/${secret}`)).json.open).toBe(false);
    } finally {
      await setOpen(t, 'c1', true);
    }
  });

  it('answers 400 for a malformed body or an unknown service, 415 for a non-JSON body, 413 for a huge one', async () => {
    const secret = await secretOf(t, 'c1');
    const path = `/api/join/${secret}`;
    for (const body of [
      { name: 'x'.repeat(201) },
      { phone: 'x'.repeat(41) },
      { service: 'Not An Id' },
      { name: 42 },
      { name: 'A', admin: true },
      [],
    ]) {
      const r = await call(path, { body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.json.error.code).toBe('bad-request');
    }
    const unknownService = await call(path, { body: { service: 'xray' } });
    expect(unknownService.status).toBe(400);
    expect(unknownService.json.error).toEqual({
      code: 'unknown-service',
      message: expect.stringContaining('xray'),
    });
    expect(
      (await call(path, { raw: '{"name":', headers: { 'content-type': 'application/json' } }))
        .status,
    ).toBe(400);
    const text = await call(path, { raw: 'name=Zoe', headers: { 'content-type': 'text/plain' } });
    expect(text.status).toBe(415);
    const form = await call(path, {
      raw: 'name=Zoe',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.status).toBe(415);
    const huge = await call(path, { body: { name: 'x'.repeat(100_000) } });
    expect(huge.status).toBe(413);
  });
});

describe('patient token', () => {
  let t: TestServer;
  let call: ReturnType<typeof caller>;
  beforeAll(async () => {
    t = await startTestServer({ limits: { keepaliveMs: 300 } });
    call = caller(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('reads the clinic’s queue doc, cannot write it, and is refused on the staff doc', async () => {
    const secret = await secretOf(t, 'c1');
    const joined = JoinResponse.parse((await call(`/api/join/${secret}`, { body: {} })).json);
    const patient = t.provider('queue:c1', joined.patientToken);
    await synced(patient);
    await until(
      () => allEntries(patient.doc).some((e) => e.id === joined.entryId),
      10_000,
      'patient sees own entry',
    );
    // A crafted write is dropped; a later staff write proves it was processed.
    const staff = t.provider('queue:c1', await t.token('receptionist'));
    await synced(staff);
    const raw = t.raw('queue:c1', joined.patientToken);
    await raw.opened;
    const crafted = new Y.Doc();
    crafted.getMap('probe').set('evil', 'patient');
    raw.send(updateFrame(Y.encodeStateAsUpdate(crafted)));
    patient.doc.getMap('probe').set('evil2', 'patient');
    staff.doc.getMap('probe').set('after', 1);
    await until(() => patient.doc.getMap('probe').get('after') === 1, 10_000, 'later write');
    const probe = await t.server.relay.read(queueDocName(parseClinicId('c1')), (d) =>
      d.getMap('probe').toJSON(),
    );
    expect(probe).toEqual({ after: 1 });
    expect((await t.raw('staff:c1', joined.patientToken).closed).code).toBe(CloseCode.forbidden);
    expect((await t.raw('queue:c2', joined.patientToken).closed).code).toBe(CloseCode.forbidden);
  });

  it('is refused once expired', async () => {
    const expired = await t.server.tokens.create(
      { kind: 'patient', clinicId: parseClinicId('c1'), role: 'patient', ttlMs: 1 },
      Date.now() - 10,
    );
    expect((await t.raw('queue:c1', expired.token).closed).code).toBe(CloseCode.unauthenticated);
  });

  it('loses an open socket when it expires at the end of the day', async () => {
    const soon = await t.server.tokens.create(
      { kind: 'patient', clinicId: parseClinicId('c1'), role: 'patient', ttlMs: 800 },
      Date.now(),
    );
    const raw = t.raw('queue:c1', soon.token);
    await raw.opened;
    expect((await raw.closed).code).toBe(CloseCode.unauthenticated);
  });
});

describe('join rate limits', () => {
  it('limits one address hammering with 429 and Retry-After, and ignores X-Forwarded-For without a trusted proxy', async () => {
    const t = await startTestServer();
    try {
      const call = caller(t);
      const secret = await secretOf(t, 'c1');
      // Unknown links still count: guessing costs the same as joining.
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < JOIN_IP_LIMIT.capacity + 3; i++) {
        const r = await call(`/api/join/${'A'.repeat(24)}`, {
          body: {},
          // Forged: no proxy is trusted, so every request is 127.0.0.1.
          headers: { 'x-forwarded-for': `198.51.100.${i}` },
        });
        statuses.push(r.status);
        if (r.status === 429) {
          retryAfter = r.res.headers.get('retry-after');
          expect(r.json.error.code).toBe('rate-limited');
        }
      }
      expect(statuses.slice(0, JOIN_IP_LIMIT.capacity).every((s) => s === 404)).toBe(true);
      expect(statuses.slice(JOIN_IP_LIMIT.capacity).every((s) => s === 429)).toBe(true);
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
      expect(Number(retryAfter)).toBeLessThanOrEqual(Math.ceil(1 / JOIN_IP_LIMIT.refillPerSec));
      expect((await call(`/api/join/${secret}`, { body: {} })).status).toBe(429);
    } finally {
      await t.close();
    }
  });

  it('issues 100 concurrent joins from 100 addresses as 100 distinct tickets, live on a staff screen, with sane positions and waits', async () => {
    const t = await startTestServer({ trustProxy: true });
    try {
      const call = caller(t);
      const secret = await secretOf(t, 'c2');
      const staff = t.provider('queue:c2', await t.token('receptionist', 'c2'));
      await synced(staff);
      const responses = await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          call(`/api/join/${secret}`, {
            body: {},
            headers: { 'x-forwarded-for': `10.0.${Math.floor(i / 250)}.${(i % 250) + 1}` },
          }),
        ),
      );
      expect(responses.map((r) => r.status)).toEqual(Array(100).fill(201));
      const joins = responses.map((r) => JoinResponse.parse(r.json));
      expect(new Set(joins.map((j) => j.ticket)).size).toBe(100);
      expect(new Set(joins.map((j) => j.entryId)).size).toBe(100);
      // Issued one after the other: positions 1…100, waits growing with the position.
      const byPosition = [...joins].sort((a, b) => a.position - b.position);
      expect(byPosition.map((j) => j.position)).toEqual(
        Array.from({ length: 100 }, (_, i) => i + 1),
      );
      for (let i = 1; i < byPosition.length; i++) {
        expect(byPosition[i]!.estimatedWaitMinutes).toBeGreaterThanOrEqual(
          byPosition[i - 1]!.estimatedWaitMinutes,
        );
      }
      expect(byPosition[99]!.estimatedWaitMinutes).toBeGreaterThan(0);
      const ids = new Set(joins.map((j) => j.entryId));
      await until(
        () => allEntries(staff.doc).filter((e) => ids.has(e.id)).length === 100,
        15_000,
        'staff sees all 100 tickets',
      );
      const labels = new Set(allEntries(staff.doc).map((e) => e.label));
      expect(labels.size).toBe(100);
    } finally {
      await t.close();
    }
  });

  it('does not limit many addresses behind a trusted proxy until the per-clinic limit', async () => {
    const t = await startTestServer({ trustProxy: true });
    try {
      const call = caller(t);
      const secret = await secretOf(t, 'c1');
      // Closed queue: each request still counts against the clinic, but issues nothing (cheap).
      await setOpen(t, 'c1', false);
      const total = JOIN_CLINIC_LIMIT.capacity + 100;
      const statuses: number[] = [];
      for (let batch = 0; batch < total; batch += 50) {
        const rs = await Promise.all(
          Array.from({ length: Math.min(50, total - batch) }, (_, j) => {
            const i = batch + j;
            return call(`/api/join/${secret}`, {
              body: {},
              headers: { 'x-forwarded-for': `10.1.${Math.floor(i / 250)}.${(i % 250) + 1}` },
            });
          }),
        );
        for (const r of rs) {
          statuses.push(r.status);
          if (r.status === 429)
            expect(Number(r.res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
        }
      }
      const limitedAt = statuses.indexOf(429);
      // Each address sent one request: nobody is limited before the clinic's burst is used up.
      expect(limitedAt).toBeGreaterThanOrEqual(JOIN_CLINIC_LIMIT.capacity);
      expect(statuses.slice(0, JOIN_CLINIC_LIMIT.capacity).every((s) => s === 409)).toBe(true);
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
      // One address, right after: limited by the clinic too, not by its own fresh bucket.
      const next = await call(`/api/join/${secret}`, {
        body: {},
        headers: { 'x-forwarded-for': '10.9.9.9' },
      });
      expect([409, 429]).toContain(next.status);
    } finally {
      await t.close();
    }
  });
});
