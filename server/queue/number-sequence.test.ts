import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../db/open.js';
import { describeNumberSequence } from './number-sequence-contract.js';

describeNumberSequence('SQLite, two connections on one file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'queuemed-numbers-'));
  const first = await openDatabase({ dataDir: dir });
  const second = await openDatabase({ dataDir: dir });
  return {
    dbs: [first, second],
    cleanup: async () => {
      await first.close();
      await second.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});
