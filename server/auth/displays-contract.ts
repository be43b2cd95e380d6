/**
 * Display pairing repository behaviour, run on SQLite (displays.test.ts) and
 * PostgreSQL (displays.pg.test.ts).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseClinicId } from '../../shared/ids.js';
import type { Database } from '../db/types.js';
import { createClinicRepo } from './clinics.js';
import {
  COLLECT_WINDOW_MS,
  createDisplayPairingRepo,
  normalizeCode,
  PAIRING_RETENTION_MS,
  PAIRING_TTL_MS,
  pendingDisplayId,
  type DisplayPairingRepo,
} from './displays.js';

export function describeDisplayPairingRepo(
  name: string,
  openDb: () => Promise<{ db: Database; cleanup: () => Promise<void> }>,
): void {
  describe(`display pairing repository (${name})`, () => {
    const north = parseClinicId('north');
    let db: Database;
    let cleanup: () => Promise<void>;
    let repo: DisplayPairingRepo;

    beforeEach(async () => {
      ({ db, cleanup } = await openDb());
      await createClinicRepo(db).add({ id: north, name: 'Nord' }, 0);
      repo = createDisplayPairingRepo(db);
    });
    afterEach(async () => {
      await cleanup();
    });

    it('starts a pairing with a secret id, a dashed code and a ten-minute expiry, storing only the id hash', async () => {
      const started = await repo.start(1000);
      expect(started.pairingId).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(started.code).toMatch(/^[A-HJKMNP-Z2-9]{3}-[A-HJKMNP-Z2-9]{3}$/);
      expect(started.expiresAt).toBe(1000 + PAIRING_TTL_MS);
      const rows = await db.query<{ id_hash: string }>('SELECT id_hash FROM display_pairings');
      expect(rows.map((r) => r.id_hash)).not.toContain(started.pairingId);
      expect(rows[0]!.id_hash).toMatch(/^[0-9a-f]{64}$/);
    });

    it('is pending until an admin pairs the code, typed in any case with or without dash', async () => {
      const { pairingId, code } = await repo.start(1000);
      expect(await repo.poll(pairingId, 2000)).toEqual({
        status: 'pending',
        expiresAt: 1000 + PAIRING_TTL_MS,
      });
      const typed = ` ${code.replace('-', '').toLowerCase()} `;
      const paired = await repo.pair(typed, north, 'Hall', 3000);
      expect(paired.status).toBe('paired');
      const polled = await repo.poll(pairingId, 4000);
      expect(polled).toMatchObject({
        status: 'ready',
        pairing: { clinicId: north, displayName: 'Hall', pairedAt: 3000, tokenId: null },
      });
    });

    it('lets exactly one poll claim the token, then answers gone', async () => {
      const { pairingId, code } = await repo.start(1000);
      await repo.pair(code, north, null, 2000);
      const claims = await Promise.all([
        repo.claim(pairingId, 'tok-a', 3000),
        repo.claim(pairingId, 'tok-b', 3000),
      ]);
      expect(claims.filter(Boolean)).toHaveLength(1);
      expect(await repo.poll(pairingId, 3001)).toEqual({ status: 'gone' });
      expect(await repo.listPending(north, 3001)).toEqual([]);
    });

    it('refuses an expired code, a code paired twice and an unknown code with distinct outcomes', async () => {
      const a = await repo.start(1000);
      expect((await repo.pair(a.code, north, null, 1000 + PAIRING_TTL_MS)).status).toBe('expired');
      const b = await repo.start(1000);
      expect((await repo.pair(b.code, north, null, 2000)).status).toBe('paired');
      expect((await repo.pair(b.code, north, null, 2001)).status).toBe('already-paired');
      expect((await repo.pair('ZZZ-ZZZ', north, null, 2000)).status).toBe('unknown');
      expect((await repo.pair('not a code', north, null, 2000)).status).toBe('unknown');
      expect(await repo.poll(a.pairingId, 1000 + PAIRING_TTL_MS)).toEqual({ status: 'gone' });
      expect(await repo.poll('x'.repeat(43), 2000)).toEqual({ status: 'unknown' });
      expect(await repo.poll('garbage', 2000)).toEqual({ status: 'unknown' });
    });

    it('gives a display paired just before expiry time to collect its token', async () => {
      const { pairingId, code } = await repo.start(0);
      await repo.pair(code, north, null, PAIRING_TTL_MS - 1);
      expect(await repo.poll(pairingId, PAIRING_TTL_MS + COLLECT_WINDOW_MS - 2)).toMatchObject({
        status: 'ready',
      });
      expect(await repo.claim(pairingId, 'tok', PAIRING_TTL_MS + COLLECT_WINDOW_MS - 2)).toBe(true);
    });

    it('lists paired displays that have not collected yet, and cancels one by its pending id', async () => {
      const { pairingId, code } = await repo.start(1000);
      await repo.pair(code, north, 'Hall', 2000);
      const [pending] = await repo.listPending(north, 2500);
      expect(pending).toMatchObject({ displayName: 'Hall' });
      const id = pendingDisplayId(pending!);
      expect(id).toMatch(/^pending-[0-9a-f]{16}$/);
      expect(await repo.cancelPending(parseClinicId('south'), id, 3000)).toBe(false);
      expect(await repo.cancelPending(north, id, 3000)).toBe(true);
      expect(await repo.poll(pairingId, 3001)).toEqual({ status: 'gone' });
      expect(await repo.listPending(north, 3001)).toEqual([]);
    });

    it('forgets pairings a day after they expired', async () => {
      const old = await repo.start(0);
      await repo.start(PAIRING_TTL_MS + PAIRING_RETENTION_MS + 1);
      expect(await repo.poll(old.pairingId, PAIRING_TTL_MS + PAIRING_RETENTION_MS + 2)).toEqual({
        status: 'unknown',
      });
    });

    it('normalizes typed codes', () => {
      expect(normalizeCode('k7p-4qx')).toBe('K7P4QX');
      expect(normalizeCode('K7P 4QX')).toBe('K7P4QX');
      expect(normalizeCode('K7P-4Q0')).toBeNull(); // 0 is not in the alphabet
      expect(normalizeCode('K7P-4Q')).toBeNull();
    });
  });
}
