/**
 * Staff browsers open documents with their session cookie instead of
 * `?token=`: same-origin only, clinic from the document, and the socket
 * closes when the session ends.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { colorFor } from '../../shared/presence.js';
import { CloseCode } from '../../shared/protocol.js';
import {
  startTestServer,
  synced,
  until,
  type LoggedIn,
  type TestServer,
} from '../test-support/harness.js';

let t: TestServer;
let anaId: string;
beforeAll(async () => {
  // The default revocation poll (2 s): "within 5 s" must hold as shipped.
  t = await startTestServer();
  ({
    user: { id: anaId },
  } = await t.staff('ana@example.org', { c1: 'doctor', c2: 'admin' }, { name: 'Ana Martin' }));
  await t.staff('rita@example.org', { c1: 'receptionist' }, { name: 'Rita' });
});
afterAll(async () => {
  await t?.close();
});

const PASSWORD = 'correct horse battery';
const open = (doc: string, s: LoggedIn, origin?: string) =>
  t.raw(doc, null, { cookie: s.cookie, origin: origin ?? t.httpUrl });

describe('WebSocket authentication by session cookie', () => {
  it('syncs with the stock client and stamps the user, with their role in that clinic, into presence', async () => {
    const ana = await t.login('ana@example.org', PASSWORD);
    const doc = new Y.Doc();
    const p = t.cookieProvider('staff:c1', ana.cookie, { doc });
    const observer = t.provider('staff:c1', await t.token('receptionist'));
    await Promise.all([synced(p), synced(observer)]);
    doc.getMap('notes').set('n1', 'hello');
    await until(() => observer.doc.getMap('notes').get('n1') === 'hello', 10_000, 'sync');

    p.awareness.setLocalState({ user: { name: 'Somebody else' }, activity: { screen: 'room' } });
    await until(() => observer.awareness.getStates().has(doc.clientID), 10_000, 'awareness');
    expect(observer.awareness.getStates().get(doc.clientID)).toMatchObject({
      user: { id: anaId, name: 'Ana Martin', role: 'doctor', color: colorFor(anaId) },
    });
    p.destroy();
    observer.destroy();
  });

  it('uses the role of the clinic the document belongs to', async () => {
    const ana = await t.login('ana@example.org', PASSWORD);
    const p = t.cookieProvider('staff:c2', ana.cookie);
    const observer = t.provider('staff:c2', await t.token('admin', 'c2'));
    await Promise.all([synced(p), synced(observer)]);
    p.awareness.setLocalState({ activity: { screen: 'admin' } });
    await until(() => observer.awareness.getStates().has(p.doc.clientID), 10_000, 'awareness');
    expect(observer.awareness.getStates().get(p.doc.clientID)).toMatchObject({
      user: { id: anaId, role: 'admin' },
    });
    p.destroy();
    observer.destroy();
  });

  it('refuses a cross-origin upgrade carrying the session cookie with 4403', async () => {
    const ana = await t.login('ana@example.org', PASSWORD);
    for (const origin of ['https://evil.example', 'null']) {
      const c = open('queue:c1', ana, origin);
      expect((await c.closed).code, origin).toBe(CloseCode.forbidden);
    }
    // The same cookie from our own origin works.
    const ok = open('queue:c1', ana);
    await ok.opened;
    await until(() => ok.received.length > 0, 10_000, 'first frame');
    ok.ws.close();
  });

  it('refuses a document of a clinic the user is not staff of with 4403', async () => {
    const rita = await t.login('rita@example.org', PASSWORD);
    expect((await open('queue:c2', rita).closed).code).toBe(CloseCode.forbidden);
    expect((await open('staff:c2', rita).closed).code).toBe(CloseCode.forbidden);
    expect((await open('board:b1', rita).closed).code).toBe(CloseCode.forbidden);
  });

  it('refuses a missing or forged cookie with 4401', async () => {
    const forged = { cookie: `qm_session=qms_${'A'.repeat(43)}` } as LoggedIn;
    expect((await open('queue:c1', forged).closed).code).toBe(CloseCode.unauthenticated);
    expect((await t.raw('queue:c1', null, { origin: t.httpUrl }).closed).code).toBe(
      CloseCode.unauthenticated,
    );
  });

  it('closes the open socket within 5 s when the user logs out', async () => {
    const rita = await t.login('rita@example.org', PASSWORD);
    const c = open('staff:c1', rita);
    await c.opened;
    await until(() => c.received.length > 0, 10_000, 'first frame');
    const started = Date.now();
    const res = await fetch(`${t.httpUrl}/api/auth/logout`, {
      method: 'POST',
      headers: { cookie: rita.cookie, 'x-csrf-token': rita.csrfToken },
    });
    expect(res.status).toBe(204);
    expect((await c.closed).code).toBe(CloseCode.unauthenticated);
    expect(Date.now() - started).toBeLessThan(5000);
    expect((await open('staff:c1', rita).closed).code).toBe(CloseCode.unauthenticated);
  });

  it('closes the open sockets within 5 s when an admin disables the user', async () => {
    const { user } = await t.staff('temp@example.org', { c2: 'receptionist' });
    const temp = await t.login('temp@example.org', PASSWORD);
    const sockets = [open('queue:c2', temp), open('staff:c2', temp)];
    for (const c of sockets) {
      await c.opened;
      await until(() => c.received.length > 0, 10_000, 'first frame');
    }
    const admin = await t.login('ana@example.org', PASSWORD);
    const started = Date.now();
    const res = await fetch(`${t.httpUrl}/api/clinics/c2/staff/${user.id}`, {
      method: 'PATCH',
      headers: {
        cookie: admin.cookie,
        'x-csrf-token': admin.csrfToken,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ disabled: true }),
    });
    expect(res.status).toBe(200);
    for (const c of sockets) expect((await c.closed).code).toBe(CloseCode.unauthenticated);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('closes the socket of a session revoked elsewhere (another instance, the database) through the revocation poll', async () => {
    const { user } = await t.staff('elsewhere@example.org', { c1: 'doctor' });
    const session = await t.login('elsewhere@example.org', PASSWORD);
    const c = open('queue:c1', session);
    await c.opened;
    await until(() => c.received.length > 0, 10_000, 'first frame');
    const started = Date.now();
    // Straight to the repository: nothing tells this relay but its poll.
    expect(await t.server.sessions.revokeAllForUser(user.id, Date.now())).toHaveLength(1);
    expect((await c.closed).code).toBe(CloseCode.unauthenticated);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
