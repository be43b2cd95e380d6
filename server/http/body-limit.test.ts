import net from 'node:net';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JoinLinkView } from '../../shared/api.js';
import { startTestServer, type TestServer } from '../test-support/harness.js';
import { installDrainBeforeEarlyAnswers } from './drain.js';

/**
 * A body far over the route's limit must get a 413 in the API's error shape,
 * every time: not a connection reset because the server stopped reading
 * while the client was still sending (issue 11).
 */
describe('oversized bodies', () => {
  let t: TestServer;
  let secret: string;
  let apiKey: string;
  beforeAll(async () => {
    t = await startTestServer();
    const admin = await t.token('admin');
    const res = await fetch(`${t.httpUrl}/api/clinics/c1/join-link`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    secret = JoinLinkView.parse(await res.json()).secret;
    apiKey = await t.token('receptionist');
  });
  afterAll(() => t.close());

  const TEN_MB = 'x'.repeat(10 * 1024 * 1024);
  const body = `{"name":"${TEN_MB}"}`;

  it('answers 413 JSON to 30 sequential 10 MB POSTs on the join and integration routes', async () => {
    const outcomes: string[] = [];
    for (let i = 0; i < 30; i++) {
      const path = i % 2 === 0 ? `/api/join/${secret}` : '/api/clinics/c1/queue/entries';
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (i % 2 === 1) headers.authorization = `Bearer ${apiKey}`;
      try {
        const res = await fetch(`${t.httpUrl}${path}`, { method: 'POST', headers, body });
        const json = (await res.json()) as { error?: { code?: string } };
        outcomes.push(`${res.status} ${json.error?.code}`);
      } catch (err) {
        outcomes.push(`failed: ${(err as Error & { cause?: Error }).cause?.message ?? err}`);
      }
    }
    expect(outcomes).toEqual(Array(30).fill('413 payload-too-large'));
  }, 120_000);
});

/**
 * A client that sends its whole body before it reads anything (as a slow
 * phone or a busy integration does): the answer must still be there.
 */
function rawPost(
  url: string,
  path: string,
  headers: Record<string, string>,
  bytes: number,
): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname);
    let received = '';
    socket.pause();
    socket.on('data', (d: Buffer) => (received += d.toString('latin1')));
    const done = (how: string) => resolve(received || `nothing (${how})`);
    socket.on('error', (err: NodeJS.ErrnoException) => done(err.code ?? String(err)));
    socket.on('close', () => done('closed'));
    socket.on('connect', () => {
      const head = Object.entries({
        host: `${hostname}:${port}`,
        'content-length': String(bytes),
        ...headers,
      })
        .map(([k, v]) => `${k}: ${v}\r\n`)
        .join('');
      const prefix = '{"name":"';
      socket.write(`POST ${path} HTTP/1.1\r\n${head}\r\n${prefix}`);
      const chunk = Buffer.alloc(64 * 1024, 120);
      let sent = prefix.length;
      const write = () => {
        while (sent < bytes) {
          const n = Math.min(chunk.length, bytes - sent);
          sent += n;
          if (!socket.write(n === chunk.length ? chunk : chunk.subarray(0, n))) {
            socket.once('drain', write);
            return;
          }
        }
        socket.resume(); // only now read the answer
      };
      write();
    });
  });
}

describe('oversized bodies from a client that reads only after sending', () => {
  let t: TestServer;
  let secret: string;
  beforeAll(async () => {
    t = await startTestServer();
    const admin = await t.token('admin');
    const res = await fetch(`${t.httpUrl}/api/clinics/c1/join-link`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    secret = JoinLinkView.parse(await res.json()).secret;
  });
  afterAll(() => t.close());

  it('still receives the 413 JSON answer', async () => {
    for (let i = 0; i < 5; i++) {
      const answer = await rawPost(
        t.httpUrl,
        `/api/join/${secret}`,
        { 'content-type': 'application/json' },
        10 * 1024 * 1024,
      );
      expect(answer).toMatch(/^HTTP\/1\.1 413 /);
      expect(answer).toContain('"code":"payload-too-large"');
    }
  }, 120_000);
});

describe('draining before an early answer is bounded', () => {
  it('answers a client that stalls mid-body once the time bound is up, and one that sends too much once the byte bound is hit', async () => {
    const app = Fastify({ bodyLimit: 1024 });
    installDrainBeforeEarlyAnswers(app, { maxBytes: 256 * 1024, maxMs: 300 });
    app.post('/x', async () => ({ ok: true }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as net.AddressInfo;
    const attempt = (send: number) =>
      new Promise<{ answer: string; ms: number }>((resolve) => {
        const started = Date.now();
        const socket = net.connect(port, '127.0.0.1');
        let answer = '';
        socket.on('data', (d: Buffer) => {
          answer += d.toString('latin1');
          if (answer.includes('\r\n\r\n')) {
            resolve({ answer, ms: Date.now() - started });
            socket.destroy();
          }
        });
        socket.on('error', () => resolve({ answer, ms: Date.now() - started }));
        socket.write(
          `POST /x HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${10 * 1024 * 1024}\r\n\r\n`,
        );
        socket.write(Buffer.alloc(send, 120)); // then nothing more: the client stalls
      });
    try {
      const stalled = await attempt(64 * 1024);
      expect(stalled.answer).toMatch(/^HTTP\/1\.1 413 /);
      expect(stalled.ms).toBeGreaterThanOrEqual(250);
      expect(stalled.ms).toBeLessThan(10_000);
      const flood = await attempt(1024 * 1024);
      expect(flood.answer).toMatch(/^HTTP\/1\.1 413 /);
    } finally {
      await app.close();
    }
  }, 30_000);
});
