import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Database, Queryable, Row, SqlValue } from './types.js';
import {
  DatabaseBusyError,
  DatabaseClosedError,
  NestedTransactionError,
  TransactionFinishedError,
} from './errors.js';
import { rewritePlaceholders } from './sql-placeholders.js';

export type SqliteSynchronous = 'off' | 'normal' | 'full';

export interface SqliteOptions {
  /** Path of the database file (its directory is created if missing), or `:memory:`. */
  readonly file: string;
  /**
   * fsync level in WAL mode: `normal` survives a killed process, `full` also
   * survives power loss (one fsync per commit), `off` survives neither.
   */
  readonly synchronous: SqliteSynchronous;
  /** How long to wait for another connection's write lock before failing. Default 5000. */
  readonly busyTimeoutMs?: number;
}

const STATEMENT_CACHE_SIZE = 256;
const MAX_BUSY_RETRY_DELAY_MS = 50;

type Statement = BetterSqlite3.Statement<unknown[], unknown>;

interface Prepared {
  readonly stmt: Statement;
  readonly reader: boolean;
  readonly order: readonly number[] | null;
  readonly arity: number;
}

/**
 * Opens a SQLite database in WAL mode behind the async `Database` interface.
 *
 * better-sqlite3 is synchronous, so an async `transaction(fn)` would let other
 * queries on the connection slip into it between awaits. An internal FIFO
 * lock serializes them: a query issued while a transaction runs waits for it
 * to finish. With no transaction running, a query executes immediately.
 *
 * Waiting for another connection's write lock (another process, or another
 * connection in this one) is done asynchronously — the connection's busy
 * handler is disabled after opening and SQLITE_BUSY is retried with backoff
 * for up to `busyTimeoutMs` — so the event loop keeps running meanwhile and
 * two connections in one process cannot block each other.
 */
export function openSqlite(options: SqliteOptions): Database {
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  if (!Number.isInteger(busyTimeoutMs) || busyTimeoutMs < 0) {
    throw new RangeError(`busyTimeoutMs must be a non-negative integer, got ${busyTimeoutMs}`);
  }
  if (!['off', 'normal', 'full'].includes(options.synchronous)) {
    throw new RangeError(
      `synchronous must be off, normal or full, got ${String(options.synchronous)}`,
    );
  }
  const inMemory = options.file === ':memory:' || options.file === '';
  if (!inMemory) mkdirSync(dirname(options.file), { recursive: true });

  let raw: BetterSqlite3.Database;
  try {
    // The driver's own busy handler is only used while opening (WAL switch).
    raw = new BetterSqlite3(options.file, { timeout: busyTimeoutMs });
  } catch (err) {
    throw new Error(`cannot open SQLite database ${options.file}: ${errorMessage(err)}`, {
      cause: err,
    });
  }
  try {
    const mode = raw.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal' && !inMemory) {
      throw new Error(
        `could not switch ${options.file} to WAL mode (journal_mode is ${String(mode)})`,
      );
    }
    raw.pragma(`synchronous = ${options.synchronous.toUpperCase()}`);
    raw.pragma('foreign_keys = ON');
    raw.pragma('busy_timeout = 0');
  } catch (err) {
    raw.close();
    throw err;
  }
  return new SqliteDatabase(raw, options.file, busyTimeoutMs);
}

class SqliteDatabase implements Database {
  readonly dialect = 'sqlite' as const;
  readonly #raw: BetterSqlite3.Database;
  readonly #file: string;
  readonly #busyTimeoutMs: number;
  readonly #cache = new Map<string, Prepared>();
  readonly #begin: Statement;
  readonly #commit: Statement;
  readonly #rollback: Statement;
  /** Identifies the async context of the running transaction, to detect self-deadlock. */
  readonly #txContext = new AsyncLocalStorage<SqliteTransaction>();
  #locked = false;
  readonly #waiters: Array<() => void> = [];
  #closed = false;
  #closing: Promise<void> | null = null;

  constructor(raw: BetterSqlite3.Database, file: string, busyTimeoutMs: number) {
    this.#raw = raw;
    this.#file = file;
    this.#busyTimeoutMs = busyTimeoutMs;
    this.#begin = raw.prepare('BEGIN IMMEDIATE');
    this.#commit = raw.prepare('COMMIT');
    this.#rollback = raw.prepare('ROLLBACK');
  }

  query<T extends Row = Row>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return this.#run('query', () => this.queryNow<T>(sql, params));
  }

  execute(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    return this.#run('execute', () => this.executeNow(sql, params));
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    this.#assertOpen();
    if (this.#locked && this.#insideOwnTransaction()) {
      throw new NestedTransactionError('transaction()');
    }
    await this.#acquire();
    const tx = new SqliteTransaction(this);
    try {
      this.#assertOpen();
      await this.#retryBusy(() => this.#begin.run());
      let result: T;
      try {
        result = await this.#txContext.run(tx, () => fn(tx));
        tx.finished = true;
        await this.#retryBusy(() => this.#commit.run());
      } catch (err) {
        tx.finished = true;
        this.#rollbackQuietly();
        throw err;
      }
      return result;
    } finally {
      tx.finished = true;
      this.#release();
    }
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      await this.#acquire();
      try {
        if (this.#closed) return;
        this.#closed = true;
        this.#cache.clear();
        this.#raw.close();
      } finally {
        this.#release();
      }
    })();
    return this.#closing;
  }

  /** Runs a statement synchronously; only call while holding the lock or when it is free. */
  queryNow<T>(sql: string, params: readonly SqlValue[]): T[] {
    const p = this.#prepare(sql);
    const args = bindArgs(p, params, sql);
    if (p.reader) return p.stmt.all(...args) as T[];
    p.stmt.run(...args);
    return [];
  }

  executeNow(sql: string, params: readonly SqlValue[]): number {
    const p = this.#prepare(sql);
    return p.stmt.run(...bindArgs(p, params, sql)).changes;
  }

  /**
   * Fast path: nothing holds the lock, so run synchronously now. Otherwise (a
   * transaction is running, or another connection holds the write lock) wait
   * for the lock and run in order.
   */
  #run<T>(what: string, op: () => T): Promise<T> {
    if (this.#closed) return Promise.reject(new DatabaseClosedError('sqlite'));
    if (!this.#locked) {
      try {
        return Promise.resolve(op());
      } catch (err) {
        if (!isBusy(err)) return Promise.reject(err);
        // Fall through: retry asynchronously under the lock, keeping order.
      }
    } else if (this.#insideOwnTransaction()) {
      return Promise.reject(new NestedTransactionError(`${what}()`));
    }
    return this.#withLock(() => this.#retryBusy(op));
  }

  async #withLock<T>(op: () => Promise<T>): Promise<T> {
    await this.#acquire();
    try {
      this.#assertOpen();
      return await op();
    } finally {
      this.#release();
    }
  }

  async #retryBusy<T>(op: () => T): Promise<T> {
    const started = Date.now();
    let delay = 1;
    for (;;) {
      try {
        return op();
      } catch (err) {
        if (!isBusy(err)) throw err;
        const waited = Date.now() - started;
        if (waited >= this.#busyTimeoutMs) {
          throw new DatabaseBusyError(this.#file, waited, { cause: err });
        }
        await sleep(Math.min(delay, this.#busyTimeoutMs - waited));
        delay = Math.min(delay * 2, MAX_BUSY_RETRY_DELAY_MS);
      }
    }
  }

  #insideOwnTransaction(): boolean {
    const tx = this.#txContext.getStore();
    return tx !== undefined && !tx.finished;
  }

  #acquire(): Promise<void> {
    if (!this.#locked) {
      this.#locked = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  #release(): void {
    const next = this.#waiters.shift();
    if (next)
      next(); // hand the lock over; it stays taken
    else this.#locked = false;
  }

  #rollbackQuietly(): void {
    // SQLite may already have rolled back on its own (e.g. SQLITE_FULL).
    if (!this.#raw.open || !this.#raw.inTransaction) return;
    try {
      this.#rollback.run();
    } catch {
      // The original error is the one worth reporting.
    }
  }

  #assertOpen(): void {
    if (this.#closed) throw new DatabaseClosedError('sqlite');
  }

  #prepare(sql: string): Prepared {
    let p = this.#cache.get(sql);
    if (p === undefined) {
      const rewritten = rewritePlaceholders(sql);
      const stmt = this.#raw.prepare(rewritten.sql) as Statement;
      p = { stmt, reader: stmt.reader, order: rewritten.order, arity: rewritten.arity };
      if (this.#cache.size >= STATEMENT_CACHE_SIZE) {
        const oldest = this.#cache.keys().next().value;
        if (oldest !== undefined) this.#cache.delete(oldest);
      }
      this.#cache.set(sql, p);
    }
    return p;
  }
}

class SqliteTransaction implements Queryable {
  finished = false;
  readonly #db: SqliteDatabase;

  constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  query<T extends Row = Row>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    if (this.finished) return Promise.reject(new TransactionFinishedError());
    try {
      return Promise.resolve(this.#db.queryNow<T>(sql, params));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  execute(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    if (this.finished) return Promise.reject(new TransactionFinishedError());
    try {
      return Promise.resolve(this.#db.executeNow(sql, params));
    } catch (err) {
      return Promise.reject(err);
    }
  }
}

/** Orders params for the rewritten `?`s and maps booleans to 0/1; copies only when needed. */
function bindArgs(p: Prepared, params: readonly SqlValue[], sql: string): unknown[] {
  if (params.length < p.arity) {
    throw new RangeError(
      `SQL uses $${p.arity} but ${params.length} parameter(s) were given: ${sql}`,
    );
  }
  if (p.order === null) {
    let hasBoolean = false;
    for (let i = 0; i < params.length; i++) {
      if (typeof params[i] === 'boolean') {
        hasBoolean = true;
        break;
      }
    }
    if (!hasBoolean) return params as unknown[];
    return params.map(toSqlite);
  }
  const args = new Array<unknown>(p.order.length);
  for (let i = 0; i < p.order.length; i++) args[i] = toSqlite(params[p.order[i]!] ?? null);
  return args;
}

const toSqlite = (v: SqlValue): unknown => (typeof v === 'boolean' ? (v ? 1 : 0) : v);

function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_'));
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const errorMessage = (err: unknown): string => (err instanceof Error ? err.message : String(err));
