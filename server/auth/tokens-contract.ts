/**
 * Token repository behaviour, run on SQLite (tokens.test.ts) and PostgreSQL
 * (tokens.pg.test.ts).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseClinicId } from '../../shared/ids.js';
import type { Database } from '../db/types.js';
import { createClinicRepo } from './clinics.js';
import { createRevocationFeed } from './revocations.js';
import {
  createTokenRepo,
  hashToken,
  InvalidTokenInputError,
  UnknownClinicError,
  type TokenRepo,
} from './tokens.js';

export function describeTokenRepo(
  name: string,
  openDb: () => Promise<{ db: Database; cleanup: () => Promise<void> }>,
): void {
  describe(`token repository (${name})`, () => {
    const clinicId = parseClinicId('north');
    let db: Database;
    let cleanup: () => Promise<void>;
    let tokens: TokenRepo;

    beforeEach(async () => {
      ({ db, cleanup } = await openDb());
      await createClinicRepo(db).add({ id: clinicId, name: 'Nord' }, 0);
      tokens = createTokenRepo(db);
    });
    afterEach(async () => {
      await cleanup();
    });

    it('creates a qm_ token whose record id is not the token', async () => {
      const { token, record } = await tokens.create(
        { clinicId, role: 'display', label: ' Hall screen ' },
        1000,
      );
      expect(token).toMatch(/^qm_[A-Za-z0-9_-]{43}$/);
      expect(record).toEqual({
        id: expect.any(String),
        kind: 'cli',
        clinicId: 'north',
        role: 'display',
        label: 'Hall screen',
        createdAt: 1000,
        expiresAt: null,
        revokedAt: null,
      });
      expect(record.id.length).toBeLessThanOrEqual(16);
      expect(token).not.toContain(record.id);
      expect(await tokens.get(record.id)).toEqual(record);
    });

    it("records what a token is for and lists a clinic's tokens of one kind", async () => {
      const display = await tokens.create({ clinicId, role: 'display', kind: 'display' }, 1);
      await tokens.create({ clinicId, role: 'admin' }, 2);
      expect(display.record.kind).toBe('display');
      expect((await tokens.listForClinic(clinicId, 'display')).map((r) => r.id)).toEqual([
        display.record.id,
      ]);
      expect(await tokens.listForClinic(clinicId)).toHaveLength(2);
      await expect(
        tokens.create({ clinicId, role: 'admin', kind: 'bogus' as 'cli' }, 3),
      ).rejects.toThrow(/kind/);
    });

    it('stores only the SHA-256 of the token', async () => {
      const { token } = await tokens.create({ clinicId, role: 'admin' }, 1);
      const rows = await db.query<{ hash: string }>('SELECT * FROM tokens');
      expect(rows).toHaveLength(1);
      expect(rows[0]!.hash).toBe(hashToken(token));
      expect(rows[0]!.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(rows)).not.toContain(token.slice(3));
    });

    it('verifies a valid token and returns its record', async () => {
      const { token, record } = await tokens.create({ clinicId, role: 'receptionist' }, 1);
      expect(await tokens.verify(token, 2)).toEqual(record);
    });

    it('returns null for unknown or malformed tokens', async () => {
      const { token } = await tokens.create({ clinicId, role: 'receptionist' }, 1);
      const other = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
      expect(await tokens.verify(other, 2)).toBeNull();
      expect(await tokens.verify('', 2)).toBeNull();
      expect(await tokens.verify('qm_short', 2)).toBeNull();
      expect(await tokens.verify("qm_' OR 1=1 --", 2)).toBeNull();
    });

    it('expires a token at createdAt + ttlMs', async () => {
      const { token, record } = await tokens.create(
        { clinicId, role: 'patient', ttlMs: 60_000 },
        1_000,
      );
      expect(record.expiresAt).toBe(61_000);
      expect(await tokens.verify(token, 60_999)).not.toBeNull();
      expect(await tokens.verify(token, 61_000)).toBeNull();
    });

    it('revokes a token once: verify then returns null', async () => {
      const { token, record } = await tokens.create({ clinicId, role: 'display' }, 1);
      expect(await tokens.revoke(token, 500)).toBe(true);
      expect(await tokens.revoke(token, 600)).toBe(false);
      expect(await tokens.verify(token, 700)).toBeNull();
      expect((await tokens.get(record.id))?.revokedAt).toBe(500);
    });

    it('returns false when revoking an unknown or malformed token', async () => {
      expect(await tokens.revoke('qm_' + 'A'.repeat(43), 1)).toBe(false);
      expect(await tokens.revoke('nope', 1)).toBe(false);
    });

    it('revokes by record id', async () => {
      const { token, record } = await tokens.create({ clinicId, role: 'display' }, 1);
      expect(await tokens.revokeById(record.id, 5)).toBe(true);
      expect(await tokens.revokeById(record.id, 6)).toBe(false);
      expect(await tokens.revokeById('unknown', 6)).toBe(false);
      expect(await tokens.verify(token, 7)).toBeNull();
    });

    it('logs each revocation once, in order, for the relay to close their sockets', async () => {
      const feed = createRevocationFeed(db);
      const start = await feed.head();
      const made = await Promise.all(
        [1, 2, 3].map(() => tokens.create({ clinicId, role: 'display' }, 1)),
      );
      await tokens.create({ clinicId, role: 'display' }, 1); // never revoked
      // Timestamps out of order: the log follows commit order, not clocks.
      await tokens.revoke(made[0]!.token, 3_000);
      await tokens.revokeById(made[1]!.record.id, 1_000);
      await tokens.revoke(made[2]!.token, 2_000);
      await tokens.revoke(made[2]!.token, 4_000); // already revoked: not logged again
      const all = await feed.since(start);
      expect(all.ids).toEqual(made.map((m) => m.record.id));
      expect(all.seq).toBe(start + 3);
      expect(await feed.head()).toBe(start + 3);
      expect(await feed.since(start + 1)).toEqual({
        ids: [made[1]!.record.id, made[2]!.record.id],
        seq: start + 3,
      });
      expect(await feed.since(start + 3)).toEqual({ ids: [], seq: start + 3 });
    });

    it('sees revocations made through another repository on the same database', async () => {
      const feed = createRevocationFeed(db);
      const start = await feed.head();
      const { token, record } = await tokens.create({ clinicId, role: 'display' }, 1);
      const other = createTokenRepo(db);
      await other.revoke(token, 10);
      expect((await feed.since(start)).ids).toEqual([record.id]);
    });

    it("lists a clinic's tokens newest first", async () => {
      const older = await tokens.create({ clinicId, role: 'display' }, 1);
      const newer = await tokens.create({ clinicId, role: 'doctor' }, 2);
      expect((await tokens.listForClinic(clinicId)).map((r) => r.id)).toEqual([
        newer.record.id,
        older.record.id,
      ]);
      expect(await tokens.listForClinic(parseClinicId('elsewhere'))).toEqual([]);
    });

    it('refuses a token for a clinic that does not exist', async () => {
      const err = await tokens
        .create({ clinicId: parseClinicId('ghost'), role: 'admin' }, 1)
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UnknownClinicError);
      expect((err as Error).message).toBe('no clinic ghost');
    });

    it('rejects an unknown role, a non-positive ttl and an overlong label', async () => {
      await expect(tokens.create({ clinicId, role: 'root' as 'admin' }, 1)).rejects.toBeInstanceOf(
        InvalidTokenInputError,
      );
      await expect(tokens.create({ clinicId, role: 'admin', ttlMs: 0 }, 1)).rejects.toThrow(
        /ttlMs/,
      );
      await expect(tokens.create({ clinicId, role: 'admin', ttlMs: 1.5 }, 1)).rejects.toThrow(
        /ttlMs/,
      );
      await expect(
        tokens.create({ clinicId, role: 'admin', label: 'x'.repeat(201) }, 1),
      ).rejects.toThrow(/label/);
    });

    it('uses the injected randomness', async () => {
      const fixed = createTokenRepo(db, { randomBytes: (n) => new Uint8Array(n).fill(7) });
      const { token, record } = await fixed.create({ clinicId, role: 'admin' }, 1);
      expect(token).toBe('qm_' + Buffer.alloc(32, 7).toString('base64url'));
      expect(record.id).toBe(Buffer.alloc(9, 7).toString('base64url'));
    });
  });
}
