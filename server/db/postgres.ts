import pg from 'pg';
import type { Database, Queryable, Row, SqlValue } from './types.js';
import { DatabaseClosedError, TransactionFinishedError } from './errors.js';

export interface PostgresOptions {
  /** `postgres://user:pass@host:port/db` */
  readonly url: string;
  /**
   * Schema to work in (created if missing; every pooled connection gets it as
   * its only `search_path`). Lets tests, or several deployments, share one
   * database. Default: the server's default search_path.
   */
  readonly schema?: string;
  /** Maximum pooled connections. Default 10. */
  readonly maxConnections?: number;
  /**
   * Errors of idle pooled connections (server restart, network drop). The pool
   * replaces such connections by itself; default: emitted as a process warning.
   */
  readonly onIdleError?: (err: Error) => void;
}

const SCHEMA_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;
const INT8_OID = 20;

/**
 * Opens a PostgreSQL database behind the `Database` interface, on a `pg.Pool`.
 * BIGINT columns come back as JS numbers (ms timestamps, sequence numbers);
 * a value beyond Number.MAX_SAFE_INTEGER comes back as a bigint rather than
 * silently losing precision. BYTEA comes back as Buffer (a Uint8Array).
 * Resolves once a connection succeeded, so a bad URL fails at startup.
 */
export async function openPostgres(options: PostgresOptions): Promise<Database> {
  const { schema } = options;
  if (schema !== undefined && !SCHEMA_PATTERN.test(schema)) {
    throw new RangeError(
      `invalid PostgreSQL schema name ${JSON.stringify(schema)} (expected ${SCHEMA_PATTERN})`,
    );
  }
  // Per-pool type parsers: pg's global `types.setTypeParser` would be a
  // process-wide mutable singleton.
  const types = new pg.TypeOverrides();
  types.setTypeParser(INT8_OID, 'text', parseInt8);
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.maxConnections ?? 10,
    types,
    // Sent in the startup packet, so it applies before any query on the connection.
    ...(schema !== undefined ? { options: `-c search_path=${schema}` } : {}),
  });
  const onIdleError =
    options.onIdleError ??
    ((err: Error) => process.emitWarning(`idle PostgreSQL connection failed: ${err.message}`));
  pool.on('error', onIdleError);

  try {
    if (schema !== undefined) {
      try {
        await pool.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      } catch (err) {
        // Two processes creating the schema at once: one loses the catalog race.
        const code = (err as { code?: unknown }).code;
        if (code !== '23505' && code !== '42P06') throw err;
      }
    } else {
      await pool.query('SELECT 1');
    }
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw new Error(
      `cannot connect to PostgreSQL at ${redactUrl(options.url)}: ${errorMessage(err)}`,
      {
        cause: err,
      },
    );
  }
  return new PostgresDatabase(pool);
}

class PostgresDatabase implements Database {
  readonly dialect = 'postgres' as const;
  readonly #pool: pg.Pool;
  #closed = false;
  #closing: Promise<void> | null = null;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async query<T extends Row = Row>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    if (this.#closed) throw new DatabaseClosedError('postgres');
    const result = await this.#pool.query(sql, params as unknown[]);
    return result.rows as T[];
  }

  async execute(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    if (this.#closed) throw new DatabaseClosedError('postgres');
    const result = await this.#pool.query(sql, params as unknown[]);
    return result.rowCount ?? 0;
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    if (this.#closed) throw new DatabaseClosedError('postgres');
    const client = await this.#pool.connect();
    const tx = new PostgresTransaction(client);
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      let result: T;
      try {
        result = await fn(tx);
        tx.finished = true;
        await client.query('COMMIT');
      } catch (err) {
        tx.finished = true;
        try {
          await client.query('ROLLBACK');
        } catch (rollbackErr) {
          // The connection is in an unknown state: drop it instead of reusing it.
          broken = rollbackErr instanceof Error ? rollbackErr : new Error(String(rollbackErr));
        }
        throw err;
      }
      return result;
    } finally {
      tx.finished = true;
      client.release(broken);
    }
  }

  close(): Promise<void> {
    this.#closed = true;
    this.#closing ??= this.#pool.end();
    return this.#closing;
  }
}

class PostgresTransaction implements Queryable {
  finished = false;
  readonly #client: pg.PoolClient;

  constructor(client: pg.PoolClient) {
    this.#client = client;
  }

  async query<T extends Row = Row>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    if (this.finished) throw new TransactionFinishedError();
    const result = await this.#client.query(sql, params as unknown[]);
    return result.rows as T[];
  }

  async execute(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    if (this.finished) throw new TransactionFinishedError();
    const result = await this.#client.query(sql, params as unknown[]);
    return result.rowCount ?? 0;
  }
}

function parseInt8(text: string): number | bigint {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : BigInt(text);
}

/** The URL without its password, for error messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<unparseable database URL>';
  }
}

const errorMessage = (err: unknown): string => (err instanceof Error ? err.message : String(err));
