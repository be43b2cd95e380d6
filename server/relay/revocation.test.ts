import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeRevocationAcrossServers } from './revocation-across-processes.js';

describeRevocationAcrossServers('SQLite, one file', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'queuemed-revoke-'));
  return {
    at: { dataDir },
    cleanup: async () => fs.rmSync(dataDir, { recursive: true, force: true }),
  };
});
