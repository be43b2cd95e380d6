import { parseClinicId, type ClinicId } from '../../shared/ids.js';
import type { Database } from '../db/types.js';

export interface Clinic {
  readonly id: ClinicId;
  readonly name: string;
  /** IANA time zone, e.g. `Europe/Paris`. */
  readonly timezone: string;
  /** BCP 47 language tag, e.g. `fr`. */
  readonly locale: string;
  /** Local time (`HH:MM`) at which the daily queue resets. */
  readonly resetTime: string;
  /** ms since epoch */
  readonly createdAt: number;
}

export interface NewClinicInput {
  readonly id: ClinicId;
  readonly name: string;
  /** Default `Europe/Paris`. */
  readonly timezone?: string;
  /** Default `fr`. */
  readonly locale?: string;
  /** Default `00:00`. */
  readonly resetTime?: string;
}

export interface ClinicRepo {
  /** Throws DuplicateClinicError when the id is taken, InvalidClinicError on bad fields. */
  add(input: NewClinicInput, now: number): Promise<Clinic>;
  get(id: ClinicId): Promise<Clinic | null>;
  /** Every clinic, ordered by id. */
  list(): Promise<Clinic[]>;
  count(): Promise<number>;
  /**
   * Changes the given settings (validated like `add`); null when the clinic
   * does not exist. Throws InvalidClinicError on bad fields, changing nothing.
   */
  update(id: ClinicId, patch: ClinicUpdate): Promise<Clinic | null>;
}

export type ClinicUpdate = Partial<
  Pick<NewClinicInput, 'name' | 'timezone' | 'locale' | 'resetTime'>
>;

export class DuplicateClinicError extends Error {
  override readonly name = 'DuplicateClinicError';
  constructor(readonly clinicId: ClinicId) {
    super(`clinic ${clinicId} already exists`);
  }
}

export class InvalidClinicError extends Error {
  override readonly name = 'InvalidClinicError';
  constructor(
    readonly field: 'name' | 'timezone' | 'locale' | 'resetTime',
    readonly value: string,
    reason: string,
  ) {
    super(`invalid clinic ${field} ${JSON.stringify(value)}: ${reason}`);
  }
}

export const DEFAULT_TIMEZONE = 'Europe/Paris';
export const DEFAULT_LOCALE = 'fr';
export const DEFAULT_RESET_TIME = '00:00';
const MAX_NAME_LENGTH = 200;
const RESET_TIME_PATTERN = /^([01]\d|2[0-3]):[0-5]\d$/;

// A type alias, not an interface: it must be assignable to Row (an index signature).
type ClinicRow = {
  id: string;
  name: string;
  timezone: string;
  locale: string;
  reset_time: string;
  created_at: number;
};

const COLUMNS = 'id, name, timezone, locale, reset_time, created_at';

export function createClinicRepo(db: Database): ClinicRepo {
  return {
    async add(input, now) {
      const clinic: Clinic = {
        id: parseClinicId(input.id),
        name: checkName(input.name),
        timezone: checkTimezone(input.timezone ?? DEFAULT_TIMEZONE),
        locale: checkLocale(input.locale ?? DEFAULT_LOCALE),
        resetTime: checkResetTime(input.resetTime ?? DEFAULT_RESET_TIME),
        createdAt: now,
      };
      // ON CONFLICT instead of catching the driver's unique violation: the
      // same check on both dialects, and no error-code parsing.
      const inserted = await db.execute(
        `INSERT INTO clinics (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING`,
        [
          clinic.id,
          clinic.name,
          clinic.timezone,
          clinic.locale,
          clinic.resetTime,
          clinic.createdAt,
        ],
      );
      if (inserted === 0) throw new DuplicateClinicError(clinic.id);
      return clinic;
    },

    async get(id) {
      const rows = await db.query<ClinicRow>(`SELECT ${COLUMNS} FROM clinics WHERE id = $1`, [id]);
      return rows[0] ? toClinic(rows[0]) : null;
    },

    async list() {
      const rows = await db.query<ClinicRow>(`SELECT ${COLUMNS} FROM clinics ORDER BY id`);
      return rows.map(toClinic);
    },

    async update(id, patch) {
      // Column names come from this fixed list, never from the caller.
      const sets: [string, string][] = [];
      if (patch.name !== undefined) sets.push(['name', checkName(patch.name)]);
      if (patch.timezone !== undefined) sets.push(['timezone', checkTimezone(patch.timezone)]);
      if (patch.locale !== undefined) sets.push(['locale', checkLocale(patch.locale)]);
      if (patch.resetTime !== undefined) sets.push(['reset_time', checkResetTime(patch.resetTime)]);
      if (sets.length > 0) {
        const assignments = sets.map(([column], i) => `${column} = $${i + 2}`).join(', ');
        await db.execute(`UPDATE clinics SET ${assignments} WHERE id = $1`, [
          id,
          ...sets.map(([, value]) => value),
        ]);
      }
      return this.get(id);
    },

    async count() {
      const rows = await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM clinics');
      return Number(rows[0]?.n ?? 0);
    },
  };
}

const toClinic = (row: ClinicRow): Clinic => ({
  id: parseClinicId(row.id),
  name: row.name,
  timezone: row.timezone,
  locale: row.locale,
  resetTime: row.reset_time,
  createdAt: Number(row.created_at),
});

function checkName(name: string): string {
  const trimmed = typeof name === 'string' ? name.trim() : '';
  if (trimmed.length === 0) throw new InvalidClinicError('name', String(name), 'must not be empty');
  if (trimmed.length > MAX_NAME_LENGTH) {
    throw new InvalidClinicError(
      'name',
      trimmed.slice(0, 40) + '…',
      `longer than ${MAX_NAME_LENGTH} characters`,
    );
  }
  return trimmed;
}

function checkTimezone(timezone: string): string {
  try {
    // Throws RangeError for an unknown zone; resolves aliases to the canonical name.
    return new Intl.DateTimeFormat('en', { timeZone: timezone }).resolvedOptions().timeZone;
  } catch {
    throw new InvalidClinicError('timezone', String(timezone), 'not an IANA time zone');
  }
}

function checkLocale(locale: string): string {
  try {
    const [canonical] = Intl.getCanonicalLocales(locale);
    if (canonical) return canonical;
  } catch {
    // fall through
  }
  throw new InvalidClinicError('locale', String(locale), 'not a BCP 47 language tag');
}

function checkResetTime(resetTime: string): string {
  if (typeof resetTime !== 'string' || !RESET_TIME_PATTERN.test(resetTime)) {
    throw new InvalidClinicError('resetTime', String(resetTime), 'expected HH:MM (00:00–23:59)');
  }
  return resetTime;
}
