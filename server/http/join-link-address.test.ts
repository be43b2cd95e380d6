/**
 * The address in links and QR codes (issue 11): derived from the address the
 * asking browser used when PUBLIC_URL is unset, flagged when only this
 * machine can open it; displays follow a regenerated link through a version
 * number on the public doc; the printable poster link outlives the day.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DisplaySelf, JoinInfo, JoinLinkView } from '../../shared/api.js';
import { parseClinicId, queueDocName } from '../../shared/ids.js';
import { readJoinLinkVersion, serverOrigin, setQueueOpen } from '../../shared/queue/index.js';
import { startTestServer, synced, until, type TestServer } from '../test-support/harness.js';

/** A request with any Host / X-Forwarded-* headers (fetch does not let a client choose Host). */
function request(
  t: TestServer,
  path: string,
  opts: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
): Promise<{ status: number; json: any }> {
  const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${t.httpUrl}${path}`,
      {
        method: opts.method ?? (body ? 'POST' : 'GET'),
        headers: {
          ...(body ? { 'content-type': 'application/json' } : {}),
          ...opts.headers,
        },
      },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : null }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('the address links are built on, without PUBLIC_URL', () => {
  let t: TestServer;
  let admin: string;
  beforeAll(async () => {
    t = await startTestServer();
    admin = await t.token('admin');
  });
  afterAll(() => t.close());

  const joinLink = async (headers: Record<string, string>) => {
    const r = await request(t, '/api/clinics/c1/join-link', {
      headers: { authorization: `Bearer ${admin}`, ...headers },
    });
    expect(r.status).toBe(200);
    return JoinLinkView.parse(r.json);
  };

  it('is the address the admin’s browser used, so phones on the same network can open it', async () => {
    const link = await joinLink({ host: '192.168.1.20:8080' });
    expect(link.url).toBe(`http://192.168.1.20:8080/join/${link.secret}`);
    expect(link.base).toMatchObject({
      url: 'http://192.168.1.20:8080',
      source: 'request',
      loopback: false,
      secure: false,
      lanUrls: [],
    });
    expect(link.printable.url).toMatch(
      /^http:\/\/192\.168\.1\.20:8080\/join\/p\/[A-Za-z0-9_-]{16}$/,
    );
  });

  it('is flagged as loopback when the admin opened localhost, with this machine’s LAN addresses as suggestions', async () => {
    for (const host of [
      `localhost:${t.server.port}`,
      `127.0.0.1:${t.server.port}`,
      `[::1]:${t.server.port}`,
    ]) {
      const link = await joinLink({ host });
      expect(link.base.loopback).toBe(true);
      expect(link.base.url).toBe(`http://${host}`);
      for (const url of link.base.lanUrls) expect(url).toMatch(/^http:\/\/\d+\.\d+\.\d+\.\d+:\d+$/);
    }
  });

  it('ignores X-Forwarded-Host and X-Forwarded-Proto unless the proxy is trusted', async () => {
    const link = await joinLink({
      host: 'clinic.lan:8080',
      'x-forwarded-host': 'evil.example',
      'x-forwarded-proto': 'https',
    });
    expect(link.base.url).toBe('http://clinic.lan:8080');
  });

  it('never echoes a malformed Host into a link', async () => {
    const link = await joinLink({ host: 'evil.example/phish?x=' });
    expect(link.base.source).toBe('default');
    expect(link.base.url).toBe(`http://localhost:${t.server.port}`);
    expect(link.base.loopback).toBe(true);
  });

  it('gives a display the QR link on the address its own browser used', async () => {
    const display = await t.token('display');
    const r = await request(t, '/api/displays/self', {
      headers: { authorization: `Bearer ${display}`, host: 'salle-attente.lan:8080' },
    });
    expect(r.status).toBe(200);
    const self = DisplaySelf.parse(r.json);
    expect(self.joinUrl).toMatch(/^http:\/\/salle-attente\.lan:8080\/join\/[A-Za-z0-9_-]{16}$/);
  });
});

describe('behind a trusted reverse proxy', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ trustProxy: true });
  });
  afterAll(() => t.close());

  it('builds links on the forwarded host and scheme', async () => {
    const r = await request(t, '/api/clinics/c1/join-link', {
      headers: {
        authorization: `Bearer ${await t.token('admin')}`,
        host: '127.0.0.1:9999',
        'x-forwarded-host': 'clinique.example',
        'x-forwarded-proto': 'https',
      },
    });
    const link = JoinLinkView.parse(r.json);
    expect(link.base).toMatchObject({
      url: 'https://clinique.example',
      source: 'forwarded',
      loopback: false,
      secure: true,
    });
  });
});

describe('regenerating the join link', () => {
  let t: TestServer;
  let admin: string;
  beforeAll(async () => {
    t = await startTestServer({ publicUrl: 'https://clinic.example' });
    admin = await t.token('admin');
  });
  afterAll(() => t.close());

  it('publishes a new link version on the public doc (never the secret), and displays get the new link for it', async () => {
    const display = await t.token('display');
    const selfOf = async () =>
      DisplaySelf.parse(
        (
          await request(t, '/api/displays/self', {
            headers: { authorization: `Bearer ${display}` },
          })
        ).json,
      );
    const before = await selfOf();
    // A display's read-only view of the public doc, as the TV has it.
    const doc = new Y.Doc();
    const provider = t.provider('queue:c1', display, doc);
    await synced(provider);
    const versionBefore = readJoinLinkVersion(doc);

    const r = await request(t, '/api/clinics/c1/join-link/regenerate', {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(r.status).toBe(200);
    const link = JoinLinkView.parse(r.json);
    expect(link.url).not.toBe(before.joinUrl);

    await until(() => readJoinLinkVersion(doc) !== versionBefore, 10_000, 'version on the display');
    const version = readJoinLinkVersion(doc)!;
    expect(version).toBeGreaterThan(before.joinLinkVersion);
    const after = await selfOf();
    expect(after.joinUrl).toBe(link.url);
    expect(after.joinLinkVersion).toBe(version);
    // The secret is nowhere in what patients read.
    const stored = JSON.stringify(doc.toJSON());
    expect(stored).not.toContain(link.secret);
    expect(stored).not.toContain(link.printable.url.split('/').pop()!);
    provider.destroy();
  });
});

describe('the printable poster link', () => {
  let t: TestServer;
  let admin: string;
  beforeAll(async () => {
    t = await startTestServer({ publicUrl: 'https://clinic.example' });
    admin = await t.token('admin');
  });
  afterAll(() => t.close());

  const posterSecret = async () => {
    const r = await request(t, '/api/clinics/c1/join-link', {
      headers: { authorization: `Bearer ${admin}` },
    });
    const link = JoinLinkView.parse(r.json);
    expect(link.printable.url).toMatch(/^https:\/\/clinic\.example\/join\/p\//);
    return link.printable.url.split('/').pop()!;
  };
  const setOpen = (open: boolean) =>
    t.server.relay.change(queueDocName(parseClinicId('c1')), (doc) =>
      setQueueOpen(doc, { open }, { now: Date.now(), origin: serverOrigin }),
    );

  it('admits joins like the daily link, and survives the daily link’s regeneration', async () => {
    const secret = await posterSecret();
    const info = await request(t, `/api/join/${secret}`);
    expect(info.status).toBe(200);
    expect(JoinInfo.parse(info.json)).toMatchObject({ clinic: { id: 'c1' }, open: true });
    const joined = await request(t, `/api/join/${secret}`, { body: {} });
    expect(joined.status).toBe(201);

    await request(t, '/api/clinics/c1/join-link/regenerate', {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(await posterSecret()).toBe(secret);
    expect((await request(t, `/api/join/${secret}`, { body: {} })).status).toBe(201);
  });

  it('answers like a join while the queue is closed: the page says closed, a join gets 409', async () => {
    const secret = await posterSecret();
    await setOpen(false);
    try {
      const info = await request(t, `/api/join/${secret}`);
      expect(info.status).toBe(200);
      expect(info.json.open).toBe(false);
      const joined = await request(t, `/api/join/${secret}`, { body: {} });
      expect(joined.status).toBe(409);
      expect(joined.json.error.code).toBe('queue-closed');
    } finally {
      await setOpen(true);
    }
  });

  it('stops working (410) only when regenerated on its own, and the daily link keeps working', async () => {
    const old = await posterSecret();
    const r = await request(t, '/api/clinics/c1/join-link/printable/regenerate', {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(r.status).toBe(200);
    const link = JoinLinkView.parse(r.json);
    expect(link.printable.url).not.toContain(old);
    const gone = await request(t, `/api/join/${old}`);
    expect(gone.status).toBe(410);
    expect(gone.json.error.code).toBe('expired');
    expect((await request(t, `/api/join/${link.secret}`)).status).toBe(200);
    expect(
      (
        await request(t, '/api/clinics/c1/join-link/printable/regenerate', {
          method: 'POST',
          headers: { authorization: `Bearer ${await t.token('receptionist')}` },
        })
      ).status,
    ).toBe(403);
  });
});
