/**
 * The QR join link's secret (table `join_secrets`): one current secret per
 * clinic and clinic day, created on first use (by the server or the CLI,
 * whichever asks first: both get the same one), retired early when an admin
 * regenerates it. A secret works only on its own clinic day and while not
 * retired; older ones answer 410 so a patient with a stale QR photo gets a
 * clear message rather than "not found".
 */
import { randomBytes as nodeRandomBytes } from 'node:crypto';
import { parseClinicId, type ClinicId } from '../../shared/ids.js';
import { clinicDay, type Day } from '../../shared/queue/index.js';
import type { Database, Queryable } from '../db/types.js';

/** What a day is computed from (a Clinic has these). */
export interface ClinicDaySettings {
  readonly id: ClinicId;
  readonly timezone: string;
  readonly resetTime: string;
}

export interface JoinLink {
  readonly secret: string;
  readonly clinicId: ClinicId;
  readonly day: Day;
  /** End of the clinic day (ms epoch): the secret stops working then. */
  readonly validUntil: number;
}

export interface JoinSecretRecord {
  readonly secret: string;
  readonly clinicId: ClinicId;
  readonly day: Day;
  readonly createdAt: number;
  readonly retiredAt: number | null;
}

export type JoinSecretState = 'valid' | 'expired' | 'retired';

export interface JoinLinkRepo {
  /** Today's secret for the clinic, created if there is none yet. */
  current(clinic: ClinicDaySettings, now: number): Promise<JoinLink>;
  /** Retires every live secret of the clinic and makes a new one for today. */
  regenerate(clinic: ClinicDaySettings, now: number): Promise<JoinLink>;
  /** The secret's record (any day, retired or not), or null when unknown. */
  lookup(secret: string): Promise<JoinSecretRecord | null>;
}

export interface JoinLinkRepoOptions {
  readonly randomBytes?: (size: number) => Uint8Array;
}

/** 12 random bytes: 16 base64url characters, 96 bits — unguessable behind the join rate limits, and short enough to read under the QR code. */
const SECRET_BYTES = 12;
const SECRET_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;

type SecretRow = {
  secret: string;
  clinic_id: string;
  day: string;
  created_at: number;
  retired_at: number | null;
};

export function createJoinLinkRepo(db: Database, options: JoinLinkRepoOptions = {}): JoinLinkRepo {
  const random = options.randomBytes ?? nodeRandomBytes;

  const live = async (q: Queryable, clinicId: ClinicId, day: Day): Promise<string | null> => {
    const rows = await q.query<{ secret: string }>(
      `SELECT secret FROM join_secrets WHERE clinic_id = $1 AND day = $2 AND retired_at IS NULL
       ORDER BY created_at DESC, secret LIMIT 1`,
      [clinicId, day],
    );
    return rows[0]?.secret ?? null;
  };

  const insert = async (q: Queryable, clinicId: ClinicId, day: Day, now: number) => {
    const secret = Buffer.from(random(SECRET_BYTES)).toString('base64url');
    await q.execute(
      'INSERT INTO join_secrets (secret, clinic_id, day, created_at, retired_at) VALUES ($1, $2, $3, $4, NULL)',
      [secret, clinicId, day, now],
    );
    return secret;
  };

  /**
   * Serializes creators of a clinic's secrets across processes: SQLite's
   * BEGIN IMMEDIATE already does, and on PostgreSQL this row lock makes a
   * second transaction wait and then see the first one's secret.
   */
  const lockClinic = (q: Queryable, clinicId: ClinicId) =>
    q.execute('UPDATE clinics SET name = name WHERE id = $1', [clinicId]);

  const link = (clinic: ClinicDaySettings, day: Day, secret: string, now: number): JoinLink => ({
    secret,
    clinicId: clinic.id,
    day,
    validUntil: clinicDayEnd(now, clinic),
  });

  return {
    async current(clinic, now) {
      const day = clinicDay(now, clinic);
      const existing = await live(db, clinic.id, day);
      if (existing !== null) return link(clinic, day, existing, now);
      const secret = await db.transaction(async (tx) => {
        await lockClinic(tx, clinic.id);
        return (await live(tx, clinic.id, day)) ?? (await insert(tx, clinic.id, day, now));
      });
      return link(clinic, day, secret, now);
    },

    async regenerate(clinic, now) {
      const day = clinicDay(now, clinic);
      const secret = await db.transaction(async (tx) => {
        await lockClinic(tx, clinic.id);
        await tx.execute(
          'UPDATE join_secrets SET retired_at = $2 WHERE clinic_id = $1 AND retired_at IS NULL',
          [clinic.id, now],
        );
        return insert(tx, clinic.id, day, now);
      });
      return link(clinic, day, secret, now);
    },

    async lookup(secret) {
      if (!isJoinSecretShaped(secret)) return null;
      const rows = await db.query<SecretRow>(
        'SELECT secret, clinic_id, day, created_at, retired_at FROM join_secrets WHERE secret = $1',
        [secret],
      );
      const row = rows[0];
      if (!row) return null;
      return {
        secret: row.secret,
        clinicId: parseClinicId(row.clinic_id),
        day: row.day as Day,
        createdAt: Number(row.created_at),
        retiredAt: row.retired_at === null ? null : Number(row.retired_at),
      };
    },
  };
}

export const isJoinSecretShaped = (value: string): boolean => SECRET_PATTERN.test(value);

/** Whether a secret admits joins now: only on its own clinic day, and only until retired. */
export function joinSecretState(
  record: JoinSecretRecord,
  clinic: ClinicDaySettings,
  now: number,
): JoinSecretState {
  if (record.retiredAt !== null) return 'retired';
  return record.day === clinicDay(now, clinic) ? 'valid' : 'expired';
}

/** `<publicUrl>/join/<secret>`. */
export const joinUrl = (publicUrl: string, secret: string): string =>
  `${publicUrl.replace(/\/+$/, '')}/join/${secret}`;

const MINUTE = 60_000;

/**
 * The first instant (ms) after `now` that falls in the next clinic day: the
 * next reset in the clinic's time zone. Found by bisection over whole
 * minutes (days change on a minute boundary in every current zone), so DST
 * days of 23 or 25 hours and a reset inside a skipped hour need no special
 * cases.
 */
export function clinicDayEnd(
  now: number,
  settings: { readonly timezone: string; readonly resetTime: string },
): number {
  const day = clinicDay(now, settings);
  let lo = Math.floor(now / MINUTE); // in `day`
  let hi = lo + 50 * 60; // a clinic day never lasts 50 hours
  if (clinicDay(hi * MINUTE, settings) === day) return hi * MINUTE;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (clinicDay(mid * MINUTE, settings) === day) lo = mid;
    else hi = mid;
  }
  return hi * MINUTE;
}
