import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, SQLITE_FILE_NAME } from './open.js';

describe('openDatabase', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'queuemed-open-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('opens a migrated SQLite file in the data directory when no URL is given', async () => {
    const db = await openDatabase({ dataDir: join(dir, 'data'), databaseUrl: null });
    try {
      expect(db.dialect).toBe('sqlite');
      expect(existsSync(join(dir, 'data', SQLITE_FILE_NAME))).toBe(true);
      expect(await db.query('SELECT COUNT(*) AS n FROM clinics')).toEqual([{ n: 0 }]);
    } finally {
      await db.close();
    }
  });

  it('rejects a URL that is not postgres://', async () => {
    await expect(openDatabase({ databaseUrl: 'mysql://localhost/q' })).rejects.toThrow(
      /expected postgres:\/\//,
    );
  });

  it('reports an unreachable PostgreSQL without leaking the password', async () => {
    const err = await openDatabase({ databaseUrl: 'postgres://u:secret@127.0.0.1:1/q' }).catch(
      (e: Error) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(
      /cannot connect to PostgreSQL at postgres:\/\/u:\*\*\*@127\.0\.0\.1:1\/q/,
    );
    expect((err as Error).message).not.toContain('secret');
  });
});
