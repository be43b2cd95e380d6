import { describe } from 'vitest';
import { createSchemaUrl, warnIfNoPostgres } from '../db/test-support/postgres.js';
import { describeGuardOnTwoServers } from './board-guard-servers.js';

const skip = warnIfNoPostgres('board-guard-servers.pg.test.ts');

describe.skipIf(skip)('on PostgreSQL', () => {
  describeGuardOnTwoServers('one PostgreSQL schema', async () => {
    const schema = await createSchemaUrl();
    return { options: { databaseUrl: schema.url }, cleanup: schema.drop };
  });
});
