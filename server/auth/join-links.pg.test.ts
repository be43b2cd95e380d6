import { describe } from 'vitest';
import { openMigratedTestPostgres, warnIfNoPostgres } from '../db/test-support/postgres.js';
import { describeJoinLinkRepo } from './join-links-contract.js';

const skip = warnIfNoPostgres('join-links.pg.test.ts');

describe.skipIf(skip)('join links on PostgreSQL', () => {
  describeJoinLinkRepo('PostgreSQL', openMigratedTestPostgres);
});
