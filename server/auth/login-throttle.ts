/**
 * Login lockout: too many failed logins for one email, or from one client
 * address, within a sliding window lock further attempts (even with the right
 * password) until the window has passed. Failures live in the database, so
 * every instance and every restart sees the same count.
 */
import type { Database } from '../db/types.js';
import { normalizeEmail } from './users.js';

export interface LoginThrottleLimits {
  /** Failures per email within the window before it locks. */
  readonly maxPerEmail: number;
  /** Failures per client address within the window (password spraying over many emails). */
  readonly maxPerIp: number;
  readonly windowMs: number;
}

export const defaultLoginThrottleLimits: LoginThrottleLimits = {
  maxPerEmail: 5,
  maxPerIp: 30,
  windowMs: 15 * 60_000,
};

export interface LoginThrottle {
  /** ms until attempts are allowed again, or 0 when they are allowed now. */
  lockedFor(email: string, ip: string, now: number): Promise<number>;
  recordFailure(email: string, ip: string, now: number): Promise<void>;
  /** A successful login forgets the email's failures (not the address's). */
  recordSuccess(email: string): Promise<void>;
}

export function createLoginThrottle(
  db: Database,
  limits: LoginThrottleLimits = defaultLoginThrottleLimits,
): LoginThrottle {
  /** When the `max`-th most recent failure leaves the window; 0 when fewer failures. */
  async function lockedUntil(column: 'email' | 'ip', value: string, max: number, now: number) {
    const rows = await db.query<{ at: number }>(
      `SELECT at FROM login_failures WHERE ${column} = $1 AND at > $2 ORDER BY at DESC LIMIT 1 OFFSET $3`,
      [value, now - limits.windowMs, max - 1],
    );
    return rows[0] ? Number(rows[0].at) + limits.windowMs : 0;
  }

  return {
    async lockedFor(email, ip, now) {
      const until = Math.max(
        await lockedUntil('email', normalizeEmail(email), limits.maxPerEmail, now),
        await lockedUntil('ip', ip, limits.maxPerIp, now),
      );
      return Math.max(0, until - now);
    },

    async recordFailure(email, ip, now) {
      await db.execute('INSERT INTO login_failures (email, ip, at) VALUES ($1, $2, $3)', [
        normalizeEmail(email).slice(0, 320),
        ip,
        now,
      ]);
      // Old rows are useless; trimming here keeps the table to one window's worth.
      await db.execute('DELETE FROM login_failures WHERE at <= $1', [now - limits.windowMs]);
    },

    async recordSuccess(email) {
      await db.execute('DELETE FROM login_failures WHERE email = $1', [normalizeEmail(email)]);
    },
  };
}
