import { describe } from 'vitest';
import { migrate } from '../db/migrations.js';
import {
  dropSchema,
  openTestPostgres,
  randomSchemaName,
  warnIfNoPostgres,
} from '../db/test-support/postgres.js';
import { describeNumberSequence } from './number-sequence-contract.js';

const skip = warnIfNoPostgres('number-sequence.pg.test.ts');

describe.skipIf(skip)('on PostgreSQL', () => {
  describeNumberSequence('PostgreSQL, two pools on one schema', async () => {
    const schema = randomSchemaName();
    const first = await openTestPostgres(schema);
    await migrate(first);
    const second = await openTestPostgres(schema);
    return {
      dbs: [first, second],
      cleanup: async () => {
        await first.close();
        await second.close();
        await dropSchema(schema);
      },
    };
  });
});
