/**
 * What every command is given: the process's arguments, environment,
 * working directory, output streams, stdin and shutdown signals — read by
 * `server/main.ts` and nowhere else — plus the shared argument parsing and
 * storage flags.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { resolveStorage, type Env, type StorageFlags } from '../config.js';
import { openDatabase } from '../db/open.js';
import type { Database } from '../db/types.js';

export interface Io {
  readonly env: Env;
  readonly cwd: string;
  out(line: string): void;
  err(line: string): void;
  /** All of stdin (for --password-stdin). */
  readonly readStdin?: () => Promise<string>;
  /** Resolves with the signal's name when the process is asked to stop (SIGTERM, SIGINT). */
  readonly stopRequested?: () => Promise<string>;
}

/** A mistake in the command line: exit code 2 and the message. */
export class UsageError extends Error {}

export const STORAGE_OPTIONS = {
  data: { type: 'string' },
  'database-url': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

export const STORAGE_HELP = `  --data DIR            SQLite data directory (env DATA_DIR, default ./data)
  --database-url URL    PostgreSQL instead of SQLite (env DATABASE_URL)`;

export function parse<O extends ParseArgsConfig['options']>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** Opens the configured database for one command and closes it afterwards. */
export async function withStorage<T>(
  flags: StorageFlags,
  io: Io,
  fn: (db: Database) => Promise<T>,
): Promise<T> {
  const db = await openDatabase(resolveStorage(flags, io.env, io.cwd));
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

/** `--help` → usage on stdout, exit 0; a missing or unknown subcommand → usage on stderr, exit 2. */
export function usage(io: Io, text: string, asked: boolean): number {
  io[asked ? 'out' : 'err'](text);
  return asked ? 0 : 2;
}

export const isHelp = (arg: string | undefined): boolean =>
  arg === '--help' || arg === '-h' || arg === 'help';

export const noClinic = (id: string): UsageError =>
  new UsageError(`no clinic ${id} (create it with \`queuemed clinic add\`)`);
