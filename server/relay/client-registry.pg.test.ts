import { describe } from 'vitest';
import { openMigratedTestPostgres, warnIfNoPostgres } from '../db/test-support/postgres.js';
import { describeClientRegistry } from './client-registry-contract.js';
import { createSqlClientRegistry } from './client-registry.js';

const skip = warnIfNoPostgres('client-registry.pg.test.ts');

describe.skipIf(skip)('client registry on PostgreSQL', () => {
  describeClientRegistry('PostgreSQL', async () => {
    const { db, cleanup } = await openMigratedTestPostgres();
    return { registries: [createSqlClientRegistry(db), createSqlClientRegistry(db)], cleanup };
  });
});
