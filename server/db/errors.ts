/**
 * The closed set of failures the database layer reports itself (driver
 * errors from better-sqlite3 / pg pass through unchanged, with their codes).
 */

/** A query was issued after `close()`. */
export class DatabaseClosedError extends Error {
  override readonly name = 'DatabaseClosedError';
  constructor(readonly dialect: 'sqlite' | 'postgres') {
    super(`${dialect} database is closed`);
  }
}

/**
 * `db.transaction()` or a `db.query()` was called from inside a running
 * transaction on the same SQLite connection: it would wait for itself
 * forever. Use the `tx` handle instead.
 */
export class NestedTransactionError extends Error {
  override readonly name = 'NestedTransactionError';
  constructor(what: string) {
    super(
      `${what} called on the Database from inside its own transaction; ` +
        'use the tx handle passed to transaction(fn) (nested transactions are not supported)',
    );
  }
}

/** A `tx` handle was used after its transaction committed or rolled back. */
export class TransactionFinishedError extends Error {
  override readonly name = 'TransactionFinishedError';
  constructor() {
    super(
      'transaction handle used after the transaction finished (missing await inside transaction(fn)?)',
    );
  }
}

/** Another connection held the SQLite write lock for longer than the busy timeout. */
export class DatabaseBusyError extends Error {
  override readonly name = 'DatabaseBusyError';
  constructor(
    readonly file: string,
    readonly waitedMs: number,
    options?: { cause?: unknown },
  ) {
    super(
      `SQLite database ${file} stayed locked by another connection for ${waitedMs} ms ` +
        '(another process writing? raise busyTimeoutMs)',
      options,
    );
  }
}

/** The database has migrations this build does not know (it was migrated by a newer version). */
export class SchemaTooNewError extends Error {
  override readonly name = 'SchemaTooNewError';
  constructor(
    readonly databaseVersion: number,
    readonly knownVersion: number,
  ) {
    super(
      `database schema is at version ${databaseVersion} but this build only knows up to ` +
        `${knownVersion}; upgrade QueueMed instead of running an older version on this database`,
    );
  }
}
