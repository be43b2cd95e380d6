import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../open.js';
import type { Database } from '../types.js';

/** A migrated SQLite database in a fresh temp directory, for the repository contract runs. */
export async function openTempSqlite(
  prefix: string,
): Promise<{ db: Database; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `queuemed-${prefix}-`));
  const db = await openDatabase({ dataDir: dir });
  return {
    db,
    cleanup: async () => {
      await db.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
