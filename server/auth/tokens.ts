import { createHash, randomBytes as nodeRandomBytes } from 'node:crypto';
import { parseClinicId, type ClinicId } from '../../shared/ids.js';
import { ROLES, type Role } from '../../shared/presence.js';
import type { Database } from '../db/types.js';
import { recordRevocations } from './revocations.js';

/**
 * Bearer tokens for display devices, patients and API clients (`?token=`).
 * A token is `qm_` + 32 random bytes in base64url; only its SHA-256 is
 * stored, so a database leak does not leak usable tokens. Records are
 * addressed by a short random `id` that is safe to show and log.
 */
/** What a token is for (it also decides which admin screen lists it). */
export const TOKEN_KINDS = ['cli', 'display', 'patient', 'api-key'] as const;
export type TokenKind = (typeof TOKEN_KINDS)[number];

export interface TokenRecord {
  readonly id: string;
  readonly kind: TokenKind;
  readonly clinicId: ClinicId;
  readonly role: Role;
  readonly label: string | null;
  readonly createdAt: number;
  /** null: never expires */
  readonly expiresAt: number | null;
  readonly revokedAt: number | null;
}

export interface NewTokenInput {
  /** Default 'cli'. */
  readonly kind?: TokenKind;
  readonly clinicId: ClinicId;
  readonly role: Role;
  /** Lifetime in ms; omitted: never expires. */
  readonly ttlMs?: number;
  readonly label?: string;
}

export interface TokenRepo {
  /** Creates a token; the plaintext is returned only here. Throws UnknownClinicError, InvalidTokenInputError. */
  create(input: NewTokenInput, now: number): Promise<{ token: string; record: TokenRecord }>;
  /** The token's record if it is known, not revoked and not expired at `now`; otherwise null. */
  verify(token: string, now: number): Promise<TokenRecord | null>;
  /** Revokes by plaintext token; false when unknown or already revoked. */
  revoke(token: string, now: number): Promise<boolean>;
  /**
   * Revokes by record id (admin screens never see the plaintext); false when
   * unknown or already revoked. Both revocations are written to the
   * revocation log, which every relay instance polls.
   */
  revokeById(id: string, now: number): Promise<boolean>;
  get(id: string): Promise<TokenRecord | null>;
  /** A clinic's tokens (of one kind, if given), newest first, including revoked and expired ones. */
  listForClinic(clinicId: ClinicId, kind?: TokenKind): Promise<TokenRecord[]>;
}

export class UnknownClinicError extends Error {
  override readonly name = 'UnknownClinicError';
  constructor(readonly clinicId: ClinicId) {
    super(`no clinic ${clinicId}`);
  }
}

export class InvalidTokenInputError extends Error {
  override readonly name = 'InvalidTokenInputError';
  constructor(
    readonly field: 'kind' | 'role' | 'ttlMs' | 'label',
    message: string,
  ) {
    super(`invalid token ${field}: ${message}`);
  }
}

export interface TokenRepoOptions {
  /** Source of randomness (tests may make it deterministic). Default node:crypto randomBytes. */
  readonly randomBytes?: (size: number) => Uint8Array;
}

export const TOKEN_PREFIX = 'qm_';
const TOKEN_BYTES = 32;
/** `qm_` + base64url of 32 bytes (43 characters, no padding). */
const TOKEN_PATTERN = /^qm_[A-Za-z0-9_-]{43}$/;
const ID_BYTES = 9; // 12 base64url characters
const MAX_LABEL_LENGTH = 200;

// A type alias, not an interface: it must be assignable to Row (an index signature).
type TokenRow = {
  id: string;
  kind: string;
  clinic_id: string;
  role: string;
  label: string | null;
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
};

const COLUMNS = 'id, kind, clinic_id, role, label, created_at, expires_at, revoked_at';

export function createTokenRepo(db: Database, options: TokenRepoOptions = {}): TokenRepo {
  const random = options.randomBytes ?? nodeRandomBytes;

  const revokeWhere = (column: 'id' | 'hash', value: string, now: number): Promise<boolean> =>
    db.transaction(async (tx) => {
      const rows = await tx.query<{ id: string }>(
        `UPDATE tokens SET revoked_at = $1 WHERE ${column} = $2 AND revoked_at IS NULL RETURNING id`,
        [now, value],
      );
      await recordRevocations(
        tx,
        rows.map((r) => r.id),
        now,
      );
      return rows.length > 0;
    });

  return {
    async create(input, now) {
      const clinicId = parseClinicId(input.clinicId);
      if (!(ROLES as readonly string[]).includes(input.role)) {
        throw new InvalidTokenInputError(
          'role',
          `${JSON.stringify(input.role)} is not one of ${ROLES.join(', ')}`,
        );
      }
      if (input.ttlMs !== undefined && (!Number.isSafeInteger(input.ttlMs) || input.ttlMs <= 0)) {
        throw new InvalidTokenInputError(
          'ttlMs',
          `must be a positive integer number of ms, got ${input.ttlMs}`,
        );
      }
      const kind = input.kind ?? 'cli';
      if (!(TOKEN_KINDS as readonly string[]).includes(kind)) {
        throw new InvalidTokenInputError('kind', `${JSON.stringify(kind)} is not a token kind`);
      }
      const label = input.label?.trim() || null;
      if (label !== null && label.length > MAX_LABEL_LENGTH) {
        throw new InvalidTokenInputError('label', `longer than ${MAX_LABEL_LENGTH} characters`);
      }

      const token = TOKEN_PREFIX + Buffer.from(random(TOKEN_BYTES)).toString('base64url');
      const record: TokenRecord = {
        id: Buffer.from(random(ID_BYTES)).toString('base64url'),
        kind,
        clinicId,
        role: input.role,
        label,
        createdAt: now,
        expiresAt: input.ttlMs !== undefined ? now + input.ttlMs : null,
        revokedAt: null,
      };
      // Inserts only if the clinic exists: one portable statement instead of
      // interpreting each driver's foreign-key error. The casts give
      // PostgreSQL the parameter types a bare SELECT list cannot infer.
      const inserted = await db.execute(
        `INSERT INTO tokens (id, hash, clinic_id, role, label, created_at, expires_at, revoked_at, kind)
         SELECT CAST($1 AS TEXT), CAST($2 AS TEXT), CAST($3 AS TEXT), CAST($4 AS TEXT), CAST($5 AS TEXT),
                CAST($6 AS BIGINT), CAST($7 AS BIGINT), NULL, CAST($8 AS TEXT)
         WHERE EXISTS (SELECT 1 FROM clinics WHERE id = $3)`,
        [record.id, hashToken(token), clinicId, record.role, label, now, record.expiresAt, kind],
      );
      if (inserted === 0) throw new UnknownClinicError(clinicId);
      return { token, record };
    },

    async verify(token, now) {
      if (!isTokenShaped(token)) return null;
      const rows = await db.query<TokenRow>(`SELECT ${COLUMNS} FROM tokens WHERE hash = $1`, [
        hashToken(token),
      ]);
      const record = rows[0] ? toRecord(rows[0]) : null;
      if (!record || record.revokedAt !== null) return null;
      if (record.expiresAt !== null && record.expiresAt <= now) return null;
      return record;
    },

    async revoke(token, now) {
      if (!isTokenShaped(token)) return false;
      return revokeWhere('hash', hashToken(token), now);
    },

    async revokeById(id, now) {
      return revokeWhere('id', id, now);
    },

    async get(id) {
      const rows = await db.query<TokenRow>(`SELECT ${COLUMNS} FROM tokens WHERE id = $1`, [id]);
      return rows[0] ? toRecord(rows[0]) : null;
    },

    async listForClinic(clinicId, kind) {
      const rows = await db.query<TokenRow>(
        kind === undefined
          ? `SELECT ${COLUMNS} FROM tokens WHERE clinic_id = $1 ORDER BY created_at DESC, id`
          : `SELECT ${COLUMNS} FROM tokens WHERE clinic_id = $1 AND kind = $2 ORDER BY created_at DESC, id`,
        kind === undefined ? [clinicId] : [clinicId, kind],
      );
      return rows.map(toRecord);
    },
  };
}

/** Hex SHA-256 of the token: what the database stores and looks up. */
export const hashToken = (token: string): string =>
  createHash('sha256').update(token, 'utf8').digest('hex');

/** Cheap shape check, so garbage never reaches the database. */
export const isTokenShaped = (value: string): boolean =>
  typeof value === 'string' && TOKEN_PATTERN.test(value);

function toRecord(row: TokenRow): TokenRecord {
  if (!(ROLES as readonly string[]).includes(row.role)) {
    throw new Error(`token ${row.id} has unknown role ${JSON.stringify(row.role)} in the database`);
  }
  return {
    id: row.id,
    kind: row.kind as TokenKind,
    clinicId: parseClinicId(row.clinic_id),
    role: row.role as Role,
    label: row.label,
    createdAt: Number(row.created_at),
    expiresAt: row.expires_at === null ? null : Number(row.expires_at),
    revokedAt: row.revoked_at === null ? null : Number(row.revoked_at),
  };
}
