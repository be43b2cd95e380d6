import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseDocName } from '../../shared/ids.js';
import { openDatabase } from '../db/open.js';
import { createSqlDocStore } from './sql-store.js';

const run = promisify(execFile);
const worker = fileURLToPath(new URL('./test-support/append-worker.ts', import.meta.url));

describe('SQLite store shared by several processes', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'queuemed-multiproc-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('migrates once and hands out unique, gap-free seqs to concurrent writers', async () => {
    const processes = 3;
    const perProcess = 40;
    const outputs = await Promise.all(
      Array.from({ length: processes }, (_, p) =>
        run(
          process.execPath,
          ['--import', 'tsx', worker, dir, 'queue:shared', String(perProcess), String(p)],
          {
            timeout: 30_000,
          },
        ),
      ),
    );
    const seqs = outputs.flatMap((o) => JSON.parse(o.stdout) as number[]);
    expect([...seqs].sort((a, b) => a - b)).toEqual(
      Array.from({ length: processes * perProcess }, (_, i) => i + 1),
    );

    const db = await openDatabase({ dataDir: dir });
    try {
      const loaded = await createSqlDocStore(db).load(parseDocName('queue:shared').name);
      expect(loaded.lastSeq).toBe(processes * perProcess);
      // Each process's updates are stored in the order it appended them.
      for (let p = 0; p < processes; p++) {
        const mine = loaded.updates.filter((u) => u[0] === p).map((u) => u[1]);
        expect(mine).toEqual(Array.from({ length: perProcess }, (_, i) => i));
      }
    } finally {
      await db.close();
    }
  });
});
