import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, migrate, type Migration } from './migrations.js';
import { openSqlite } from './sqlite.js';
import type { Database } from './types.js';
import { SchemaTooNewError } from './errors.js';

const LATEST = MIGRATIONS.at(-1)!.version;

describe('migrate on SQLite', () => {
  let dir: string;
  const opened: Database[] = [];
  const open = (name = 'q.db'): Database => {
    const db = openSqlite({ file: join(dir, name), synchronous: 'normal' });
    opened.push(db);
    return db;
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'queuemed-migrate-'));
  });
  afterEach(async () => {
    for (const db of opened.splice(0)) await db.close();
    await rm(dir, { recursive: true, force: true });
  });

  const tables = async (db: Database): Promise<string[]> =>
    (
      await db.query<{ name: string }>(
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
      )
    ).map((r) => r.name);

  it('creates every table and records each version once', async () => {
    const db = open();
    expect(await migrate(db, { now: () => 42 })).toEqual({
      applied: MIGRATIONS.map((m) => m.version),
      version: LATEST,
    });
    expect(await tables(db)).toEqual(
      expect.arrayContaining([
        'clinics',
        'tokens',
        'doc_heads',
        'doc_snapshots',
        'doc_updates',
        'schema_migrations',
      ]),
    );
    const recorded = await db.query(
      'SELECT version, applied_at FROM schema_migrations ORDER BY version',
    );
    expect(recorded).toEqual(MIGRATIONS.map((m) => ({ version: m.version, applied_at: 42 })));
  });

  it('does nothing the second time', async () => {
    const db = open();
    await migrate(db);
    expect(await migrate(db)).toEqual({ applied: [], version: LATEST });
  });

  it('applies the clinic defaults', async () => {
    const db = open();
    await migrate(db);
    await db.execute("INSERT INTO clinics (id, name, created_at) VALUES ('c', 'C', 1)");
    expect(await db.query('SELECT timezone, locale, reset_time FROM clinics')).toEqual([
      { timezone: 'Europe/Paris', locale: 'fr', reset_time: '00:00' },
    ]);
  });

  it('is safe when two connections migrate the same file at once', async () => {
    const a = open('shared.db');
    const b = open('shared.db');
    const [ra, rb] = await Promise.all([migrate(a), migrate(b)]);
    // Exactly one of them did the work.
    expect([ra.applied.length, rb.applied.length].sort()).toEqual([0, MIGRATIONS.length]);
    expect(await b.query('SELECT COUNT(*) AS n FROM schema_migrations')).toEqual([
      { n: MIGRATIONS.length },
    ]);
  });

  it('applies only the new migrations of a later release', async () => {
    const db = open();
    await migrate(db);
    const next: Migration = {
      version: LATEST + 1,
      name: 'later',
      sqlite: ['CREATE TABLE later (id TEXT PRIMARY KEY)'],
      postgres: ['CREATE TABLE later (id TEXT PRIMARY KEY)'],
    };
    expect(await migrate(db, { migrations: [...MIGRATIONS, next] })).toEqual({
      applied: [LATEST + 1],
      version: LATEST + 1,
    });
    expect(await tables(db)).toContain('later');
  });

  it('rolls back every statement of a failing migration and names it', async () => {
    const db = open();
    const broken: Migration = {
      version: LATEST + 1,
      name: 'broken',
      sqlite: ['CREATE TABLE half (id TEXT)', 'CREATE TABLE oops ('],
      postgres: [],
    };
    await expect(migrate(db, { migrations: [...MIGRATIONS, broken] })).rejects.toThrow(
      `migration ${LATEST + 1} (broken) failed on sqlite`,
    );
    expect(await tables(db)).toEqual([]);
  });

  it('refuses a database migrated by a newer release', async () => {
    const db = open();
    await migrate(db);
    await db.execute(
      "INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 0)",
    );
    await expect(migrate(db)).rejects.toBeInstanceOf(SchemaTooNewError);
  });

  it('rejects migrations listed out of order', async () => {
    const db = open();
    await expect(migrate(db, { migrations: [MIGRATIONS[1]!, MIGRATIONS[0]!] })).rejects.toThrow(
      /strictly increasing/,
    );
  });
});
