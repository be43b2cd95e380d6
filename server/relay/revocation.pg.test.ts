import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { describe } from 'vitest';
import {
  dropSchema,
  randomSchemaName,
  TEST_DATABASE_URL,
  warnIfNoPostgres,
} from '../db/test-support/postgres.js';
import { describeRevocationAcrossServers } from './revocation-across-processes.js';

const skip = warnIfNoPostgres('revocation.pg.test.ts');

describe.skipIf(skip)('on PostgreSQL', () => {
  describeRevocationAcrossServers('PostgreSQL, one schema', async () => {
    const schema = randomSchemaName();
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    await client.query(`CREATE SCHEMA "${schema}"`);
    await client.end();
    const url = new URL(TEST_DATABASE_URL!);
    url.searchParams.set('options', `-c search_path=${schema}`);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'queuemed-revoke-pg-'));
    return {
      at: { dataDir, databaseUrl: url.toString() },
      cleanup: async () => {
        await dropSchema(schema);
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  });
});
