import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVER_TIME_HEADER } from '../../shared/api.js';
import { startTestServer, synced, type TestServer } from '../test-support/harness.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.close();
});

describe('operations endpoints', () => {
  it('answers /healthz with the loaded docs and open connections', async () => {
    const p = t.provider('queue:c1', await t.token('display'));
    await synced(p);
    const res = await fetch(`${t.httpUrl}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', docs: 1, connections: 1 });
    p.destroy();
  });

  it('serves Prometheus metrics', async () => {
    const res = await fetch(`${t.httpUrl}/metrics`);
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    const text = await res.text();
    for (const name of [
      'queuemed_connections_open',
      'queuemed_docs_loaded',
      'queuemed_messages_in_total',
      'queuemed_bytes_out_total',
      'queuemed_store_append_seconds',
      'queuemed_errors_total',
    ]) {
      expect(text).toContain(name);
    }
  });

  it('answers unknown API routes with a JSON error of their own code (no-route), distinct from a missing resource', async () => {
    const res = await fetch(`${t.httpUrl}/api/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'no-route', message: expect.any(String) } });
  });
});

describe('the server clock on every answer', () => {
  it('answers GET /api/time with its clock in ms, without a credential and uncached', async () => {
    const before = Date.now();
    const res = await fetch(`${t.httpUrl}/api/time`);
    const after = Date.now();
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const { serverTime } = (await res.json()) as { serverTime: number };
    expect(serverTime).toBeGreaterThanOrEqual(before);
    expect(serverTime).toBeLessThanOrEqual(after);
  });

  it('sends x-server-time in ms on answers of every kind: API, errors, operations', async () => {
    for (const [path, status] of [
      ['/api/time', 200],
      ['/api/auth/me', 401],
      ['/api/nope', 404],
      ['/healthz', 200],
    ] as const) {
      const before = Date.now();
      const res = await fetch(`${t.httpUrl}${path}`);
      const after = Date.now();
      expect(res.status, path).toBe(status);
      const header = Number(res.headers.get(SERVER_TIME_HEADER));
      expect(header, path).toBeGreaterThanOrEqual(before);
      expect(header, path).toBeLessThanOrEqual(after);
      await res.arrayBuffer();
    }
  });

  it('takes the time as the answer leaves, after the handler ran', async () => {
    const { httpUrl, close } = await startTestServer({
      now: (() => {
        let n = 1_000;
        return () => (n += 1_000);
      })(),
    });
    try {
      const res = await fetch(`${httpUrl}/api/time`);
      const { serverTime } = (await res.json()) as { serverTime: number };
      expect(Number(res.headers.get(SERVER_TIME_HEADER))).toBeGreaterThan(serverTime);
    } finally {
      await close();
    }
  });
});
