/**
 * PostgreSQL for `*.pg.test.ts`: each caller gets its own random schema,
 * dropped afterwards. Tests skip (loudly) when TEST_DATABASE_URL is unset.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrate } from '../migrations.js';
import { openPostgres } from '../postgres.js';
import type { Database } from '../types.js';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;

/** Call at the top of a pg test file: logs why its tests are skipped. */
export function warnIfNoPostgres(file: string): boolean {
  if (TEST_DATABASE_URL) return false;
  console.warn(`[${file}] skipping PostgreSQL tests: TEST_DATABASE_URL is not set`);
  return true;
}

export const randomSchemaName = (): string => `qm_test_${randomBytes(6).toString('hex')}`;

export async function openTestPostgres(schema: string): Promise<Database> {
  if (!TEST_DATABASE_URL) throw new Error('TEST_DATABASE_URL is not set');
  return openPostgres({ url: TEST_DATABASE_URL, schema });
}

export async function dropSchema(schema: string): Promise<void> {
  if (!TEST_DATABASE_URL) return;
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** A migrated database in a schema of its own, and how to drop it afterwards. */
export async function openMigratedTestPostgres(): Promise<{
  db: Database;
  cleanup: () => Promise<void>;
}> {
  const schema = randomSchemaName();
  const db = await openTestPostgres(schema);
  await migrate(db);
  return {
    db,
    cleanup: async () => {
      await db.close();
      await dropSchema(schema);
    },
  };
}

/**
 * A schema of its own and the URL an operator would give a server process
 * for it (libpq's `options` selects the search path).
 */
export async function createSchemaUrl(): Promise<{ url: string; drop: () => Promise<void> }> {
  if (!TEST_DATABASE_URL) throw new Error('TEST_DATABASE_URL is not set');
  const schema = randomSchemaName();
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA "${schema}"`);
  } finally {
    await client.end();
  }
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return { url: url.toString(), drop: () => dropSchema(schema) };
}
