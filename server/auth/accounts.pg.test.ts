import { describe } from 'vitest';
import { openMigratedTestPostgres, warnIfNoPostgres } from '../db/test-support/postgres.js';
import { describeAccountRepos } from './accounts-contract.js';

const skip = warnIfNoPostgres('accounts.pg.test.ts');

describe.skipIf(skip)('staff accounts on PostgreSQL', () => {
  describeAccountRepos('PostgreSQL', openMigratedTestPostgres);
});
