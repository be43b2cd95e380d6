/**
 * The integration API over real HTTP, with real y-websocket clients watching:
 * an EHR-like client holding an API key drives the queue, staff screens see
 * every change live, and the store holds each change before the answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocName } from '../../shared/ids.js';
import { getEntry, parseEntryId, readClinic, readPatient } from '../../shared/queue/index.js';
import {
  startTestServer,
  synced,
  until,
  type LoggedIn,
  type TestServer,
} from '../test-support/harness.js';
import { apiClient } from './test-support/api-client.js';

let t: TestServer;
let call: ReturnType<typeof apiClient>;
let admin: LoggedIn;

beforeAll(async () => {
  t = await startTestServer();
  call = apiClient(t.httpUrl);
  await t.staff('admin@c1.example', { c1: 'admin' });
  await t.staff('rita@c1.example', { c1: 'receptionist' });
  admin = await t.login('admin@c1.example', 'correct horse battery');
});
afterAll(async () => {
  await t?.close();
});

async function newApiKey(label: string): Promise<string> {
  const r = await call('/api/clinics/c1/api-keys', { session: admin, body: { label } });
  expect(r.status).toBe(201);
  return r.json.key as string;
}

describe('the API-key path end to end', () => {
  it('drives the queue with an API key, live on staff screens and stored before each answer; revoking the key stops it', async () => {
    // An admin creates the key over HTTP (session + CSRF).
    const created = await call('/api/clinics/c1/api-keys', {
      session: admin,
      body: { label: 'EHR' },
    });
    expect(created.status).toBe(201);
    expect(created.json.apiKey).toEqual({
      id: expect.any(String),
      label: 'EHR',
      createdAt: expect.any(Number),
      revoked: false,
    });
    const key = created.json.key as string;
    const keyId = created.json.apiKey.id as string;
    const ehr = (path: string, c: Parameters<typeof call>[1] = {}) =>
      call(`/api/clinics/c1${path}`, { ...c, bearer: key });

    // Reception is open in a browser: the public and the staff doc, by session cookie.
    const rita = await t.login('rita@c1.example', 'correct horse battery');
    const queue = t.cookieProvider('queue:c1', rita.cookie);
    const staff = t.cookieProvider('staff:c1', rita.cookie);
    await Promise.all([synced(queue), synced(staff)]);

    // close → stored → seen live
    const closed = await ehr('/queue/close', { method: 'POST' });
    expect(closed).toMatchObject({ status: 200, json: { open: false } });
    expect(readClinic(await t.storedDoc('queue:c1'))?.open).toBe(false);
    await until(() => readClinic(queue.doc)?.open === false, 10_000, 'staff sees closed');
    expect(
      (await ehr('/queue/entries', { body: {} })).json.error.code,
      'a closed queue takes no ticket',
    ).toBe('queue-closed');

    const opened = await ehr('/queue/open', { method: 'POST' });
    expect(opened).toMatchObject({ status: 200, json: { open: true } });
    expect(readClinic(await t.storedDoc('queue:c1'))?.open).toBe(true);
    await until(() => readClinic(queue.doc)?.open === true, 10_000, 'staff sees open');

    // add → stored (public and staff doc) → seen live; the name never reaches the public doc
    const added = await ehr('/queue/entries', {
      body: { name: 'Jeanne Durand', phone: '+33 6 12 34 56 78', priority: 'normal' },
    });
    expect(added.status).toBe(201);
    expect(added.json).toEqual({
      entryId: expect.any(String),
      ticket: expect.any(String),
      position: 1,
    });
    const entryId = parseEntryId(added.json.entryId);
    expect(getEntry(await t.storedDoc('queue:c1'), entryId)).toMatchObject({
      label: added.json.ticket,
      status: 'waiting',
      source: 'api',
    });
    expect(readPatient(await t.storedDoc('staff:c1'), entryId)?.name).toBe('Jeanne Durand');
    await until(() => getEntry(queue.doc, entryId) !== null, 10_000, 'staff sees the entry');
    await until(
      () => readPatient(staff.doc, entryId)?.name === 'Jeanne Durand',
      10_000,
      'staff sees the name',
    );
    expect(JSON.stringify(queue.doc.toJSON())).not.toContain('Jeanne');

    const view = await ehr('/queue');
    expect(view.status).toBe(200);
    expect(view.json).toEqual({
      open: true,
      entries: [
        {
          entryId,
          ticket: added.json.ticket,
          status: 'waiting',
          service: expect.any(String),
          position: 1,
        },
      ],
    });

    // call next to a free-form room nobody configured
    const calledNext = await ehr('/queue/call-next', { body: { room: 'Room 3' } });
    expect(calledNext).toMatchObject({
      status: 200,
      json: { entryId, ticket: added.json.ticket, room: 'Room 3' },
    });
    expect(getEntry(await t.storedDoc('queue:c1'), entryId)).toMatchObject({
      status: 'called',
      room: 'Room 3',
    });
    await until(() => getEntry(queue.doc, entryId)?.status === 'called', 10_000, 'live call');
    expect((await ehr('/queue')).json.entries[0]).toMatchObject({
      status: 'called',
      room: 'Room 3',
      position: null,
    });

    // status changes through the domain transitions
    for (const status of ['in-service', 'done'] as const) {
      const patched = await ehr(`/queue/entries/${entryId}`, {
        method: 'PATCH',
        body: { status },
      });
      expect(patched).toMatchObject({ status: 200, json: { entryId, status } });
      expect(getEntry(await t.storedDoc('queue:c1'), entryId)?.status).toBe(status);
      await until(() => getEntry(queue.doc, entryId)?.status === status, 10_000, status);
    }
    const impossible = await ehr(`/queue/entries/${entryId}`, {
      method: 'PATCH',
      body: { status: 'waiting' },
    });
    expect(impossible.status).toBe(409);
    expect(impossible.json.error).toEqual({
      code: 'invalid-transition',
      message: expect.stringMatching(/it is done/),
    });

    // The key is listed, then revoked: the very next call is refused.
    const listed = await call('/api/clinics/c1/api-keys', { session: admin });
    expect(listed.json.apiKeys).toContainEqual({
      id: keyId,
      label: 'EHR',
      createdAt: expect.any(Number),
      revoked: false,
    });
    const revoked = await call(`/api/clinics/c1/api-keys/${keyId}`, {
      method: 'DELETE',
      session: admin,
    });
    expect(revoked.status).toBe(204);
    const after = await ehr('/queue');
    expect(after.status).toBe(401);
    expect(after.json.error.code).toBe('unauthenticated');
    expect(
      (await call('/api/clinics/c1/api-keys', { session: admin })).json.apiKeys.find(
        (k: { id: string }) => k.id === keyId,
      ).revoked,
    ).toBe(true);
  });

  it('closes the relay sockets of a key when it is revoked', async () => {
    const created = await call('/api/clinics/c1/api-keys', {
      session: admin,
      body: { label: 'socket' },
    });
    const p = t.provider('queue:c1', created.json.key);
    await synced(p);
    const closed = new Promise<number>((resolve) =>
      p.on('connection-close', (e: { code: number } | null) => e && resolve(e.code)),
    );
    await call(`/api/clinics/c1/api-keys/${created.json.apiKey.id}`, {
      method: 'DELETE',
      session: admin,
    });
    expect(await closed).toBe(4401);
  });
});

describe('status changes', () => {
  let key: string;
  const ehr = (path: string, c: Parameters<typeof call>[1] = {}) =>
    call(`/api/clinics/c1${path}`, { ...c, bearer: key });
  const patch = (entryId: string, body: object) =>
    ehr(`/queue/entries/${entryId}`, { method: 'PATCH', body });
  const add = async () => (await ehr('/queue/entries', { body: {} })).json.entryId as string;

  beforeAll(async () => {
    key = await newApiKey('transitions');
  });

  it('maps each status to its domain operation, and repeats are harmless', async () => {
    const a = await add();
    expect((await patch(a, { status: 'called', room: '1' })).json).toEqual({
      entryId: a,
      status: 'called',
    });
    // called again = recall (the display announces it again)
    expect((await patch(a, { status: 'called' })).status).toBe(200);
    expect(
      await t.server.relay.read(parseDocName('queue:c1').name, (d) => getEntry(d, parseEntryId(a))),
    ).toMatchObject({ status: 'called', recalls: 1, room: '1' });
    expect((await patch(a, { status: 'waiting' })).json.status).toBe('waiting'); // send back
    expect((await patch(a, { status: 'waiting' })).status).toBe(200); // idempotent
    expect((await patch(a, { status: 'cancelled' })).json.status).toBe('cancelled');
    expect((await patch(a, { status: 'waiting' })).json.status).toBe('waiting'); // reactivate
    expect((await patch(a, { status: 'called', room: '2' })).status).toBe(200);
    expect((await patch(a, { status: 'no-show' })).json.status).toBe('no-show');
  });

  it('answers 409 with the domain message for impossible transitions', async () => {
    const a = await add();
    const r = await patch(a, { status: 'in-service' });
    expect(r.status).toBe(409);
    expect(r.json.error).toEqual({
      code: 'invalid-transition',
      message: expect.stringMatching(/cannot start .* it is waiting/),
    });
    const noRoom = await patch(a, { status: 'called' });
    expect(noRoom.status).toBe(409);
    expect(noRoom.json.error.message).toMatch(/needs a room/);
    await patch(a, { status: 'called', room: '4' });
    const wrongRoom = await patch(a, { status: 'in-service', room: '5' });
    expect(wrongRoom.status).toBe(409);
    expect(wrongRoom.json.error.code).toBe('conflict');
  });

  it('lists waiting entries in call order with positions: urgent first', async () => {
    const normal = (await ehr('/queue/entries', { body: {} })).json;
    const urgent = (await ehr('/queue/entries', { body: { priority: 'urgent' } })).json;
    expect(urgent.position).toBe(1);
    const waiting = (await ehr('/queue')).json.entries.filter(
      (e: { status: string }) => e.status === 'waiting',
    );
    expect(waiting[0]).toMatchObject({ entryId: urgent.entryId, position: 1 });
    expect(waiting.map((e: { position: number }) => e.position)).toEqual(
      waiting.map((_: unknown, i: number) => i + 1),
    );
    expect(waiting.map((e: { entryId: string }) => e.entryId)).toContain(normal.entryId);
  });
});

describe('error statuses on the integration routes', () => {
  let key: string;
  beforeAll(async () => {
    key = await newApiKey('errors');
  });

  it('400 for a body the schema refuses, and for malformed JSON', async () => {
    const bad = await call('/api/clinics/c1/queue/entries', {
      bearer: key,
      body: { priority: 'vip' },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toEqual({
      code: 'bad-request',
      message: expect.stringMatching(/^priority: /),
    });
    const malformed = await call('/api/clinics/c1/queue/call-next', {
      bearer: key,
      raw: '{"room":',
    });
    expect(malformed.status).toBe(400);
    expect(malformed.json.error.code).toBe('bad-request');
    const unknownService = await call('/api/clinics/c1/queue/entries', {
      bearer: key,
      body: { service: 'dentist' },
    });
    expect(unknownService.status).toBe(400);
    expect(unknownService.json.error.code).toBe('unknown-service');
  });

  it('401 without a credential or with an unknown one', async () => {
    for (const bearer of [undefined, 'qm_' + 'x'.repeat(43)]) {
      const r = await call('/api/clinics/c1/queue', bearer ? { bearer } : {});
      expect(r.status).toBe(401);
      expect(r.json.error.code).toBe('unauthenticated');
    }
  });

  it('403 for a display token and for another clinic’s key', async () => {
    const display = await call('/api/clinics/c1/queue', { bearer: await t.token('display') });
    expect(display.status).toBe(403);
    expect(display.json.error.code).toBe('forbidden');
    const otherClinic = await call('/api/clinics/c2/queue/open', { method: 'POST', bearer: key });
    expect(otherClinic.status).toBe(403);
  });

  it('404 for an unknown entry', async () => {
    const r = await call('/api/clinics/c1/queue/entries/zzzzzzzzzzzzzzzz', {
      method: 'PATCH',
      bearer: key,
      body: { status: 'done' },
    });
    expect(r.status).toBe(404);
    expect(r.json.error.code).toBe('not-found');
  });

  it('409 when nobody waits for call-next', async () => {
    // Empty the waiting list first (other tests of this file add entries).
    const entries = (await call('/api/clinics/c1/queue', { bearer: key })).json.entries as {
      entryId: string;
      status: string;
    }[];
    for (const e of entries.filter((x) => x.status === 'waiting')) {
      await call(`/api/clinics/c1/queue/entries/${e.entryId}`, {
        method: 'PATCH',
        bearer: key,
        body: { status: 'cancelled' },
      });
    }
    const r = await call('/api/clinics/c1/queue/call-next', { bearer: key, body: { room: '1' } });
    expect(r.status).toBe(409);
    expect(r.json.error.code).toBe('nobody-waiting');
  });

  it('413 for a body over 64 KB', async () => {
    const r = await call('/api/clinics/c1/queue/entries', {
      bearer: key,
      body: { name: 'x'.repeat(70 * 1024) },
    });
    expect(r.status).toBe(413);
    expect(r.json.error.code).toBe('payload-too-large');
  });

  it('415 for a body that is not JSON', async () => {
    for (const contentType of ['text/plain', 'application/xml']) {
      const r = await call('/api/clinics/c1/queue/call-next', {
        bearer: key,
        raw: 'room=1',
        contentType,
      });
      expect(r.status, contentType).toBe(415);
      expect(r.json.error.code).toBe('unsupported-media-type');
    }
  });

  it('429 with Retry-After once a key spends its burst', async () => {
    const burst = await newApiKey('burst');
    const answers = await Promise.all(
      Array.from({ length: 90 }, () => call('/api/clinics/c1/queue', { bearer: burst })),
    );
    const limited = answers.filter((a) => a.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(answers.filter((a) => a.status === 200).length).toBeGreaterThanOrEqual(60);
    expect(limited[0]!.json.error.code).toBe('rate-limited');
    expect(Number(limited[0]!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Another key has its own budget.
    expect((await call('/api/clinics/c1/queue', { bearer: key })).status).toBe(200);
  });
});
