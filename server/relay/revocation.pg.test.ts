import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe } from 'vitest';
import { createSchemaUrl, warnIfNoPostgres } from '../db/test-support/postgres.js';
import { describeRevocationAcrossServers } from './revocation-across-processes.js';

const skip = warnIfNoPostgres('revocation.pg.test.ts');

describe.skipIf(skip)('on PostgreSQL', () => {
  describeRevocationAcrossServers('PostgreSQL, one schema', async () => {
    const schema = await createSchemaUrl();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'queuemed-revoke-pg-'));
    return {
      at: { dataDir, databaseUrl: schema.url },
      cleanup: async () => {
        await schema.drop();
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  });
});
