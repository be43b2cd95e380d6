import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
