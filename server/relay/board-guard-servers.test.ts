import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeGuardOnTwoServers } from './board-guard-servers.js';

describeGuardOnTwoServers('one SQLite file', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'queuemed-guard-servers-'));
  return {
    options: { dataDir },
    cleanup: async () => fs.rmSync(dataDir, { recursive: true, force: true }),
  };
});
