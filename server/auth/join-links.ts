/**
 * The QR join link's secret (table `join_secrets`): one current secret per
 * clinic and clinic day, created on first use (by the server or the CLI,
 * whichever asks first: both get the same one), retired early when an admin
 * regenerates it. A secret works only on its own clinic day and while not
 * retired; older ones answer 410 so a patient with a stale QR photo gets a
 * clear message rather than "not found".
 *
 * The printable poster link (table `printable_join_secrets`, `/join/p/<secret>`)
 * is separate: one live secret per clinic, valid until an admin regenerates
 * that one (the daily regeneration leaves it alone), so a poster printed
 * once keeps working past midnight.
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
  /** When the secret was made (ms epoch); also the link's version on the public doc. */
  readonly createdAt: number;
}

export interface PrintableJoinLink {
  readonly secret: string;
  readonly clinicId: ClinicId;
  readonly createdAt: number;
}

export interface JoinSecretRecord {
  readonly secret: string;
  readonly clinicId: ClinicId;
  /** The clinic day it works on; null for a poster's secret. */
  readonly day: Day | null;
  readonly createdAt: number;
  readonly retiredAt: number | null;
  /** A poster's secret: no day, valid until retired. */
  readonly printable?: true;
}

export type JoinSecretState = 'valid' | 'expired' | 'retired';

export interface JoinLinkRepo {
  /** Today's secret for the clinic, created if there is none yet. */
  current(clinic: ClinicDaySettings, now: number): Promise<JoinLink>;
  /** Retires every live secret of the clinic and makes a new one for today. */
  regenerate(clinic: ClinicDaySettings, now: number): Promise<JoinLink>;
  /** The secret's record (any day, retired or not; daily or printable), or null when unknown. */
  lookup(secret: string): Promise<JoinSecretRecord | null>;
  /** The clinic's printable poster secret, created if there is none yet. */
  printable(clinicId: ClinicId, now: number): Promise<PrintableJoinLink>;
  /** Retires the clinic's printable secret and makes a new one (the daily one is untouched). */
  regeneratePrintable(clinicId: ClinicId, now: number): Promise<PrintableJoinLink>;
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

  const live = async (
    q: Queryable,
    clinicId: ClinicId,
    day: Day,
  ): Promise<{ secret: string; createdAt: number } | null> => {
    const rows = await q.query<{ secret: string; created_at: number }>(
      `SELECT secret, created_at FROM join_secrets WHERE clinic_id = $1 AND day = $2 AND retired_at IS NULL
       ORDER BY created_at DESC, secret LIMIT 1`,
      [clinicId, day],
    );
    const row = rows[0];
    return row ? { secret: row.secret, createdAt: Number(row.created_at) } : null;
  };

  const newSecret = () => Buffer.from(random(SECRET_BYTES)).toString('base64url');

  const insert = async (q: Queryable, clinicId: ClinicId, day: Day, now: number) => {
    const secret = newSecret();
    await q.execute(
      'INSERT INTO join_secrets (secret, clinic_id, day, created_at, retired_at) VALUES ($1, $2, $3, $4, NULL)',
      [secret, clinicId, day, now],
    );
    return { secret, createdAt: now };
  };

  const livePrintable = async (q: Queryable, clinicId: ClinicId) => {
    const rows = await q.query<{ secret: string; created_at: number }>(
      `SELECT secret, created_at FROM printable_join_secrets WHERE clinic_id = $1 AND retired_at IS NULL
       ORDER BY created_at DESC, secret LIMIT 1`,
      [clinicId],
    );
    const row = rows[0];
    return row ? { secret: row.secret, clinicId, createdAt: Number(row.created_at) } : null;
  };

  const insertPrintable = async (q: Queryable, clinicId: ClinicId, now: number) => {
    const secret = newSecret();
    await q.execute(
      'INSERT INTO printable_join_secrets (secret, clinic_id, created_at, retired_at) VALUES ($1, $2, $3, NULL)',
      [secret, clinicId, now],
    );
    return { secret, clinicId, createdAt: now };
  };

  /**
   * Serializes creators of a clinic's secrets across processes: SQLite's
   * BEGIN IMMEDIATE already does, and on PostgreSQL this row lock makes a
   * second transaction wait and then see the first one's secret.
   */
  const lockClinic = (q: Queryable, clinicId: ClinicId) =>
    q.execute('UPDATE clinics SET name = name WHERE id = $1', [clinicId]);

  const link = (
    clinic: ClinicDaySettings,
    day: Day,
    made: { secret: string; createdAt: number },
    now: number,
  ): JoinLink => ({
    secret: made.secret,
    clinicId: clinic.id,
    day,
    validUntil: clinicDayEnd(now, clinic),
    createdAt: made.createdAt,
  });

  return {
    async current(clinic, now) {
      const day = clinicDay(now, clinic);
      const existing = await live(db, clinic.id, day);
      if (existing !== null) return link(clinic, day, existing, now);
      const made = await db.transaction(async (tx) => {
        await lockClinic(tx, clinic.id);
        return (await live(tx, clinic.id, day)) ?? (await insert(tx, clinic.id, day, now));
      });
      return link(clinic, day, made, now);
    },

    async regenerate(clinic, now) {
      const day = clinicDay(now, clinic);
      const made = await db.transaction(async (tx) => {
        await lockClinic(tx, clinic.id);
        await tx.execute(
          'UPDATE join_secrets SET retired_at = $2 WHERE clinic_id = $1 AND retired_at IS NULL',
          [clinic.id, now],
        );
        return insert(tx, clinic.id, day, now);
      });
      return link(clinic, day, made, now);
    },

    async printable(clinicId, now) {
      const existing = await livePrintable(db, clinicId);
      if (existing !== null) return existing;
      return db.transaction(async (tx) => {
        await lockClinic(tx, clinicId);
        return (await livePrintable(tx, clinicId)) ?? (await insertPrintable(tx, clinicId, now));
      });
    },

    async regeneratePrintable(clinicId, now) {
      return db.transaction(async (tx) => {
        await lockClinic(tx, clinicId);
        await tx.execute(
          'UPDATE printable_join_secrets SET retired_at = $2 WHERE clinic_id = $1 AND retired_at IS NULL',
          [clinicId, now],
        );
        return insertPrintable(tx, clinicId, now);
      });
    },

    async lookup(secret) {
      if (!isJoinSecretShaped(secret)) return null;
      const rows = await db.query<SecretRow>(
        'SELECT secret, clinic_id, day, created_at, retired_at FROM join_secrets WHERE secret = $1',
        [secret],
      );
      const row = rows[0];
      if (!row) return lookupPrintable(secret);
      return {
        secret: row.secret,
        clinicId: parseClinicId(row.clinic_id),
        day: row.day as Day,
        createdAt: Number(row.created_at),
        retiredAt: row.retired_at === null ? null : Number(row.retired_at),
      };
    },
  };

  async function lookupPrintable(secret: string): Promise<JoinSecretRecord | null> {
    const rows = await db.query<Omit<SecretRow, 'day'>>(
      'SELECT secret, clinic_id, created_at, retired_at FROM printable_join_secrets WHERE secret = $1',
      [secret],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      secret: row.secret,
      clinicId: parseClinicId(row.clinic_id),
      day: null,
      createdAt: Number(row.created_at),
      retiredAt: row.retired_at === null ? null : Number(row.retired_at),
      printable: true,
    };
  }
}

export const isJoinSecretShaped = (value: string): boolean => SECRET_PATTERN.test(value);

/** Whether a secret admits joins now: only on its own clinic day, and only until retired. */
export function joinSecretState(
  record: JoinSecretRecord,
  clinic: ClinicDaySettings,
  now: number,
): JoinSecretState {
  if (record.retiredAt !== null) return 'retired';
  if (record.printable) return 'valid';
  return record.day === clinicDay(now, clinic) ? 'valid' : 'expired';
}

/** `<publicUrl>/join/<secret>`. */
export const joinUrl = (publicUrl: string, secret: string): string =>
  `${publicUrl.replace(/\/+$/, '')}/join/${secret}`;

/** `<publicUrl>/join/p/<secret>`: the poster's link. */
export const printableJoinUrl = (publicUrl: string, secret: string): string =>
  `${publicUrl.replace(/\/+$/, '')}/join/p/${secret}`;

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
