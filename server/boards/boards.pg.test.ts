import { describe } from 'vitest';
import { openMigratedTestPostgres, warnIfNoPostgres } from '../db/test-support/postgres.js';
import { describeBoardRepo } from './boards-contract.js';

const skip = warnIfNoPostgres('boards.pg.test.ts');

describe.skipIf(skip)('boards on PostgreSQL', () => {
  describeBoardRepo('PostgreSQL', openMigratedTestPostgres);
});
