import { join } from 'node:path';
import type { Database } from './types.js';
import { migrate } from './migrations.js';
import { openPostgres } from './postgres.js';
import { openSqlite, type SqliteSynchronous } from './sqlite.js';

export interface OpenDatabaseOptions {
  /** Directory of the SQLite file `queuemed.db`. Default `./data`. Ignored with a databaseUrl. */
  readonly dataDir?: string;
  /** `postgres://…` or `postgresql://…` selects PostgreSQL; unset, null or empty selects SQLite. */
  readonly databaseUrl?: string | null;
  /** SQLite fsync level. Default `normal` (survives a killed process; `full` survives power loss). */
  readonly synchronous?: SqliteSynchronous;
  /** SQLite: how long to wait for another process's write lock. Default 5000. */
  readonly busyTimeoutMs?: number;
  /** PostgreSQL: schema to use (created if missing). */
  readonly schema?: string;
}

export const SQLITE_FILE_NAME = 'queuemed.db';

/** Opens the configured database and brings its schema up to date. */
export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<Database> {
  const url = options.databaseUrl?.trim();
  let db: Database;
  if (url) {
    if (!/^postgres(ql)?:\/\//i.test(url)) {
      throw new Error(
        `unsupported database URL scheme in ${JSON.stringify(url.split(':')[0])}: ` +
          'expected postgres:// or postgresql:// (leave it unset to use SQLite in the data directory)',
      );
    }
    db = await openPostgres({ url, schema: options.schema });
  } else {
    db = openSqlite({
      file: join(options.dataDir ?? './data', SQLITE_FILE_NAME),
      synchronous: options.synchronous ?? 'normal',
      busyTimeoutMs: options.busyTimeoutMs,
    });
  }
  try {
    await migrate(db);
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
  return db;
}
