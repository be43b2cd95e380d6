import { describe } from 'vitest';
import { migrate } from '../db/migrations.js';
import {
  dropSchema,
  openTestPostgres,
  randomSchemaName,
  warnIfNoPostgres,
} from '../db/test-support/postgres.js';
import { describeAccountRepos } from './accounts-contract.js';

const skip = warnIfNoPostgres('accounts.pg.test.ts');

describe.skipIf(skip)('staff accounts on PostgreSQL', () => {
  describeAccountRepos('PostgreSQL', async () => {
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
