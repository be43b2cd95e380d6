import { describe } from 'vitest';
import { openMigratedTestPostgres, warnIfNoPostgres } from '../db/test-support/postgres.js';
import { describeDisplayPairingRepo } from './displays-contract.js';

const skip = warnIfNoPostgres('displays.pg.test.ts');

describe.skipIf(skip)('display pairings on PostgreSQL', () => {
  describeDisplayPairingRepo('PostgreSQL', openMigratedTestPostgres);
});
