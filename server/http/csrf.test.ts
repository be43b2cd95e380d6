/**
 * CSRF on the integration, clinic and API-key routes (auth-routes.test.ts
 * covers the mechanism on login, logout and staff management): every
 * cookie-authenticated mutation needs the session's x-csrf-token and, when
 * an Origin is sent, our own; a refused request changes nothing. Bearer
 * requests need no CSRF token: a browser never attaches Authorization on
 * its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseClinicId, parseDocName } from '../../shared/ids.js';
import { readClinic } from '../../shared/queue/index.js';
import { startTestServer, type LoggedIn, type TestServer } from '../test-support/harness.js';
import { apiClient, type ApiCall } from './test-support/api-client.js';

let t: TestServer;
let call: ReturnType<typeof apiClient>;
let admin: LoggedIn;
let other: LoggedIn;

beforeAll(async () => {
  t = await startTestServer();
  call = apiClient(t.httpUrl);
  await t.staff('admin@c1.example', { c1: 'admin' });
  admin = await t.login('admin@c1.example', 'correct horse battery');
  other = await t.login('admin@c1.example', 'correct horse battery');
  // Two sessions of one admin (two browsers): each has its own CSRF secret.
  expect((await call('/api/auth/me', { session: admin })).status).toBe(200);
});
afterAll(async () => {
  await t?.close();
});

const MUTATIONS: readonly (ApiCall & { name: string; path: string; ok: number })[] = [
  { name: 'close the queue', path: '/api/clinics/c1/queue/close', method: 'POST', ok: 200 },
  { name: 'add an entry', path: '/api/clinics/c1/queue/entries', body: {}, ok: 201 },
  { name: 'call next', path: '/api/clinics/c1/queue/call-next', body: { room: '1' }, ok: 200 },
  {
    name: 'change settings',
    path: '/api/clinics/c1',
    method: 'PATCH',
    body: { name: 'CSRF' },
    ok: 200,
  },
  {
    name: 'take a number block',
    path: '/api/clinics/c1/number-blocks',
    body: { device: 'd1' },
    ok: 201,
  },
  { name: 'create an API key', path: '/api/clinics/c1/api-keys', body: { label: 'k' }, ok: 201 },
];

const isOpen = () =>
  t.server.relay.read(parseDocName('queue:c1').name, (d) => readClinic(d)?.open ?? null);

describe('CSRF on the integration, clinic and API-key routes', () => {
  it.each(MUTATIONS)('refuses to $name with the session cookie but no x-csrf-token', async (m) => {
    const { name: _name, path, ok: _ok, ...c } = m;
    const r = await call(path, { ...c, session: admin, csrf: null });
    expect(r.status).toBe(403);
    expect(r.json.error).toEqual({ code: 'csrf', message: expect.stringMatching(/x-csrf-token/) });
  });

  it.each(MUTATIONS)('refuses to $name with another session’s x-csrf-token', async (m) => {
    const { name: _name, path, ok: _ok, ...c } = m;
    const r = await call(path, { ...c, session: admin, csrf: other.csrfToken });
    expect(r.status).toBe(403);
    expect(r.json.error.code).toBe('csrf');
  });

  it.each(MUTATIONS)(
    'refuses to $name from another origin, even with the right token',
    async (m) => {
      const { name: _name, path, ok: _ok, ...c } = m;
      const r = await call(path, {
        ...c,
        session: admin,
        headers: { origin: 'https://evil.example' },
      });
      expect(r.status).toBe(403);
      expect(r.json.error.code).toBe('csrf');
    },
  );

  it('changes nothing when it refuses', async () => {
    expect(await isOpen()).toBe(true);
    await call('/api/clinics/c1/queue/close', { method: 'POST', session: admin, csrf: null });
    await call('/api/clinics/c1/queue/close', {
      method: 'POST',
      session: admin,
      headers: { origin: 'https://evil.example' },
    });
    expect(await isOpen()).toBe(true);
    expect((await t.server.clinics.get(parseClinicId('c1')))?.name).toBe('Clinic c1');
  });

  it('accepts the same mutations with the right token from our own origin', async () => {
    await call('/api/clinics/c1/queue/open', { method: 'POST', session: admin });
    for (const m of MUTATIONS) {
      const { name, path, ok, ...c } = m;
      const r = await call(path, { ...c, session: admin, headers: { origin: t.httpUrl } });
      expect(r.status, name).toBe(ok);
      if (name === 'close the queue') {
        await call('/api/clinics/c1/queue/open', { method: 'POST', session: admin });
      }
    }
  });

  it('needs no CSRF token with a Bearer credential, whatever the Origin (the cookie is then ignored)', async () => {
    const key = (await call('/api/clinics/c1/api-keys', { session: admin, body: { label: 'b' } }))
      .json.key as string;
    const admintoken = await t.token('admin');
    for (const m of MUTATIONS) {
      const { name, path, ok, ...c } = m;
      const bearer = name === 'create an API key' || name === 'change settings' ? admintoken : key;
      const r = await call(path, {
        ...c,
        bearer,
        headers: { origin: 'https://elsewhere.example', cookie: admin.cookie },
      });
      expect(r.status, name).toBe(ok);
      if (name === 'close the queue')
        await call('/api/clinics/c1/queue/open', { method: 'POST', bearer });
    }
  });
});
