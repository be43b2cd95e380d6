import { describe } from 'vitest';
import { migrate } from '../db/migrations.js';
import {
  dropSchema,
  openTestPostgres,
  randomSchemaName,
  warnIfNoPostgres,
} from '../db/test-support/postgres.js';
import { describeTokenRepo } from './tokens-contract.js';

const skip = warnIfNoPostgres('tokens.pg.test.ts');

describe.skipIf(skip)('tokens on PostgreSQL', () => {
  describeTokenRepo('PostgreSQL', async () => {
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
  });
});
