import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseClinicId } from '../../shared/ids.js';
import { startTestServer, type LoggedIn, type TestServer } from '../test-support/harness.js';
import { apiClient } from './test-support/api-client.js';

let t: TestServer;
let call: ReturnType<typeof apiClient>;
let doctor: LoggedIn;
let ids: Record<string, string>;

beforeAll(async () => {
  t = await startTestServer();
  call = apiClient(t.httpUrl);
  const admin = await t.staff('admin@c1.example', { c1: 'admin' }, { name: 'Zoé Admin' });
  const rec = await t.staff('rec@c1.example', { c1: 'receptionist' }, { name: 'Bruno Accueil' });
  const doc = await t.staff('doc@c1.example', { c1: 'doctor', c2: 'admin' }, { name: 'Dr Alice' });
  const gone = await t.staff('gone@c1.example', { c1: 'doctor' }, { name: 'Dr Parti' });
  const c2 = await t.staff('rec@c2.example', { c2: 'receptionist' }, { name: 'Autre Clinique' });
  await t.server.users.setDisabled(gone.user.id, true, Date.now());
  ids = { admin: admin.user.id, rec: rec.user.id, doc: doc.user.id, c2: c2.user.id };
  doctor = await t.login('doc@c1.example', 'correct horse battery');
});
afterAll(async () => {
  await t?.close();
});

describe('GET /api/clinics/:clinicId/members', () => {
  it('lists the clinic’s active staff with only id, name and role, ordered by name', async () => {
    const r = await call('/api/clinics/c1/members', { session: doctor });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({
      members: [
        { id: ids.rec, name: 'Bruno Accueil', role: 'receptionist' },
        { id: ids.doc, name: 'Dr Alice', role: 'doctor' },
        { id: ids.admin, name: 'Zoé Admin', role: 'admin' },
      ],
    });
  });

  it('leaves out disabled accounts and staff of other clinics', async () => {
    const r = await call('/api/clinics/c1/members', { session: doctor });
    const names = r.json.members.map((m: { name: string }) => m.name);
    expect(names).not.toContain('Dr Parti');
    expect(names).not.toContain('Autre Clinique');
  });

  it('never answers an email or a login', async () => {
    const r = await call('/api/clinics/c1/members', { session: doctor });
    expect(JSON.stringify(r.json)).not.toMatch(/@|email/);
  });

  it('gives each clinic its own roles: the same person is a doctor in c1, an admin in c2', async () => {
    const r = await call('/api/clinics/c2/members', { session: doctor });
    expect(r.status).toBe(200);
    expect(r.json.members).toEqual([
      { id: ids.c2, name: 'Autre Clinique', role: 'receptionist' },
      { id: ids.doc, name: 'Dr Alice', role: 'admin' },
    ]);
  });

  it.each(['admin', 'receptionist', 'doctor'] as const)(
    'answers a %s staff token from the CLI',
    async (role) => {
      const r = await call('/api/clinics/c1/members', { bearer: await t.token(role) });
      expect(r.status).toBe(200);
      expect(r.json.members).toHaveLength(3);
    },
  );

  it('refuses an API key (an integration, not a colleague): 403', async () => {
    const { token } = await t.server.tokens.create(
      { kind: 'api-key', clinicId: parseClinicId('c1'), role: 'receptionist', label: 'PMS' },
      Date.now(),
    );
    const r = await call('/api/clinics/c1/members', { bearer: token });
    expect(r.status).toBe(403);
    expect(r.json.error.code).toBe('forbidden');
  });

  it.each(['display', 'patient'] as const)('refuses a %s token: 403', async (role) => {
    const r = await call('/api/clinics/c1/members', { bearer: await t.token(role) });
    expect(r.status).toBe(403);
  });

  it('refuses staff of another clinic, by session or by token: 403', async () => {
    const other = await t.login('rec@c2.example', 'correct horse battery');
    expect((await call('/api/clinics/c1/members', { session: other })).status).toBe(403);
    const token = await t.token('admin', 'c2');
    expect((await call('/api/clinics/c1/members', { bearer: token })).status).toBe(403);
  });

  it('asks for a credential (401) and a well-formed clinic id (400)', async () => {
    expect((await call('/api/clinics/c1/members')).status).toBe(401);
    expect((await call('/api/clinics/c1/members', { bearer: 'qm_nope' })).status).toBe(401);
    expect((await call('/api/clinics/NOT..A..CLINIC/members', { session: doctor })).status).toBe(
      400,
    );
  });
});
