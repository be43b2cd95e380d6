/**
 * Join link repository behaviour, run on SQLite (join-links.test.ts) and
 * PostgreSQL (join-links.pg.test.ts).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseClinicId } from '../../shared/ids.js';
import type { Database } from '../db/types.js';
import { createClinicRepo, type Clinic } from './clinics.js';
import { createJoinLinkRepo, joinSecretState, type JoinLinkRepo } from './join-links.js';

/** 2025-03-10 10:00 in Paris (UTC+1). */
const MORNING = Date.UTC(2025, 2, 10, 9, 0);
const HOUR = 3_600_000;

export function describeJoinLinkRepo(
  name: string,
  openDb: () => Promise<{ db: Database; cleanup: () => Promise<void> }>,
): void {
  describe(`join link repository (${name})`, () => {
    let db: Database;
    let cleanup: () => Promise<void>;
    let repo: JoinLinkRepo;
    let clinic: Clinic;
    let other: Clinic;

    beforeEach(async () => {
      ({ db, cleanup } = await openDb());
      const clinics = createClinicRepo(db);
      clinic = await clinics.add({ id: parseClinicId('north'), name: 'Nord' }, 0);
      other = await clinics.add({ id: parseClinicId('south'), name: 'Sud' }, 0);
      repo = createJoinLinkRepo(db);
    });
    afterEach(async () => {
      await cleanup();
    });

    it('creates one secret per clinic day on first use and returns it again all day', async () => {
      const a = await repo.current(clinic, MORNING);
      expect(a.secret).toMatch(/^[A-Za-z0-9_-]{16}$/);
      expect(a.day).toBe('2025-03-10');
      // Midnight in Paris is 23:00 UTC.
      expect(a.validUntil).toBe(Date.UTC(2025, 2, 10, 23, 0));
      expect((await repo.current(clinic, MORNING + 8 * HOUR)).secret).toBe(a.secret);
      expect((await repo.current(other, MORNING)).secret).not.toBe(a.secret);
    });

    it('agrees on one secret when many callers ask at once for a new day', async () => {
      const secrets = await Promise.all(
        Array.from({ length: 10 }, () => repo.current(clinic, MORNING)),
      );
      expect(new Set(secrets.map((s) => s.secret)).size).toBe(1);
      const rows = await db.query('SELECT secret FROM join_secrets WHERE clinic_id = $1', [
        clinic.id,
      ]);
      expect(rows).toHaveLength(1);
    });

    it('makes a new secret the next day; the old one reads as expired', async () => {
      const today = await repo.current(clinic, MORNING);
      const tomorrow = await repo.current(clinic, MORNING + 24 * HOUR);
      expect(tomorrow.secret).not.toBe(today.secret);
      expect(tomorrow.day).toBe('2025-03-11');
      const old = (await repo.lookup(today.secret))!;
      expect(joinSecretState(old, clinic, MORNING + HOUR)).toBe('valid');
      expect(joinSecretState(old, clinic, MORNING + 24 * HOUR)).toBe('expired');
    });

    it('regenerates: retires the current secret and hands out a new one', async () => {
      const before = await repo.current(clinic, MORNING);
      const after = await repo.regenerate(clinic, MORNING + HOUR);
      expect(after.secret).not.toBe(before.secret);
      expect((await repo.current(clinic, MORNING + 2 * HOUR)).secret).toBe(after.secret);
      const old = (await repo.lookup(before.secret))!;
      expect(old.retiredAt).toBe(MORNING + HOUR);
      expect(joinSecretState(old, clinic, MORNING + HOUR)).toBe('retired');
      expect((await repo.current(other, MORNING)).secret).not.toBe(after.secret);
    });

    it('keeps one printable secret per clinic past midnight, until it is regenerated', async () => {
      const poster = await repo.printable(clinic.id, MORNING);
      expect(poster.secret).toMatch(/^[A-Za-z0-9_-]{16}$/);
      expect((await repo.printable(clinic.id, MORNING + 72 * HOUR)).secret).toBe(poster.secret);
      expect((await repo.printable(other.id, MORNING)).secret).not.toBe(poster.secret);
      const record = (await repo.lookup(poster.secret))!;
      expect(record.printable).toBe(true);
      expect(joinSecretState(record, clinic, MORNING + 72 * HOUR)).toBe('valid');

      // The daily regeneration leaves the poster alone…
      await repo.regenerate(clinic, MORNING + HOUR);
      expect((await repo.printable(clinic.id, MORNING + 2 * HOUR)).secret).toBe(poster.secret);
      // …its own retires it.
      const next = await repo.regeneratePrintable(clinic.id, MORNING + 3 * HOUR);
      expect(next.secret).not.toBe(poster.secret);
      const old = (await repo.lookup(poster.secret))!;
      expect(joinSecretState(old, clinic, MORNING + 3 * HOUR)).toBe('retired');
      expect((await repo.current(clinic, MORNING + 3 * HOUR)).secret).not.toBe(next.secret);
    });

    it('agrees on one printable secret when many callers ask at once', async () => {
      const posters = await Promise.all(
        Array.from({ length: 10 }, () => repo.printable(clinic.id, MORNING)),
      );
      expect(new Set(posters.map((p) => p.secret)).size).toBe(1);
    });

    it('looks up unknown or malformed secrets as null', async () => {
      expect(await repo.lookup('A'.repeat(16))).toBeNull();
      expect(await repo.lookup('no/slashes')).toBeNull();
      expect(await repo.lookup('')).toBeNull();
    });

    it('follows the clinic reset time and time zone', async () => {
      const early = { ...clinic, timezone: 'America/New_York', resetTime: '04:00' };
      // 02:00 in New York on the 10th (EDT, UTC-4) is still the 9th's clinic day.
      const link = await repo.current(early, Date.UTC(2025, 2, 10, 6, 0));
      expect(link.day).toBe('2025-03-09');
      expect(link.validUntil).toBe(Date.UTC(2025, 2, 10, 8, 0));
    });
  });
}
