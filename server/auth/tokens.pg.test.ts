import { describe } from 'vitest';
import { openMigratedTestPostgres, warnIfNoPostgres } from '../db/test-support/postgres.js';
import { describeTokenRepo } from './tokens-contract.js';

const skip = warnIfNoPostgres('tokens.pg.test.ts');

describe.skipIf(skip)('tokens on PostgreSQL', () => {
  describeTokenRepo('PostgreSQL', openMigratedTestPostgres);
});
