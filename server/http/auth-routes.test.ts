import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type LoggedIn, type TestServer } from '../test-support/harness.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
  await t.staff('ana@example.org', { c1: 'admin', c2: 'doctor' }, { name: 'Ana Martin' });
  await t.staff('rita@example.org', { c1: 'receptionist' }, { name: 'Rita' });
  await t.staff('bob@example.org', { c2: 'admin' }, { name: 'Bob' });
});
afterAll(async () => {
  await t?.close();
});

interface Call {
  method?: string;
  body?: unknown;
  session?: LoggedIn;
  csrf?: string | null;
  headers?: Record<string, string>;
}

/** A JSON call; with a session, sends its cookie and (unless csrf: null) its CSRF token. */
async function call(path: string, c: Call = {}) {
  const headers: Record<string, string> = { ...c.headers };
  if (c.body !== undefined) headers['content-type'] = 'application/json';
  if (c.session) headers.cookie = c.session.cookie;
  const csrf = c.csrf === undefined ? c.session?.csrfToken : c.csrf;
  if (csrf) headers['x-csrf-token'] = csrf;
  const res = await fetch(`${t.httpUrl}${path}`, {
    method: c.method ?? (c.body !== undefined ? 'POST' : 'GET'),
    headers,
    ...(c.body !== undefined ? { body: JSON.stringify(c.body) } : {}),
  });
  const text = await res.text();
  // Response bodies are asserted field by field; a loose type keeps the tests readable.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { res, status: res.status, json: text ? (JSON.parse(text) as any) : null };
}

const login = (email: string, password = 'correct horse battery', extra: object = {}) =>
  call('/api/auth/login', { body: { email, password, ...extra } });

describe('login, me and logout', () => {
  it('logs in with email and password, sets an httpOnly SameSite cookie and returns the user, clinics and CSRF token', async () => {
    const { res, status, json } = await login('ANA@example.org');
    expect(status).toBe(200);
    expect(json).toEqual({
      user: { id: expect.any(String), name: 'Ana Martin', email: 'ana@example.org' },
      clinics: [
        { id: 'c1', name: 'Clinic c1', role: 'admin' },
        { id: 'c2', name: 'Clinic c2', role: 'doctor' },
      ],
      csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^qm_session=qms_[A-Za-z0-9_-]{43}; /);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).toContain('Path=/');
    expect(cookie).toMatch(/Max-Age=\d+/);
    // PUBLIC_URL is not https here: a Secure cookie would never come back over http.
    expect(cookie).not.toContain('Secure');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('answers /api/auth/me with the same shape while logged in, and 401 without a session', async () => {
    const s = await t.login('ana@example.org', 'correct horse battery');
    const me = await call('/api/auth/me', { session: s });
    expect(me.status).toBe(200);
    expect(me.json).toEqual(s.body);
    const anonymous = await call('/api/auth/me');
    expect(anonymous.status).toBe(401);
    expect(anonymous.json).toEqual({
      error: { code: 'unauthenticated', message: expect.any(String) },
    });
    const forged = await call('/api/auth/me', {
      headers: { cookie: `qm_session=qms_${'x'.repeat(43)}` },
    });
    expect(forged.status).toBe(401);
  });

  it('answers a wrong password and an unknown email with the same 401', async () => {
    const wrong = await login('rita@example.org', 'not her password');
    const unknown = await login('nobody@example.org', 'not her password');
    for (const r of [wrong, unknown]) {
      expect(r.status).toBe(401);
      expect(r.json).toEqual({
        error: { code: 'invalid-credentials', message: 'wrong email or password' },
      });
      expect(r.res.headers.get('set-cookie')).toBeNull();
    }
  });

  it('answers 400 with a JSON error for a malformed login body', async () => {
    for (const body of [{}, { email: 'a@b.c' }, { email: 42, password: 'x' }]) {
      const r = await call('/api/auth/login', { body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.json.error.code).toBe('bad-request');
    }
  });

  it('refuses a login for a clinic the user is not staff of', async () => {
    expect((await login('rita@example.org', undefined, { clinicId: 'c1' })).status).toBe(200);
    const r = await login('rita@example.org', undefined, { clinicId: 'c2' });
    expect(r.status).toBe(403);
    expect(r.json.error.code).toBe('forbidden');
  });

  it('logs out: the cookie is cleared and the session no longer works', async () => {
    const s = await t.login('rita@example.org', 'correct horse battery');
    const out = await call('/api/auth/logout', { method: 'POST', session: s });
    expect(out.status).toBe(204);
    expect(out.res.headers.get('set-cookie')).toMatch(/^qm_session=; .*Max-Age=0/);
    expect((await call('/api/auth/me', { session: s })).status).toBe(401);
    // Logging out again (no live session) is harmless.
    expect((await call('/api/auth/logout', { method: 'POST', session: s })).status).toBe(204);
  });

  it('revokes the previous session of the browser on a new login', async () => {
    const first = await t.login('rita@example.org', 'correct horse battery');
    const again = await call('/api/auth/login', {
      body: { email: 'rita@example.org', password: 'correct horse battery' },
      session: first,
    });
    expect(again.status).toBe(200);
    expect((await call('/api/auth/me', { session: first })).status).toBe(401);
  });

  it('sets a Secure cookie when PUBLIC_URL is https', async () => {
    const secure = await startTestServer({ publicUrl: 'https://queue.example.org' });
    try {
      await secure.staff('sam@example.org', { c1: 'doctor' });
      const s = await secure.login('sam@example.org', 'correct horse battery');
      expect(s.setCookie).toMatch(/; Secure/);
    } finally {
      await secure.close();
    }
  });
});

describe('CSRF protection of cookie-authenticated mutations', () => {
  let s: LoggedIn;
  beforeAll(async () => {
    s = await t.login('ana@example.org', 'correct horse battery');
  });
  const addStaff = (c: Partial<Call>) =>
    call('/api/clinics/c1/staff', {
      session: s,
      body: {
        email: `x${Math.random()}@example.org`,
        name: 'X',
        role: 'doctor',
        password: 'password1',
      },
      ...c,
    });

  it('refuses a mutation without the x-csrf-token header with 403 csrf', async () => {
    const r = await addStaff({ csrf: null });
    expect(r.status).toBe(403);
    expect(r.json).toEqual({
      error: { code: 'csrf', message: expect.stringMatching(/x-csrf-token/) },
    });
    // Logout is a mutation too: without the token the session survives.
    expect(
      (await call('/api/auth/logout', { method: 'POST', session: s, csrf: null })).status,
    ).toBe(403);
    expect((await call('/api/auth/me', { session: s })).status).toBe(200);
  });

  it('refuses a wrong x-csrf-token', async () => {
    const other = await t.login('ana@example.org', 'correct horse battery');
    const r = await addStaff({ csrf: other.csrfToken });
    expect(r.status).toBe(403);
    expect(r.json.error.code).toBe('csrf');
  });

  it('refuses a cross-origin Origin even with the right token', async () => {
    for (const origin of ['https://evil.example', 'null', `http://127.0.0.1:1`]) {
      const r = await addStaff({ headers: { origin } });
      expect(r.status, origin).toBe(403);
      expect(r.json.error.code).toBe('csrf');
    }
  });

  it('accepts the right token from our own origin', async () => {
    const r = await addStaff({ headers: { origin: t.httpUrl } });
    expect(r.status).toBe(201);
  });

  it('refuses a login posted from another origin', async () => {
    const r = await call('/api/auth/login', {
      body: { email: 'ana@example.org', password: 'correct horse battery' },
      headers: { origin: 'https://evil.example' },
    });
    expect(r.status).toBe(403);
    expect(r.json.error.code).toBe('csrf');
  });
});

describe('login lockout', () => {
  it('locks an email after 5 failures: 429 with Retry-After, even with the right password', async () => {
    await t.staff('lock@example.org', { c1: 'doctor' });
    for (let i = 0; i < 5; i++) {
      expect((await login('lock@example.org', `wrong ${i}`)).status).toBe(401);
    }
    for (const password of ['wrong again', 'correct horse battery']) {
      const r = await login('lock@example.org', password);
      expect(r.status).toBe(429);
      expect(r.json.error.code).toBe('too-many-attempts');
      const retry = Number(r.res.headers.get('retry-after'));
      expect(retry).toBeGreaterThan(14 * 60);
      expect(retry).toBeLessThanOrEqual(15 * 60);
    }
    // Other accounts are not affected.
    expect((await login('rita@example.org')).status).toBe(200);
  });

  it('limits failures per client address, taken from X-Forwarded-For only behind a trusted proxy', async () => {
    const limits = { maxPerEmail: 100, maxPerIp: 3, windowMs: 60_000 };
    const direct = await startTestServer({ loginLimits: limits });
    const proxied = await startTestServer({ loginLimits: limits, trustProxy: true });
    try {
      const attempt = (srv: TestServer, i: number, ip: string) =>
        fetch(`${srv.httpUrl}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
          body: JSON.stringify({ email: `user${i}@example.org`, password: 'wrong password' }),
        }).then((r) => r.status);

      // Direct: a forged X-Forwarded-For does not give a fresh allowance.
      for (let i = 0; i < 3; i++) expect(await attempt(direct, i, `10.0.0.${i}`)).toBe(401);
      expect(await attempt(direct, 9, '10.0.0.99')).toBe(429);

      // Behind the proxy: each client address has its own allowance, and the
      // address is the one the proxy appended, not what the client wrote before it.
      for (let i = 0; i < 3; i++) {
        expect(await attempt(proxied, i, `10.9.9.${i}, 203.0.113.7`)).toBe(401);
      }
      expect(await attempt(proxied, 9, '203.0.113.7')).toBe(429);
      expect(await attempt(proxied, 9, '198.51.100.2')).toBe(401);
    } finally {
      await direct.close();
      await proxied.close();
    }
  });
});

describe('staff management', () => {
  let ana: LoggedIn;
  let bob: LoggedIn;
  let rita: LoggedIn;
  beforeAll(async () => {
    ana = await t.login('ana@example.org', 'correct horse battery');
    bob = await t.login('bob@example.org', 'correct horse battery');
    rita = await t.login('rita@example.org', 'correct horse battery');
  });

  it("takes an admin token from the CLI as well as a session, and refuses other roles' tokens", async () => {
    const get = async (token: string) =>
      fetch(`${t.httpUrl}/api/clinics/c1/staff`, { headers: { authorization: `Bearer ${token}` } });
    const admin = await get(await t.token('admin', 'c1'));
    expect(admin.status).toBe(200);
    expect(((await admin.json()) as { staff: unknown[] }).staff.length).toBeGreaterThan(0);
    expect((await get(await t.token('receptionist', 'c1'))).status).toBe(403);
    expect((await get(await t.token('admin', 'c2'))).status).toBe(403);
  });

  it('lets an admin list, add and update the staff of their clinic', async () => {
    const added = await call('/api/clinics/c1/staff', {
      session: ana,
      body: { email: 'Dan@Example.org', name: 'Dan', role: 'doctor', password: 'password1' },
    });
    expect(added.status).toBe(201);
    expect(added.json).toEqual({
      id: expect.any(String),
      email: 'dan@example.org',
      name: 'Dan',
      role: 'doctor',
      disabled: false,
    });
    const list = await call('/api/clinics/c1/staff', { session: ana });
    expect(list.status).toBe(200);
    expect(list.json.staff).toContainEqual(added.json);
    expect(list.json.staff.map((m: { email: string }) => m.email)).not.toContain('bob@example.org');

    const patched = await call(`/api/clinics/c1/staff/${added.json.id}`, {
      method: 'PATCH',
      session: ana,
      body: { name: 'Dr Dan', role: 'receptionist' },
    });
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({ name: 'Dr Dan', role: 'receptionist', disabled: false });
    // The new account logs in.
    expect((await login('dan@example.org', 'password1')).status).toBe(200);
  });

  it('keeps an admin of clinic A out of clinic B’s staff', async () => {
    const danInC1 = (await call('/api/clinics/c1/staff', { session: ana })).json.staff[0];
    for (const r of [
      await call('/api/clinics/c1/staff', { session: bob }),
      await call('/api/clinics/c1/staff', {
        session: bob,
        body: { email: 'eve@example.org', name: 'Eve', role: 'admin', password: 'password1' },
      }),
      await call(`/api/clinics/c1/staff/${danInC1.id}`, {
        method: 'PATCH',
        session: bob,
        body: { disabled: true },
      }),
      // Ana is only a doctor in c2: no staff management there.
      await call('/api/clinics/c2/staff', { session: ana }),
    ]) {
      expect(r.status).toBe(403);
      expect(r.json.error.code).toBe('forbidden');
    }
    // A member of another clinic is not found through this clinic's URL.
    const bobId = (await call('/api/auth/me', { session: bob })).json.user.id;
    const r = await call(`/api/clinics/c1/staff/${bobId}`, {
      method: 'PATCH',
      session: ana,
      body: { role: 'doctor' },
    });
    expect(r.status).toBe(404);
    expect((await login('eve@example.org', 'password1')).status).toBe(401);
  });

  it('keeps non-admins and anonymous callers out', async () => {
    expect((await call('/api/clinics/c1/staff', { session: rita })).status).toBe(403);
    expect((await call('/api/clinics/c1/staff')).status).toBe(401);
    expect(
      (
        await call('/api/clinics/c1/staff', {
          body: { email: 'z@example.org', name: 'Z', role: 'admin', password: 'password1' },
        })
      ).status,
    ).toBe(401);
  });

  it('answers bad staff input with 400 and a taken email with 409', async () => {
    const bad = [
      { email: 'not-an-email', name: 'X', role: 'doctor', password: 'password1' },
      { email: 'x@example.org', name: 'X', role: 'display', password: 'password1' },
      { email: 'x@example.org', name: 'X', role: 'doctor', password: 'short' },
      { email: 'x@example.org', name: ' ', role: 'doctor', password: 'password1' },
    ];
    for (const body of bad) {
      const r = await call('/api/clinics/c1/staff', { session: ana, body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.json.error.code).toBe('bad-request');
    }
    const taken = await call('/api/clinics/c1/staff', {
      session: ana,
      body: { email: 'BOB@example.org', name: 'B', role: 'doctor', password: 'password1' },
    });
    expect(taken.status).toBe(409);
    expect(taken.json.error.code).toBe('email-taken');
    const empty = await call(`/api/clinics/c1/staff/whoever`, {
      method: 'PATCH',
      session: ana,
      body: {},
    });
    expect(empty.status).toBe(400);
  });

  it('changes only the role of someone who also works in a clinic the admin does not run', async () => {
    const { user } = await t.staff('mia@example.org', { c1: 'doctor', c2: 'doctor' });
    const path = `/api/clinics/c1/staff/${user.id}`;
    const rename = await call(path, { method: 'PATCH', session: ana, body: { name: 'Mia!' } });
    expect(rename.status).toBe(403);
    const disable = await call(path, { method: 'PATCH', session: ana, body: { disabled: true } });
    expect(disable.status).toBe(403);
    const role = await call(path, {
      method: 'PATCH',
      session: ana,
      body: { role: 'receptionist' },
    });
    expect(role.status).toBe(200);
    expect((await t.server.users.get(user.id))!.clinics).toEqual([
      { clinicId: 'c1', role: 'receptionist' },
      { clinicId: 'c2', role: 'doctor' },
    ]);
  });

  it('does not let an admin disable themselves or leave the clinic without an admin', async () => {
    const { user } = await t.staff('solo@example.org', { c2: 'admin' });
    const solo = await t.login('solo@example.org', 'correct horse battery');
    const path = `/api/clinics/c2/staff/${user.id}`;
    const self = await call(path, { method: 'PATCH', session: solo, body: { disabled: true } });
    expect(self.status).toBe(409);
    // Bob is c2's other admin, so Solo may step down once; Bob then may not.
    expect(
      (await call(path, { method: 'PATCH', session: solo, body: { role: 'doctor' } })).status,
    ).toBe(200);
    const bobId = (await call('/api/auth/me', { session: bob })).json.user.id;
    const last = await call(`/api/clinics/c2/staff/${bobId}`, {
      method: 'PATCH',
      session: bob,
      body: { role: 'doctor' },
    });
    expect(last.status).toBe(409);
    expect(last.json.error.code).toBe('last-admin');
  });

  it('disables an account: its sessions stop at once, it cannot log in, and re-enabling restores login', async () => {
    const { user } = await t.staff('gone@example.org', { c1: 'receptionist' });
    const gone = await t.login('gone@example.org', 'correct horse battery');
    const path = `/api/clinics/c1/staff/${user.id}`;
    const r = await call(path, { method: 'PATCH', session: ana, body: { disabled: true } });
    expect(r.status).toBe(200);
    expect(r.json.disabled).toBe(true);
    expect((await call('/api/auth/me', { session: gone })).status).toBe(401);
    const again = await login('gone@example.org');
    expect(again.status).toBe(403);
    expect(again.json.error.code).toBe('account-disabled');
    expect(
      (await call(path, { method: 'PATCH', session: ana, body: { disabled: false } })).status,
    ).toBe(200);
    expect((await login('gone@example.org')).status).toBe(200);
  });
});
