import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { SessionView } from '../../../shared/api.js';
import { createSessionStore, whenSessionUnknown } from './session-store.js';

describe('a cached staff session when the server cannot confirm it', () => {
  it('signs out only when the server says the session is gone', () => {
    expect(whenSessionUnknown(401, true)).toBe('sign-out');
    expect(whenSessionUnknown(403, true)).toBe('sign-out');
  });

  it('keeps working from the cache on a network cut, a rate limit or a server error', () => {
    for (const status of [0, 429, 500, 502, 503]) {
      expect(whenSessionUnknown(status, true)).toBe('keep-cached');
    }
  });

  it('has nothing to keep without a cache', () => {
    expect(whenSessionUnknown(0, false)).toBe('sign-out');
    expect(whenSessionUnknown(503, false)).toBe('sign-out');
  });
});

describe("the staff session's HTTP client and clock", () => {
  const view: SessionView = {
    user: { id: 'u1', name: 'Ana', email: 'ana@example.org' },
    clinics: [{ id: 'c1', name: 'Clinic', role: 'admin' }],
    csrfToken: 'csrf-of-u1',
  };

  it('sends the CSRF token of the session it holds, only while signed in, and sets its clock from the answers', async () => {
    const seen: { url: string; csrf: string | undefined }[] = [];
    const server = http.createServer((req, res) => {
      seen.push({ url: `${req.method} ${req.url}`, csrf: req.headers['x-csrf-token'] as string });
      req.resume();
      req.on('end', () => {
        // The server's clock is an hour ahead of this machine's.
        res.writeHead(200, {
          'content-type': 'application/json',
          'x-server-time': String(Date.now() + 3_600_000),
        });
        res.end(JSON.stringify(req.url === '/api/auth/login' ? view : {}));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const store = createSessionStore({
        baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      });
      const { http: client, clock } = store.getState();
      const regenerate = () =>
        client.request('POST /api/clinics/:clinicId/join-link/regenerate', {
          params: { clinicId: 'c1' },
        });

      await store.getState().login('ana@example.org', 'secret');
      expect(store.getState().status).toBe('signed-in');
      await regenerate();
      await client.request('GET /api/clinics/:clinicId', { params: { clinicId: 'c1' } });
      store.getState().expired();
      await regenerate();

      expect(seen).toEqual([
        { url: 'POST /api/auth/login', csrf: undefined },
        { url: 'POST /api/clinics/c1/join-link/regenerate', csrf: 'csrf-of-u1' },
        { url: 'GET /api/clinics/c1', csrf: undefined },
        { url: 'POST /api/clinics/c1/join-link/regenerate', csrf: undefined },
      ]);
      expect(Math.abs(clock.now() - Date.now() - 3_600_000)).toBeLessThan(1_000);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
