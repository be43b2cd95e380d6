import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseClinicId } from '../../shared/ids.js';
import { startTestServer, type LoggedIn, type TestServer } from '../test-support/harness.js';
import { apiClient } from './test-support/api-client.js';

let t: TestServer;
let call: ReturnType<typeof apiClient>;
let admin: LoggedIn;
let adminC2: LoggedIn;
let receptionist: LoggedIn;

beforeAll(async () => {
  t = await startTestServer();
  call = apiClient(t.httpUrl);
  await t.staff('admin@c1.example', { c1: 'admin' });
  await t.staff('admin@c2.example', { c2: 'admin' });
  await t.staff('rec@c1.example', { c1: 'receptionist' });
  admin = await t.login('admin@c1.example', 'correct horse battery');
  adminC2 = await t.login('admin@c2.example', 'correct horse battery');
  receptionist = await t.login('rec@c1.example', 'correct horse battery');
});
afterAll(async () => {
  await t?.close();
});

const create = (session: LoggedIn, clinic: string, label: string) =>
  call(`/api/clinics/${clinic}/api-keys`, { session, body: { label } });

describe('API keys', () => {
  it('shows a new key once and stores only its hash; the list never contains it', async () => {
    const r = await create(admin, 'c1', '  Logiciel médical  ');
    expect(r.status).toBe(201);
    expect(r.json.key).toMatch(/^qm_[A-Za-z0-9_-]{43}$/);
    expect(r.json.apiKey).toMatchObject({ label: 'Logiciel médical', revoked: false });
    const list = await call('/api/clinics/c1/api-keys', { session: admin });
    expect(list.status).toBe(200);
    expect(list.json.apiKeys[0]).toEqual(r.json.apiKey);
    expect(JSON.stringify(list.json)).not.toContain(r.json.key);
    const rows = await t.server.db.query<Record<string, unknown>>(
      'SELECT * FROM tokens WHERE id = $1',
      [r.json.apiKey.id],
    );
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows[0])).not.toContain(r.json.key);
    expect(rows[0]).toMatchObject({ kind: 'api-key', role: 'receptionist', clinic_id: 'c1' });
  });

  it('lists only API keys, not the clinic’s other tokens', async () => {
    await t.token('display');
    const list = await call('/api/clinics/c1/api-keys', { bearer: await t.token('admin') });
    expect(list.status).toBe(200);
    for (const k of list.json.apiKeys) {
      expect((await t.server.tokens.get(k.id))?.kind).toBe('api-key');
    }
  });

  it('refuses a missing, empty or unexpected label with 400', async () => {
    for (const body of [
      {},
      { label: '   ' },
      { label: 'x'.repeat(201) },
      { label: 'a', role: 'admin' },
    ]) {
      const r = await call('/api/clinics/c1/api-keys', { session: admin, body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.json.error.code).toBe('bad-request');
    }
  });

  it('is for admins of the clinic only (a key cannot mint keys)', async () => {
    expect((await create(receptionist, 'c1', 'x')).status).toBe(403);
    expect((await create(adminC2, 'c1', 'x')).status).toBe(403);
    expect((await call('/api/clinics/c1/api-keys', { session: adminC2 })).status).toBe(403);
    const key = (await create(admin, 'c1', 'ehr')).json.key as string;
    const minted = await call('/api/clinics/c1/api-keys', { bearer: key, body: { label: 'y' } });
    expect(minted.status).toBe(403);
    expect((await call('/api/clinics/c1/api-keys', {})).status).toBe(401);
  });

  it('revokes: the key stops at once, a second revoke is harmless, unknown ids are 404', async () => {
    const created = (await create(admin, 'c1', 'short-lived')).json;
    expect((await call('/api/clinics/c1/queue', { bearer: created.key })).status).toBe(200);
    const del = () =>
      call(`/api/clinics/c1/api-keys/${created.apiKey.id}`, { method: 'DELETE', session: admin });
    expect((await del()).status).toBe(204);
    expect((await call('/api/clinics/c1/queue', { bearer: created.key })).status).toBe(401);
    expect((await del()).status).toBe(204);
    const missing = await call('/api/clinics/c1/api-keys/nope', {
      method: 'DELETE',
      session: admin,
    });
    expect(missing.status).toBe(404);
    expect(missing.json.error.code).toBe('not-found');
  });

  it('cannot revoke another clinic’s key, nor a token that is not an API key', async () => {
    const other = (await create(adminC2, 'c2', 'c2 ehr')).json;
    const r = await call(`/api/clinics/c1/api-keys/${other.apiKey.id}`, {
      method: 'DELETE',
      session: admin,
    });
    expect(r.status).toBe(404);
    expect((await call('/api/clinics/c2/queue', { bearer: other.key })).status).toBe(200);

    const { record } = await t.server.tokens.create(
      { clinicId: parseClinicId('c1'), role: 'display', kind: 'display' },
      Date.now(),
    );
    const notAKey = await call(`/api/clinics/c1/api-keys/${record.id}`, {
      method: 'DELETE',
      session: admin,
    });
    expect(notAKey.status).toBe(404);
    expect((await t.server.tokens.get(record.id))?.revokedAt).toBeNull();
  });
});
