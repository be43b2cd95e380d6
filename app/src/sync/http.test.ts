import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createServerClock, type ClockSample, type ServerClock } from './clock.js';
import { createHttpClient, HttpError, routeUrl, type Credentials } from './http.js';

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}
type Handler = (req: Seen, res: http.ServerResponse) => void;

let server: http.Server;
let baseUrl: string;
let handler: Handler;
const seen: Seen[] = [];

const json = (res: http.ServerResponse, status: number, body: unknown, headers = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      const s = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      seen.push(s);
      handler(s, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});
afterEach(() => {
  seen.length = 0;
  vi.restoreAllMocks();
});

const client = (
  credentials: Credentials,
  more: Parameters<typeof createHttpClient>[0] = { credentials },
) => createHttpClient({ ...more, credentials, baseUrl });

async function failure(p: Promise<unknown>): Promise<HttpError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(HttpError);
    return e as HttpError;
  }
  throw new Error('expected the request to fail');
}

describe('routes', () => {
  it('takes the method and the path from the route key, with the params URI-encoded', () => {
    expect(
      routeUrl('PATCH /api/clinics/:clinicId/staff/:userId', { clinicId: 'c1', userId: 'a/b c' }),
    ).toEqual({ method: 'PATCH', path: '/api/clinics/c1/staff/a%2Fb%20c' });
    expect(() => routeUrl('GET /api/join/:secret', {})).toThrow(/secret/);
  });

  it('sends the body as JSON and resolves with the answer', async () => {
    handler = (req, res) => json(res, 201, { echo: JSON.parse(req.body) as unknown });
    const answer = await client({ kind: 'none' }).request('POST /api/join/:secret', {
      params: { secret: 's3cret' },
      body: { name: 'Ana' },
    });
    expect(answer).toEqual({ echo: { name: 'Ana' } });
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/api/join/s3cret' });
    expect(seen[0]!.headers['content-type']).toBe('application/json');
    expect(seen[0]!.headers.accept).toBe('application/json');
  });

  it('resolves a 204 with undefined', async () => {
    handler = (_req, res) => res.writeHead(204).end();
    await expect(
      client({ kind: 'cookie', csrfToken: () => 't' }).request('POST /api/auth/logout'),
    ).resolves.toBeUndefined();
  });

  it('asks the browser not to cache any answer', async () => {
    handler = (_req, res) => json(res, 200, { serverTime: 1 });
    const spy = vi.spyOn(globalThis, 'fetch');
    await client({ kind: 'none' }).request('GET /api/time');
    expect(spy.mock.calls[0]![1]).toMatchObject({ cache: 'no-store' });
  });
});

describe('credentials', () => {
  it('staff: the CSRF token, read at each request, on mutations only; no Authorization', async () => {
    handler = (_req, res) => json(res, 200, {});
    let token: string | null = 'first';
    const c = client({ kind: 'cookie', csrfToken: () => token });
    await c.request('GET /api/auth/me');
    await c.request('POST /api/clinics/:clinicId/join-link/regenerate', {
      params: { clinicId: 'c1' },
    });
    token = 'second';
    await c.request('DELETE /api/clinics/:clinicId/api-keys/:keyId', {
      params: { clinicId: 'c1', keyId: 'k1' },
    });
    token = null;
    await c.request('POST /api/auth/logout');
    expect(seen.map((s) => s.headers['x-csrf-token'])).toEqual([
      undefined,
      'first',
      'second',
      undefined,
    ]);
    expect(seen.every((s) => s.headers.authorization === undefined)).toBe(true);
  });

  it('display and patient: a bearer token from the getter on every request; no CSRF header', async () => {
    handler = (_req, res) => json(res, 200, {});
    let token: string | null = 'device-token';
    const c = client({ kind: 'bearer', token: () => token });
    await c.request('GET /api/displays/self');
    await c.request('POST /api/displays/pairing');
    token = null;
    await c.request('GET /api/displays/self');
    expect(seen.map((s) => s.headers.authorization)).toEqual([
      'Bearer device-token',
      'Bearer device-token',
      undefined,
    ]);
    expect(seen.every((s) => s.headers['x-csrf-token'] === undefined)).toBe(true);
  });

  it('pairing and joining: no credential at all', async () => {
    handler = (_req, res) => json(res, 200, {});
    await client({ kind: 'none' }).request('POST /api/displays/pairing');
    expect(seen[0]!.headers.authorization).toBeUndefined();
    expect(seen[0]!.headers['x-csrf-token']).toBeUndefined();
    expect(seen[0]!.headers.cookie).toBeUndefined();
  });
});

describe('errors', () => {
  it("carries the API's status, code and message", async () => {
    handler = (_req, res) =>
      json(res, 409, { error: { code: 'email-taken', message: 'already there' } });
    const e = await failure(
      client({ kind: 'cookie', csrfToken: () => 't' }).request(
        'POST /api/clinics/:clinicId/staff',
        {
          params: { clinicId: 'c1' },
          body: { email: 'a@b.c', name: 'A', role: 'doctor', password: 'xxxxxxxx' },
        },
      ),
    );
    expect(e).toMatchObject({ status: 409, code: 'email-taken', message: 'already there' });
    expect(e.retryAfter).toBeNull();
  });

  it('says how long to wait from Retry-After, in seconds', async () => {
    handler = (_req, res) =>
      json(
        res,
        429,
        { error: { code: 'rate-limited', message: 'slow down' } },
        { 'retry-after': '42' },
      );
    const e = await failure(
      client({ kind: 'none' }).request('POST /api/join/:secret', {
        params: { secret: 's' },
        body: {},
      }),
    );
    expect(e).toMatchObject({ status: 429, code: 'rate-limited', retryAfter: 42 });
  });

  it("names a proxy's HTML error page by its status, and anything else unexpected-response", async () => {
    handler = (_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
    };
    const gateway = await failure(client({ kind: 'none' }).request('GET /api/time'));
    expect(gateway).toMatchObject({ status: 502, code: 'unavailable', message: 'Bad Gateway' });

    handler = (_req, res) => res.writeHead(418, { 'content-type': 'text/plain' }).end('teapot');
    expect(await failure(client({ kind: 'none' }).request('GET /api/time'))).toMatchObject({
      status: 418,
      code: 'unexpected-response',
    });
  });

  it('maps a code this app does not know (a newer server) from the status, keeping the message', async () => {
    handler = (_req, res) =>
      json(res, 403, { error: { code: 'some-new-code', message: 'shown as is' } });
    expect(await failure(client({ kind: 'none' }).request('GET /api/displays/self'))).toMatchObject(
      { status: 403, code: 'forbidden', message: 'shown as is' },
    );
  });

  it('refuses a success that is not JSON (a stale HTML page where the API should be)', async () => {
    handler = (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>');
    expect(await failure(client({ kind: 'none' }).request('GET /api/time'))).toMatchObject({
      status: 200,
      code: 'unexpected-response',
    });
  });

  it('is status 0, network, when no answer comes', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const c = createHttpClient({
      credentials: { kind: 'none' },
      baseUrl: `http://127.0.0.1:${port}`,
    });
    expect(await failure(c.request('GET /api/time'))).toMatchObject({
      status: 0,
      code: 'network',
      retryAfter: null,
    });
  });
});

describe('the clock', () => {
  it("feeds every answer's x-server-time to the session's clock, errors included", async () => {
    let local = 1_000_000;
    const measured = createServerClock({ local: () => local });
    const samples: ClockSample[] = [];
    const clock: ServerClock = {
      ...measured,
      sample: (s) => {
        samples.push(s);
        measured.sample(s);
      },
    };
    handler = (_req, res) => {
      local += 100; // the round trip takes 100 ms of the local clock
      json(res, 200, { serverTime: 5_000_050 }, { 'x-server-time': '5000050' });
    };
    const c = client(
      { kind: 'none' },
      { credentials: { kind: 'none' }, clock, local: () => local },
    );
    await c.request('GET /api/time');
    expect(samples).toEqual([{ sentAt: 1_000_000, serverTime: 5_000_050, receivedAt: 1_000_100 }]);
    // Midpoint of the round trip: the server read 5 000 050 when the local clock read 1 000 050.
    expect(measured.offset()).toBe(4_000_000);
    expect(measured.now()).toBe(5_000_100);

    handler = (_req, res) =>
      json(
        res,
        404,
        { error: { code: 'not-found', message: 'no' } },
        { 'x-server-time': '6000000' },
      );
    await failure(c.request('GET /api/join/:secret', { params: { secret: 'x' } }));
    expect(samples).toHaveLength(2);

    handler = (_req, res) => json(res, 200, {});
    await c.request('GET /api/time');
    expect(samples).toHaveLength(2);
  });
});
