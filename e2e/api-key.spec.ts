/**
 * The integration API end to end: an admin creates an API key over HTTP, an
 * EHR-like client (plain fetch) drives the queue with it, and a receptionist's
 * browser shows every change live; revoking the key stops the client.
 */
import { expect, test } from './fixtures.js';
import { expectSynced, row, staffPage } from './staff-helpers.js';

test('an EHR with an API key adds, calls and finishes a patient, live on reception', async ({
  browser,
  server,
}, testInfo) => {
  const clinic = server.addClinic('ehr');
  const admin = server.addStaff(`admin-${process.pid}@${clinic}.e2e.test`, 'admin', { clinic });

  // The admin signs in and creates a key, as the admin screen does.
  const login = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: admin.email, password: admin.password }),
  });
  expect(login.status).toBe(200);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const created = await fetch(`${server.url}/api/clinics/${clinic}/api-keys`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      cookie,
      'x-csrf-token': csrfToken,
      origin: server.url,
    },
    body: JSON.stringify({ label: 'Dossier patient' }),
  });
  expect(created.status).toBe(201);
  const { key, apiKey } = (await created.json()) as { key: string; apiKey: { id: string } };

  const ehr = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${server.url}/api/clinics/${clinic}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };

  const reception = await staffPage(browser, server, clinic, 'receptionist', 'Rose Accueil');
  await expectSynced(reception.page);
  const state = reception.page.getByTestId('queue-state');

  expect((await ehr('POST', '/queue/close')).json).toEqual({ open: false });
  await expect(state).toHaveText(/fermée|closed/i);
  expect((await ehr('POST', '/queue/open')).json).toEqual({ open: true });
  await expect(state).toHaveText(/ouverte|open/i);

  const added = await ehr('POST', '/queue/entries', { name: 'Patient Intégration' });
  expect(added.status).toBe(201);
  await expect(row(reception.page, 'Patient Intégration')).toHaveCount(1);

  const called = await ehr('POST', '/queue/call-next', { room: '7' });
  expect(called.json).toMatchObject({ entryId: added.json.entryId, room: '7' });
  await expect(reception.page.locator('[data-room="7"]')).toContainText(String(added.json.ticket));
  await reception.page.screenshot({ path: testInfo.outputPath('reception-api-call.png') });

  const done = await ehr('PATCH', `/queue/entries/${String(added.json.entryId)}`, {
    status: 'done',
  });
  expect(done.json).toEqual({ entryId: added.json.entryId, status: 'done' });
  await expect(reception.page.getByTestId('stat-statServed')).toContainText('1');

  const revoked = await fetch(`${server.url}/api/clinics/${clinic}/api-keys/${apiKey.id}`, {
    method: 'DELETE',
    headers: { cookie, 'x-csrf-token': csrfToken, origin: server.url },
  });
  expect(revoked.status).toBe(204);
  expect((await ehr('GET', '/queue')).status).toBe(401);
  await reception.context.close();
});
