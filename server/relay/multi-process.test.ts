/**
 * Two `queuemed serve` processes on one SQLite file: clients write through
 * both, both are stopped with SIGTERM at once, one is restarted alone, and
 * every acknowledged edit is still there. (Before compaction stopped at the
 * contiguous prefix of applied seqs, about half of them were deleted.)
 * `npm run soak` runs more rounds: MULTIPROCESS_ROUNDS.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { expectNothingLostOverRounds } from '../test-support/two-processes.js';

const rounds = Number(process.env.MULTIPROCESS_ROUNDS ?? 3);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'queuemed-two-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('two server processes on one SQLite file', () => {
  it(
    `keeps every acknowledged edit through both when both stop and one restarts (${rounds} rounds)`,
    async () => {
      await expectNothingLostOverRounds(dataDir, rounds);
    },
    60_000 + rounds * 30_000,
  );
});
