/**
 * Staff login sessions. The browser holds an opaque random token (the
 * `qm_session` cookie); the database holds only its SHA-256, so a leaked
 * table opens nothing. Each session also has a CSRF secret (synchronizer
 * token) that the app sends back in `x-csrf-token` on every mutation.
 *
 * Session ids are 22 base64url characters, token ids 12: the relay keys open
 * sockets by credential id, and the two kinds can never collide.
 */
import { createHash, randomBytes as nodeRandomBytes } from 'node:crypto';
import type { Database } from '../db/types.js';
import { recordRevocations } from './revocations.js';

export interface SessionRecord {
  readonly id: string;
  readonly userId: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly revokedAt: number | null;
  readonly csrfSecret: string;
}

export interface SessionRepo {
  /** Creates a session; the token is returned only here. */
  create(
    userId: string,
    now: number,
    ttlMs?: number,
  ): Promise<{ token: string; session: SessionRecord }>;
  /** The session if the token is known, not revoked and not expired at `now`; otherwise null. */
  verify(token: string, now: number): Promise<SessionRecord | null>;
  get(id: string): Promise<SessionRecord | null>;
  /** False when unknown or already revoked. */
  revoke(id: string, now: number): Promise<boolean>;
  /**
   * Revokes every live session of a user; returns their ids (to close their
   * sockets). Revocations are written to the revocation log, which every
   * relay instance polls.
   */
  revokeAllForUser(userId: string, now: number): Promise<string[]>;
}

export interface SessionRepoOptions {
  readonly randomBytes?: (size: number) => Uint8Array;
}

export const SESSION_TOKEN_PREFIX = 'qms_';
/** A working week: reception PCs stay logged in across shifts, not forever. */
export const DEFAULT_SESSION_TTL_MS = 7 * 24 * 3_600_000;
const TOKEN_PATTERN = /^qms_[A-Za-z0-9_-]{43}$/;

type SessionRow = {
  id: string;
  user_id: string;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
  csrf_secret: string;
};
const COLUMNS = 'id, user_id, created_at, expires_at, revoked_at, csrf_secret';

export const hashSessionToken = (token: string): string =>
  createHash('sha256').update(token, 'utf8').digest('hex');

export const isSessionTokenShaped = (value: unknown): value is string =>
  typeof value === 'string' && TOKEN_PATTERN.test(value);

export function createSessionRepo(db: Database, options: SessionRepoOptions = {}): SessionRepo {
  const random = options.randomBytes ?? nodeRandomBytes;
  const b64 = (n: number) => Buffer.from(random(n)).toString('base64url');

  return {
    async create(userId, now, ttlMs = DEFAULT_SESSION_TTL_MS) {
      if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0)
        throw new Error(`invalid session ttl ${ttlMs}`);
      const token = SESSION_TOKEN_PREFIX + b64(32);
      const session: SessionRecord = {
        id: b64(16),
        userId,
        createdAt: now,
        expiresAt: now + ttlMs,
        revokedAt: null,
        csrfSecret: b64(32),
      };
      await db.execute(
        `INSERT INTO sessions (id, token_hash, user_id, created_at, expires_at, revoked_at, csrf_secret)
         VALUES ($1, $2, $3, $4, $5, NULL, $6)`,
        [session.id, hashSessionToken(token), userId, now, session.expiresAt, session.csrfSecret],
      );
      return { token, session };
    },

    async verify(token, now) {
      if (!isSessionTokenShaped(token)) return null;
      const rows = await db.query<SessionRow>(
        `SELECT ${COLUMNS} FROM sessions WHERE token_hash = $1`,
        [hashSessionToken(token)],
      );
      const session = rows[0] ? toSession(rows[0]) : null;
      if (!session || session.revokedAt !== null || session.expiresAt <= now) return null;
      return session;
    },

    async get(id) {
      const rows = await db.query<SessionRow>(`SELECT ${COLUMNS} FROM sessions WHERE id = $1`, [
        id,
      ]);
      return rows[0] ? toSession(rows[0]) : null;
    },

    async revoke(id, now) {
      return db.transaction(async (tx) => {
        const changed = await tx.execute(
          'UPDATE sessions SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL',
          [now, id],
        );
        if (changed > 0) await recordRevocations(tx, [id], now);
        return changed > 0;
      });
    },

    async revokeAllForUser(userId, now) {
      return db.transaction(async (tx) => {
        const rows = await tx.query<{ id: string }>(
          'SELECT id FROM sessions WHERE user_id = $1 AND revoked_at IS NULL ORDER BY id',
          [userId],
        );
        if (rows.length === 0) return [];
        await tx.execute(
          'UPDATE sessions SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL',
          [now, userId],
        );
        const ids = rows.map((r) => r.id);
        await recordRevocations(tx, ids, now);
        return ids;
      });
    },
  };
}

const toSession = (row: SessionRow): SessionRecord => ({
  id: row.id,
  userId: row.user_id,
  createdAt: Number(row.created_at),
  expiresAt: Number(row.expires_at),
  revokedAt: row.revoked_at === null ? null : Number(row.revoked_at),
  csrfSecret: row.csrf_secret,
});
