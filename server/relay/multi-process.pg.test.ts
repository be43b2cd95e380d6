/**
 * Two `queuemed serve` processes on one PostgreSQL database (a schema of
 * this test's own): clients write through both, both are stopped with
 * SIGTERM at once, one is restarted alone, and every acknowledged edit is
 * still there. `npm run soak` runs more rounds: MULTIPROCESS_ROUNDS.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dropSchema,
  randomSchemaName,
  TEST_DATABASE_URL,
  warnIfNoPostgres,
} from '../db/test-support/postgres.js';
import type { ServeTarget } from '../test-support/serve-process.js';
import { setUpClinic, twoProcessRound } from '../test-support/two-processes.js';

const skip = warnIfNoPostgres('multi-process.pg.test.ts');
const rounds = Number(process.env.MULTIPROCESS_ROUNDS ?? 3);
const schema = randomSchemaName();

/** The operator's way to pick a schema: libpq's `options` in the URL. */
function schemaUrl(): string {
  const url = new URL(TEST_DATABASE_URL!);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}

describe.skipIf(skip)('two server processes on one PostgreSQL database', () => {
  let target: ServeTarget;
  beforeAll(async () => {
    const pg = (await import('pg')).default;
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    await client.query(`CREATE SCHEMA "${schema}"`);
    await client.end();
    target = { args: ['--database-url', schemaUrl()] };
  });
  afterAll(() => dropSchema(schema));

  it(
    `keeps every acknowledged edit through both when both stop and one restarts (${rounds} rounds)`,
    async () => {
      const token = setUpClinic(target);
      for (let round = 0; round < rounds; round++) {
        const result = await twoProcessRound(target, token, round);
        expect(result.exitCodes, `round ${round}: clean exits`).toEqual([0, 0]);
        expect(result.acked, `round ${round}: edits acknowledged`).toBeGreaterThan(100);
        expect(
          result.lost,
          `round ${round}: ${result.lost.length} of ${result.acked} acknowledged edits lost`,
        ).toEqual([]);
      }
    },
    60_000 + rounds * 30_000,
  );
});
