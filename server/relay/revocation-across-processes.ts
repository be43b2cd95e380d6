/**
 * Revocation made through one server closes sockets on another server of
 * the same database within 5 s, whatever the second one's clock says: both
 * poll the revocation log by seq. Run on SQLite (one file, two servers in
 * this process) and on PostgreSQL.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CloseCode } from '../../shared/protocol.js';
import { startTestServer, type TestServer } from '../test-support/harness.js';

export interface SharedDatabase {
  /** Options that put a test server on the shared database. */
  readonly at: { dataDir: string } | { dataDir: string; databaseUrl: string };
  readonly cleanup: () => Promise<void>;
}

const WITHIN_MS = 5_000;

/** Resolves with the close code, or null if the socket is still open after `ms`. */
function closedWithin(
  closed: Promise<{ code: number }>,
  ms: number,
): Promise<{ code: number; afterMs: number } | null> {
  const started = Date.now();
  return Promise.race([
    closed.then(({ code }) => ({ code, afterMs: Date.now() - started })),
    new Promise<null>((resolve) => setTimeout(() => resolve(null), ms)),
  ]);
}

export function describeRevocationAcrossServers(
  name: string,
  openShared: () => Promise<SharedDatabase>,
): void {
  describe(`revocation across two servers (${name})`, () => {
    let shared: SharedDatabase;
    let servers: TestServer[] = [];
    afterEach(async () => {
      for (const s of servers) await s.close();
      servers = [];
      await shared.cleanup();
    });

    async function twoServers(skewMs: number): Promise<[TestServer, TestServer]> {
      shared = await openShared();
      const revoker = await startTestServer({ ...shared.at });
      const skewed = await startTestServer({ ...shared.at, now: () => Date.now() + skewMs });
      servers = [skewed, revoker];
      return [revoker, skewed];
    }

    for (const skewMs of [5_000, -5_000]) {
      const clock = skewMs > 0 ? 'ahead' : 'behind';

      it(`closes a logged-out session's socket on the other server within 5 s when its clock is 5 s ${clock}`, async () => {
        const [revoker, skewed] = await twoServers(skewMs);
        const { password } = await revoker.staff('ana@clinic.test', { c1: 'receptionist' });
        const session = await skewed.login('ana@clinic.test', password);
        const socket = skewed.raw('queue:c1', null, {
          cookie: session.cookie,
          origin: skewed.httpUrl,
        });
        await socket.opened;

        const res = await fetch(`${revoker.httpUrl}/api/auth/logout`, {
          method: 'POST',
          headers: {
            cookie: session.cookie,
            origin: revoker.httpUrl,
            'x-csrf-token': session.csrfToken,
          },
        });
        expect(res.status).toBe(204);
        const closed = await closedWithin(socket.closed, WITHIN_MS);
        expect(closed, 'socket still open 5 s after logout').not.toBeNull();
        expect(closed!.code).toBe(CloseCode.unauthenticated);
      });

      it(`closes a revoked display token's socket on the other server within 5 s when its clock is 5 s ${clock}`, async () => {
        const [revoker, skewed] = await twoServers(skewMs);
        const token = await revoker.token('display');
        const socket = skewed.raw('queue:c1', token);
        await socket.opened;
        expect(await revoker.server.tokens.revoke(token, Date.now())).toBe(true);
        const closed = await closedWithin(socket.closed, WITHIN_MS);
        expect(closed, 'socket still open 5 s after revocation').not.toBeNull();
        expect(closed!.code).toBe(CloseCode.unauthenticated);
      });
    }
  });
}
