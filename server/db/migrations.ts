import type { Database, Dialect, Queryable } from './types.js';
import { SchemaTooNewError } from './errors.js';

/**
 * One schema change, written once per dialect. Append new migrations at the
 * end with the next version number; never edit one that has shipped.
 * Each statement runs separately (SQLite prepares one statement at a time).
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sqlite: readonly string[];
  readonly postgres: readonly string[];
}

/** Same DDL for both dialects except the binary column type. */
const both = (statements: readonly string[]): Pick<Migration, 'sqlite' | 'postgres'> => ({
  sqlite: statements.map((s) => s.replaceAll('{{BLOB}}', 'BLOB')),
  postgres: statements.map((s) => s.replaceAll('{{BLOB}}', 'BYTEA')),
});

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'clinics-and-tokens',
    ...both([
      `CREATE TABLE clinics (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        timezone TEXT NOT NULL DEFAULT 'Europe/Paris',
        locale TEXT NOT NULL DEFAULT 'fr',
        reset_time TEXT NOT NULL DEFAULT '00:00',
        created_at BIGINT NOT NULL
      )`,
      `CREATE TABLE tokens (
        id TEXT PRIMARY KEY,
        hash TEXT NOT NULL UNIQUE,
        clinic_id TEXT NOT NULL REFERENCES clinics (id) ON DELETE CASCADE,
        role TEXT NOT NULL,
        label TEXT,
        created_at BIGINT NOT NULL,
        expires_at BIGINT,
        revoked_at BIGINT
      )`,
      'CREATE INDEX tokens_clinic_id ON tokens (clinic_id)',
      // Polled every few seconds by every relay instance (revokedSince).
      'CREATE INDEX tokens_revoked_at ON tokens (revoked_at) WHERE revoked_at IS NOT NULL',
    ]),
  },
  {
    version: 2,
    name: 'doc-store',
    ...both([
      // One row per doc ever written: the last sequence number handed out.
      // Appends bump it under the row lock, so seqs are unique and increase in
      // commit order across processes, and survive compaction.
      `CREATE TABLE doc_heads (
        doc TEXT PRIMARY KEY,
        last_seq BIGINT NOT NULL
      )`,
      `CREATE TABLE doc_snapshots (
        doc TEXT PRIMARY KEY,
        snapshot {{BLOB}} NOT NULL,
        through_seq BIGINT NOT NULL,
        updated_at BIGINT NOT NULL
      )`,
      `CREATE TABLE doc_updates (
        doc TEXT NOT NULL,
        seq BIGINT NOT NULL,
        data {{BLOB}} NOT NULL,
        PRIMARY KEY (doc, seq)
      )`,
    ]),
  },
  {
    version: 3,
    name: 'staff-accounts-and-sessions',
    ...both([
      // email is stored trimmed and lowercased, so UNIQUE is case-insensitive.
      `CREATE TABLE users (
        id TEXT PRIMARY KEY,
        email TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        disabled_at BIGINT,
        created_at BIGINT NOT NULL
      )`,
      `CREATE TABLE user_clinics (
        user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        clinic_id TEXT NOT NULL REFERENCES clinics (id) ON DELETE CASCADE,
        role TEXT NOT NULL,
        PRIMARY KEY (user_id, clinic_id)
      )`,
      'CREATE INDEX user_clinics_clinic_id ON user_clinics (clinic_id)',
      `CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        token_hash TEXT NOT NULL UNIQUE,
        user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL,
        revoked_at BIGINT,
        csrf_secret TEXT NOT NULL
      )`,
      'CREATE INDEX sessions_user_id ON sessions (user_id)',
      // Polled every few seconds by every relay instance, like tokens_revoked_at.
      'CREATE INDEX sessions_revoked_at ON sessions (revoked_at) WHERE revoked_at IS NOT NULL',
      // Failed logins only (a success clears the email's failures): counted per
      // email and per client address over a sliding window for lockout.
      `CREATE TABLE login_failures (
        email TEXT NOT NULL,
        ip TEXT NOT NULL,
        at BIGINT NOT NULL
      )`,
      'CREATE INDEX login_failures_email_at ON login_failures (email, at)',
      'CREATE INDEX login_failures_ip_at ON login_failures (ip, at)',
      'CREATE INDEX login_failures_at ON login_failures (at)',
    ]),
  },
  {
    version: 4,
    name: 'devices-join-links-api-keys-number-blocks',
    ...both([
      // What a bearer token is for: 'cli' (made by `queuemed token create`),
      // 'display' (a paired TV), 'patient' (a QR join, expires end of day),
      // 'api-key' (an integration, made by an admin).
      "ALTER TABLE tokens ADD COLUMN kind TEXT NOT NULL DEFAULT 'cli'",
      'CREATE INDEX tokens_clinic_kind ON tokens (clinic_id, kind)',
      // A display asking to be paired: it polls with the secret id, an admin
      // types the short code. The device token is minted when the display
      // collects it, so its plaintext is never stored.
      `CREATE TABLE display_pairings (
        id_hash TEXT PRIMARY KEY,
        code TEXT NOT NULL UNIQUE,
        created_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL,
        clinic_id TEXT REFERENCES clinics (id) ON DELETE CASCADE,
        display_name TEXT,
        paired_at BIGINT,
        token_id TEXT
      )`,
      'CREATE INDEX display_pairings_expires_at ON display_pairings (expires_at)',
      // The QR join link's secret: one current secret per clinic day; an
      // admin can retire it early (regenerate). Old rows answer 410.
      `CREATE TABLE join_secrets (
        secret TEXT PRIMARY KEY,
        clinic_id TEXT NOT NULL REFERENCES clinics (id) ON DELETE CASCADE,
        day TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        retired_at BIGINT
      )`,
      'CREATE INDEX join_secrets_clinic_day ON join_secrets (clinic_id, day)',
      // Ticket numbers per clinic day: blocks are granted by bumping next_number.
      `CREATE TABLE day_counters (
        clinic_id TEXT NOT NULL REFERENCES clinics (id) ON DELETE CASCADE,
        day TEXT NOT NULL,
        next_number BIGINT NOT NULL,
        PRIMARY KEY (clinic_id, day)
      )`,
    ]),
  },
  {
    version: 5,
    name: 'revocation-log',
    ...both([
      // One row: the last revocation seq handed out. Revokers bump it under
      // its row lock, so seqs commit in order and pollers never skip one
      // (see server/auth/revocations.ts); clocks play no part.
      `CREATE TABLE revocation_head (
        id INTEGER PRIMARY KEY,
        last_seq BIGINT NOT NULL
      )`,
      'INSERT INTO revocation_head (id, last_seq) VALUES (1, 0)',
      `CREATE TABLE revocations (
        seq BIGINT PRIMARY KEY,
        credential_id TEXT NOT NULL,
        revoked_at BIGINT NOT NULL
      )`,
      'CREATE INDEX revocations_revoked_at ON revocations (revoked_at)',
    ]),
  },
  {
    version: 6,
    name: 'printable-join-links',
    ...both([
      // The printable poster's join secret (/join/p/<secret>): one live per
      // clinic, valid until an admin regenerates it — not only for a day,
      // unlike join_secrets. Retired rows answer 410.
      `CREATE TABLE printable_join_secrets (
        secret TEXT PRIMARY KEY,
        clinic_id TEXT NOT NULL REFERENCES clinics (id) ON DELETE CASCADE,
        created_at BIGINT NOT NULL,
        retired_at BIGINT
      )`,
      'CREATE INDEX printable_join_secrets_clinic ON printable_join_secrets (clinic_id)',
    ]),
  },
  {
    version: 7,
    name: 'ticket-number-pool-and-device-tags',
    ...both([
      // Numbers a device gave back from its reserve: issued again before the
      // sequence moves on, so the day's counter has no holes.
      `CREATE TABLE returned_numbers (
        clinic_id TEXT NOT NULL REFERENCES clinics (id) ON DELETE CASCADE,
        day TEXT NOT NULL,
        number BIGINT NOT NULL,
        PRIMARY KEY (clinic_id, day, number)
      )`,
      // Tags for the offline series of staff devices (A-K1): one per device and day.
      'ALTER TABLE day_counters ADD COLUMN next_tag INTEGER NOT NULL DEFAULT 0',
    ]),
  },
  {
    version: 8,
    name: 'boards',
    ...both([
      // A clinic's boards (issue 14): the relay looks a board's clinic up
      // here; the content lives in the `board:<id>` document. Never deleted,
      // archived boards are read-only.
      `CREATE TABLE boards (
        id TEXT PRIMARY KEY,
        clinic_id TEXT NOT NULL REFERENCES clinics (id) ON DELETE CASCADE,
        title TEXT NOT NULL,
        template TEXT NOT NULL,
        created_by TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        archived_at BIGINT
      )`,
      'CREATE INDEX boards_clinic_id ON boards (clinic_id)',
    ]),
  },
  {
    version: 9,
    name: 'doc_clients',
    ...both([
      // Who writes under each Yjs clientID of a board document: claimed by
      // the first authenticated connection that sends its structs, never
      // changed. The relay's forged-write guard (server/relay/board-guard.ts)
      // refuses new structs of a clientID claimed by another user.
      `CREATE TABLE doc_clients (
        doc TEXT NOT NULL,
        client_id BIGINT NOT NULL,
        user_id TEXT NOT NULL,
        claimed_at BIGINT NOT NULL,
        PRIMARY KEY (doc, client_id)
      )`,
    ]),
  },
];

export interface MigrateOptions {
  /** Default: MIGRATIONS. */
  readonly migrations?: readonly Migration[];
  /** Clock for `applied_at`. Default Date.now. */
  readonly now?: () => number;
}

export interface MigrateResult {
  /** Versions applied by this call, in order (empty when already up to date). */
  readonly applied: number[];
  /** Schema version after the call. */
  readonly version: number;
}

/**
 * Brings the schema up to date, in one transaction. Safe when several
 * processes open the same database at once: SQLite takes the write lock first
 * (BEGIN IMMEDIATE), PostgreSQL an advisory lock scoped to the transaction and
 * the current schema; whoever comes second finds the work done.
 */
export async function migrate(db: Database, options: MigrateOptions = {}): Promise<MigrateResult> {
  const migrations = options.migrations ?? MIGRATIONS;
  const now = options.now ?? Date.now;
  checkOrder(migrations);
  const known = migrations.at(-1)?.version ?? 0;

  return db.transaction(async (tx) => {
    if (db.dialect === 'postgres') {
      await tx.query(
        "SELECT pg_advisory_xact_lock(hashtext('queuemed.migrate.' || current_schema()))",
      );
    }
    await tx.execute(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
        version INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        applied_at BIGINT NOT NULL
      )`,
    );
    const rows = await tx.query<{ version: number }>('SELECT version FROM schema_migrations');
    const done = new Set(rows.map((r) => Number(r.version)));
    const newest = Math.max(0, ...done);
    if (newest > known) throw new SchemaTooNewError(newest, known);

    const applied: number[] = [];
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      await applyMigration(tx, db.dialect, m);
      await tx.execute(
        'INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)',
        [m.version, m.name, now()],
      );
      applied.push(m.version);
    }
    return { applied, version: Math.max(newest, ...applied) };
  });
}

async function applyMigration(tx: Queryable, dialect: Dialect, m: Migration): Promise<void> {
  for (const sql of m[dialect]) {
    try {
      await tx.execute(sql);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      throw new Error(`migration ${m.version} (${m.name}) failed on ${dialect}: ${message}`, {
        cause: err,
      });
    }
  }
}

function checkOrder(migrations: readonly Migration[]): void {
  let previous = 0;
  for (const m of migrations) {
    if (!Number.isInteger(m.version) || m.version <= previous) {
      throw new Error(
        `migrations must have strictly increasing positive versions; got ${m.version} after ${previous}`,
      );
    }
    previous = m.version;
  }
}
