/**
 * Staff accounts: one user (email, name, scrypt password hash) belongs to
 * one or more clinics with a role in each. Emails are stored trimmed and
 * lowercased, so lookups and the UNIQUE constraint ignore case.
 */
import { randomBytes } from 'node:crypto';
import { MAX_PASSWORD_LENGTH } from '../../shared/api.js';
import { parseClinicId, type ClinicId } from '../../shared/ids.js';
import { STAFF_ROLES } from '../../shared/presence.js';
import type { Database, Queryable } from '../db/types.js';
import {
  DEFAULT_SCRYPT_PARAMS,
  hashPassword,
  needsRehash,
  verifyPassword,
  type ScryptParams,
} from './password.js';
import { UnknownClinicError } from './tokens.js';

export type StaffRole = (typeof STAFF_ROLES)[number];

export const isStaffRoleName = (value: unknown): value is StaffRole =>
  typeof value === 'string' && (STAFF_ROLES as readonly string[]).includes(value);

export interface Membership {
  readonly clinicId: ClinicId;
  readonly role: StaffRole;
}

export interface User {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  /** ms epoch, or null while the account is active. */
  readonly disabledAt: number | null;
  readonly createdAt: number;
  /** Ordered by clinic id. */
  readonly clinics: readonly Membership[];
}

/** A user as seen from one clinic's staff list. */
export interface StaffMember extends User {
  readonly role: StaffRole;
}

export interface NewUserInput {
  readonly email: string;
  readonly name: string;
  readonly password: string;
  /** At least one clinic. */
  readonly clinics: readonly Membership[];
}

export interface UserRepo {
  /** Throws DuplicateEmailError, UnknownClinicError, InvalidUserInputError. */
  add(input: NewUserInput, now: number): Promise<User>;
  get(id: string): Promise<User | null>;
  findByEmail(email: string): Promise<User | null>;
  /**
   * The user when the password matches (disabled users included: the caller
   * decides), otherwise null. Takes about as long for an unknown email as for
   * a known one, so timing does not reveal which emails have accounts.
   */
  checkPassword(email: string, password: string): Promise<User | null>;
  /** Staff of a clinic, ordered by name then email. */
  listForClinic(clinicId: ClinicId): Promise<StaffMember[]>;
  /** False when the user does not exist. */
  updateName(id: string, name: string): Promise<boolean>;
  /** Sets the user's role in a clinic; false when the user is not staff of that clinic. */
  setRole(id: string, clinicId: ClinicId, role: StaffRole): Promise<boolean>;
  /** Disables (now) or re-enables an account; false when nothing changed. Sessions are the caller's business. */
  setDisabled(id: string, disabled: boolean, now: number): Promise<boolean>;
  /** False when the user does not exist. Throws InvalidUserInputError for a weak password. */
  setPassword(id: string, password: string): Promise<boolean>;
}

export class DuplicateEmailError extends Error {
  override readonly name = 'DuplicateEmailError';
  constructor(readonly email: string) {
    super(`a user with email ${email} already exists`);
  }
}

export class InvalidUserInputError extends Error {
  override readonly name = 'InvalidUserInputError';
  constructor(
    readonly field: 'email' | 'name' | 'password' | 'role' | 'clinics',
    message: string,
  ) {
    super(`invalid user ${field}: ${message}`);
  }
}

export interface UserRepoOptions {
  /** scrypt cost for new hashes (tests use a cheap one). */
  readonly scrypt?: ScryptParams;
}

export const MIN_PASSWORD_LENGTH = 8;
/** Defined beside the login and staff schemas of shared/api.ts, which check it too. */
export { MAX_PASSWORD_LENGTH };
const MAX_NAME_LENGTH = 200;
const MAX_EMAIL_LENGTH = 254;
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

type UserRow = {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  disabled_at: number | null;
  created_at: number;
};
type MembershipRow = { user_id: string; clinic_id: string; role: string };

const COLUMNS = 'id, email, name, password_hash, disabled_at, created_at';

export const normalizeEmail = (email: string): string =>
  typeof email === 'string' ? email.trim().toLowerCase() : '';

export function createUserRepo(db: Database, options: UserRepoOptions = {}): UserRepo {
  const params = options.scrypt ?? DEFAULT_SCRYPT_PARAMS;
  // Verified against when the email is unknown, so both paths cost one scrypt.
  let dummyHash: Promise<string> | null = null;

  async function memberships(
    q: Queryable,
    ids: readonly string[],
  ): Promise<Map<string, Membership[]>> {
    const byUser = new Map<string, Membership[]>();
    if (ids.length === 0) return byUser;
    const placeholders = ids.map((_, i) => `$${i + 1}`).join(', ');
    const rows = await q.query<MembershipRow>(
      `SELECT user_id, clinic_id, role FROM user_clinics WHERE user_id IN (${placeholders}) ORDER BY clinic_id`,
      ids,
    );
    for (const row of rows) {
      let list = byUser.get(row.user_id);
      if (!list) byUser.set(row.user_id, (list = []));
      list.push({ clinicId: parseClinicId(row.clinic_id), role: toRole(row.role) });
    }
    return byUser;
  }

  async function load(where: string, value: string): Promise<{ user: User; hash: string } | null> {
    const rows = await db.query<UserRow>(`SELECT ${COLUMNS} FROM users WHERE ${where} = $1`, [
      value,
    ]);
    const row = rows[0];
    if (!row) return null;
    const clinics = (await memberships(db, [row.id])).get(row.id) ?? [];
    return { user: toUser(row, clinics), hash: row.password_hash };
  }

  return {
    async add(input, now) {
      const email = checkEmail(input.email);
      const name = checkName(input.name);
      checkPasswordStrength(input.password);
      if (!Array.isArray(input.clinics) || input.clinics.length === 0) {
        throw new InvalidUserInputError('clinics', 'a user belongs to at least one clinic');
      }
      const clinics = new Map<ClinicId, StaffRole>();
      for (const m of input.clinics) {
        if (!isStaffRoleName(m.role)) {
          throw new InvalidUserInputError(
            'role',
            `${JSON.stringify(m.role)} is not one of ${STAFF_ROLES.join(', ')}`,
          );
        }
        const clinicId = parseClinicId(m.clinicId);
        if (clinics.has(clinicId)) {
          throw new InvalidUserInputError('clinics', `clinic ${clinicId} given twice`);
        }
        clinics.set(clinicId, m.role);
      }
      const passwordHash = await hashPassword(input.password, params);
      const id = randomBytes(9).toString('base64url');
      await db.transaction(async (tx) => {
        const inserted = await tx.execute(
          `INSERT INTO users (${COLUMNS}) VALUES ($1, $2, $3, $4, NULL, $5) ON CONFLICT (email) DO NOTHING`,
          [id, email, name, passwordHash, now],
        );
        if (inserted === 0) throw new DuplicateEmailError(email);
        for (const [clinicId, role] of clinics) {
          const added = await tx.execute(
            `INSERT INTO user_clinics (user_id, clinic_id, role)
             SELECT CAST($1 AS TEXT), CAST($2 AS TEXT), CAST($3 AS TEXT)
             WHERE EXISTS (SELECT 1 FROM clinics WHERE id = $2)`,
            [id, clinicId, role],
          );
          if (added === 0) throw new UnknownClinicError(clinicId);
        }
      });
      return {
        id,
        email,
        name,
        disabledAt: null,
        createdAt: now,
        clinics: [...clinics]
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([clinicId, role]) => ({ clinicId, role })),
      };
    },

    async get(id) {
      if (typeof id !== 'string' || id.length === 0 || id.length > 64) return null;
      return (await load('id', id))?.user ?? null;
    },

    async findByEmail(email) {
      return (await load('email', normalizeEmail(email)))?.user ?? null;
    },

    async checkPassword(email, password) {
      if (typeof password !== 'string' || password.length > MAX_PASSWORD_LENGTH) return null;
      const found = await load('email', normalizeEmail(email));
      if (!found) {
        dummyHash ??= hashPassword('not a password', params);
        await verifyPassword(password, await dummyHash);
        return null;
      }
      if (!(await verifyPassword(password, found.hash))) return null;
      // The one moment the plaintext is at hand: upgrade a hash made with a lower cost.
      if (needsRehash(found.hash, params)) {
        await db.execute('UPDATE users SET password_hash = $1 WHERE id = $2', [
          await hashPassword(password, params),
          found.user.id,
        ]);
      }
      return found.user;
    },

    async listForClinic(clinicId) {
      const rows = await db.query<UserRow & { role: string }>(
        `SELECT u.id, u.email, u.name, u.password_hash, u.disabled_at, u.created_at, m.role
           FROM users u JOIN user_clinics m ON m.user_id = u.id
          WHERE m.clinic_id = $1
          ORDER BY u.name, u.email`,
        [clinicId],
      );
      const all = await memberships(
        db,
        rows.map((r) => r.id),
      );
      return rows.map((row) => ({ ...toUser(row, all.get(row.id) ?? []), role: toRole(row.role) }));
    },

    async updateName(id, name) {
      const changed = await db.execute('UPDATE users SET name = $1 WHERE id = $2', [
        checkName(name),
        id,
      ]);
      return changed > 0;
    },

    async setRole(id, clinicId, role) {
      if (!isStaffRoleName(role)) {
        throw new InvalidUserInputError(
          'role',
          `${JSON.stringify(role)} is not one of ${STAFF_ROLES.join(', ')}`,
        );
      }
      const changed = await db.execute(
        'UPDATE user_clinics SET role = $1 WHERE user_id = $2 AND clinic_id = $3',
        [role, id, clinicId],
      );
      return changed > 0;
    },

    async setDisabled(id, disabled, now) {
      const changed = disabled
        ? await db.execute(
            'UPDATE users SET disabled_at = $1 WHERE id = $2 AND disabled_at IS NULL',
            [now, id],
          )
        : await db.execute(
            'UPDATE users SET disabled_at = NULL WHERE id = $1 AND disabled_at IS NOT NULL',
            [id],
          );
      return changed > 0;
    },

    async setPassword(id, password) {
      checkPasswordStrength(password);
      const hash = await hashPassword(password, params);
      return (
        (await db.execute('UPDATE users SET password_hash = $1 WHERE id = $2', [hash, id])) > 0
      );
    },
  };
}

function toRole(role: string): StaffRole {
  if (!isStaffRoleName(role))
    throw new Error(`unknown staff role ${JSON.stringify(role)} in the database`);
  return role;
}

const toUser = (row: UserRow, clinics: readonly Membership[]): User => ({
  id: row.id,
  email: row.email,
  name: row.name,
  disabledAt: row.disabled_at === null ? null : Number(row.disabled_at),
  createdAt: Number(row.created_at),
  clinics,
});

function checkEmail(email: string): string {
  const normalized = normalizeEmail(email);
  if (normalized.length > MAX_EMAIL_LENGTH || !EMAIL_PATTERN.test(normalized)) {
    throw new InvalidUserInputError(
      'email',
      `${JSON.stringify(String(email).slice(0, 80))} is not an email address`,
    );
  }
  return normalized;
}

function checkName(name: string): string {
  const trimmed = typeof name === 'string' ? name.trim() : '';
  if (trimmed.length === 0) throw new InvalidUserInputError('name', 'must not be empty');
  if (trimmed.length > MAX_NAME_LENGTH) {
    throw new InvalidUserInputError('name', `longer than ${MAX_NAME_LENGTH} characters`);
  }
  return trimmed;
}

/** Length only (NIST 800-63B): no composition rules. */
export function checkPasswordStrength(password: string): void {
  if (typeof password !== 'string' || password.length < MIN_PASSWORD_LENGTH) {
    throw new InvalidUserInputError('password', `at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    throw new InvalidUserInputError('password', `at most ${MAX_PASSWORD_LENGTH} characters`);
  }
}
