import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../db/open.js';
import { describeDisplayPairingRepo } from './displays-contract.js';

describeDisplayPairingRepo('SQLite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'queuemed-displays-'));
  const db = await openDatabase({ dataDir: dir });
  return {
    db,
    cleanup: async () => {
      await db.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});
