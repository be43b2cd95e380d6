import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'vitest';
import { openDatabase } from '../db/open.js';
import { describeAccountRepos } from './accounts-contract.js';

describe('staff accounts on SQLite', () => {
  describeAccountRepos('SQLite', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'queuemed-accounts-'));
    const db = await openDatabase({ dataDir: dir });
    return {
      db,
      cleanup: async () => {
        await db.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  });
});
