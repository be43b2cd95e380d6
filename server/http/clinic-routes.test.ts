import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseClinicId } from '../../shared/ids.js';
import { readClinic, readGrants } from '../../shared/queue/index.js';
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
let doctor: LoggedIn;

beforeAll(async () => {
  t = await startTestServer();
  call = apiClient(t.httpUrl);
  await t.staff('admin@c1.example', { c1: 'admin' });
  await t.staff('doc@c1.example', { c1: 'doctor' });
  admin = await t.login('admin@c1.example', 'correct horse battery');
  doctor = await t.login('doc@c1.example', 'correct horse battery');
});
afterAll(async () => {
  await t?.close();
});

describe('clinic settings', () => {
  it('shows the settings to any staff member of the clinic', async () => {
    const r = await call('/api/clinics/c1', { session: doctor });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({
      id: 'c1',
      name: 'Clinic c1',
      timezone: 'Europe/Paris',
      locale: 'fr',
      resetTime: '00:00',
    });
    expect((await call('/api/clinics/c1', { bearer: await t.token('display') })).status).toBe(403);
    expect((await call('/api/clinics/c2', { session: doctor })).status).toBe(403);
  });

  it('lets an admin change them: stored in the database, mirrored into the queue doc, seen live by a display', async () => {
    const display = t.provider('queue:c1', await t.token('display'));
    await synced(display);
    const r = await call('/api/clinics/c1', {
      method: 'PATCH',
      session: admin,
      body: {
        name: 'Cabinet du Parc',
        locale: 'en',
        resetTime: '04:00',
        timezone: 'Europe/Brussels',
      },
    });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({
      id: 'c1',
      name: 'Cabinet du Parc',
      timezone: 'Europe/Brussels',
      locale: 'en',
      resetTime: '04:00',
    });
    expect(await t.server.clinics.get(parseClinicId('c1'))).toMatchObject(r.json);
    // Mirrored before the answer…
    expect(readClinic(await t.storedDoc('queue:c1'))).toMatchObject({
      name: 'Cabinet du Parc',
      timezone: 'Europe/Brussels',
      locale: 'en',
      resetTime: '04:00',
    });
    // …and live on a read-only screen.
    await until(() => readClinic(display.doc)?.name === 'Cabinet du Parc', 10_000, 'live name');
    // A CLI admin token works too.
    const byToken = await call('/api/clinics/c1', {
      method: 'PATCH',
      bearer: await t.token('admin'),
      body: { name: 'Clinic c1' },
    });
    expect(byToken.json.name).toBe('Clinic c1');
  });

  it('refuses bad settings with 400 and changes nothing', async () => {
    for (const body of [
      { locale: 'de' },
      { resetTime: '24:00' },
      { timezone: 'Mars/Olympus' },
      { name: '' },
      { colour: 'blue' },
    ]) {
      const r = await call('/api/clinics/c1', { method: 'PATCH', session: admin, body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.json.error.code).toBe('bad-request');
    }
    expect((await t.server.clinics.get(parseClinicId('c1')))?.timezone).toBe('Europe/Brussels');
  });

  it('keeps non-admins out of changes', async () => {
    const r = await call('/api/clinics/c1', {
      method: 'PATCH',
      session: doctor,
      body: { name: 'X' },
    });
    expect(r.status).toBe(403);
    const key = await t.token('receptionist', 'c1', {});
    expect(
      (await call('/api/clinics/c1', { method: 'PATCH', bearer: key, body: { name: 'X' } })).status,
    ).toBe(403);
  });
});

describe('number blocks', () => {
  it('grants one number by default and at most three, consecutive, written into the queue doc with the device tag', async () => {
    const first = await call('/api/clinics/c1/number-blocks', {
      session: doctor,
      body: { device: 'desk-1', size: 20 },
    });
    expect(first.status).toBe(201);
    expect(first.json.grant).toEqual({
      device: 'desk-1',
      day: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      start: expect.any(Number),
      size: 3,
      grantedAt: expect.any(Number),
    });
    expect(first.json.tag).toMatch(/^[A-Z]{1,2}$/);
    const second = await call('/api/clinics/c1/number-blocks', {
      bearer: await t.token('receptionist'),
      body: { device: 'desk-2' },
    });
    expect(second.status).toBe(201);
    expect(second.json.grant.start).toBe(first.json.grant.start + 3);
    expect(second.json.grant.size).toBe(1);
    expect(second.json.tag).not.toBe(first.json.tag);
    const grants = readGrants(await t.storedDoc('queue:c1'));
    expect(grants.map((g) => g.device)).toEqual(expect.arrayContaining(['desk-1', 'desk-2']));
  });

  it('takes back unused reserve numbers and issues them next', async () => {
    const g = await call('/api/clinics/c1/number-blocks', {
      session: doctor,
      body: { device: 'desk-3', size: 2 },
    });
    const { start, day } = g.json.grant as { start: number; day: string };
    const back = await call('/api/clinics/c1/number-blocks/return', {
      session: doctor,
      body: { device: 'desk-3', day, numbers: [start, start + 1] },
    });
    expect(back.status).toBe(200);
    expect(back.json).toEqual({ day, returned: [start, start + 1] });
    const next = await call('/api/clinics/c1/number-blocks', {
      session: doctor,
      body: { device: 'desk-4', day },
    });
    expect(next.json.grant.start).toBe(start);
    const bad = await call('/api/clinics/c1/number-blocks/return', {
      session: doctor,
      body: { device: 'desk-3', numbers: [] },
    });
    expect(bad.status).toBe(400);
  });

  it("tells a device its tag for the day's offline series, the same every time", async () => {
    const a = await call('/api/clinics/c1/device-tag', {
      session: doctor,
      body: { device: 'tab-9' },
    });
    const b = await call('/api/clinics/c1/device-tag', {
      session: doctor,
      body: { device: 'tab-9' },
    });
    expect(a.status).toBe(200);
    expect(a.json.tag).toMatch(/^[A-HJ-NP-Z]{1,2}$/);
    expect(b.json).toEqual(a.json);
    const display = await call('/api/clinics/c1/device-tag', {
      bearer: await t.token('display'),
      body: { device: 'tab-9' },
    });
    expect(display.status).toBe(403);
  });

  it('validates the request and keeps displays and patients out', async () => {
    for (const body of [
      {},
      { device: 'bad device' },
      { device: 'd', size: 0 },
      { device: 'd', day: '2026-13' },
    ]) {
      const r = await call('/api/clinics/c1/number-blocks', { session: doctor, body });
      expect(r.status, JSON.stringify(body)).toBe(400);
    }
    for (const role of ['display', 'patient'] as const) {
      const r = await call('/api/clinics/c1/number-blocks', {
        bearer: await t.token(role),
        body: { device: 'desk-9' },
      });
      expect(r.status).toBe(403);
    }
  });
});
