/**
 * Two `queuemed serve` processes on one PostgreSQL database (a schema of
 * this test's own): clients write through both, both are stopped with
 * SIGTERM at once, one is restarted alone, and every acknowledged edit is
 * still there. `npm run soak` runs more rounds: MULTIPROCESS_ROUNDS.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { createSchemaUrl, warnIfNoPostgres } from '../db/test-support/postgres.js';
import { expectNothingLostOverRounds } from '../test-support/two-processes.js';

const skip = warnIfNoPostgres('multi-process.pg.test.ts');
const rounds = Number(process.env.MULTIPROCESS_ROUNDS ?? 3);

describe.skipIf(skip)('two server processes on one PostgreSQL database', () => {
  let schema: Awaited<ReturnType<typeof createSchemaUrl>>;
  beforeAll(async () => {
    schema = await createSchemaUrl();
  });
  afterAll(() => schema?.drop());

  it(
    `keeps every acknowledged edit through both when both stop and one restarts (${rounds} rounds)`,
    async () => {
      await expectNothingLostOverRounds({ args: ['--database-url', schema.url] }, rounds);
    },
    60_000 + rounds * 30_000,
  );
});
