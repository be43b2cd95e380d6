import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqlite } from './sqlite.js';
import type { Database } from './types.js';
import {
  DatabaseBusyError,
  DatabaseClosedError,
  NestedTransactionError,
  TransactionFinishedError,
} from './errors.js';

describe('openSqlite', () => {
  let dir: string;
  const opened: Database[] = [];
  const open = (file = join(dir, 'q.db'), busyTimeoutMs?: number): Database => {
    const db = openSqlite({ file, synchronous: 'normal', busyTimeoutMs });
    opened.push(db);
    return db;
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'queuemed-sqlite-'));
  });
  afterEach(async () => {
    for (const db of opened.splice(0)) await db.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('creates the data directory and uses WAL mode', async () => {
    const file = join(dir, 'nested', 'data', 'q.db');
    const db = open(file);
    expect(existsSync(file)).toBe(true);
    expect(await db.query('PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
    expect(await db.query('PRAGMA foreign_keys')).toEqual([{ foreign_keys: 1 }]);
    expect(db.dialect).toBe('sqlite');
  });

  it('applies the synchronous level', async () => {
    const db = openSqlite({ file: join(dir, 'full.db'), synchronous: 'full' });
    opened.push(db);
    expect(await db.query('PRAGMA synchronous')).toEqual([{ synchronous: 2 }]);
  });

  it('rejects an unknown synchronous level', () => {
    expect(() => openSqlite({ file: join(dir, 'x.db'), synchronous: 'fast' as 'full' })).toThrow(
      /synchronous/,
    );
  });

  it('binds $n placeholders, blobs, booleans and bigints', async () => {
    const db = open();
    await db.execute(
      'CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, data BLOB, flag INTEGER, big BIGINT)',
    );
    const changed = await db.execute(
      'INSERT INTO t (id, name, data, flag, big) VALUES ($1, $2, $3, $4, $5)',
      [1, 'one', Uint8Array.of(1, 2, 255), true, 2n ** 40n],
    );
    expect(changed).toBe(1);
    await db.execute('INSERT INTO t (name, id, flag) VALUES ($2, $1, $3)', [2, 'two', false]);

    const rows = await db.query<{
      id: number;
      name: string;
      data: Uint8Array | null;
      flag: number;
      big: number | null;
    }>('SELECT * FROM t WHERE id IN ($1, $2) ORDER BY id', [1, 2]);
    expect(rows[0]!.data).toBeInstanceOf(Uint8Array);
    expect([...rows[0]!.data!]).toEqual([1, 2, 255]);
    expect(rows.map((r) => [r.id, r.name, r.flag, r.big])).toEqual([
      [1, 'one', 1, 2 ** 40],
      [2, 'two', 0, null],
    ]);
  });

  it('returns rows from RETURNING through query and the change count through execute', async () => {
    const db = open();
    await db.execute('CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)');
    expect(await db.query('INSERT INTO t (v) VALUES ($1) RETURNING id', [7])).toEqual([{ id: 1 }]);
    expect(await db.query('INSERT INTO t (v) VALUES (8)')).toEqual([]);
    expect(await db.execute('UPDATE t SET v = v + 1')).toBe(2);
  });

  it('reports a missing parameter clearly', async () => {
    const db = open();
    await expect(db.query('SELECT $1, $2', [1])).rejects.toThrow(/uses \$2 but 1 parameter/);
  });

  it('commits a transaction when fn resolves and rolls back when it throws', async () => {
    const db = open();
    await db.execute('CREATE TABLE t (v INTEGER)');
    expect(await db.transaction(async (tx) => tx.execute('INSERT INTO t VALUES (1)'))).toBe(1);
    await expect(
      db.transaction(async (tx) => {
        await tx.execute('INSERT INTO t VALUES (2)');
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await db.query('SELECT v FROM t')).toEqual([{ v: 1 }]);
  });

  it('makes queries issued during a transaction wait until it ends', async () => {
    const db = open();
    await db.execute('CREATE TABLE t (v INTEGER)');
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const tx = db.transaction(async (t) => {
      await t.execute('INSERT INTO t VALUES (1)');
      await gate;
      throw new Error('rolled back');
    });
    await new Promise((resolve) => setImmediate(resolve));
    const outside = db.query('SELECT COUNT(*) AS n FROM t');
    const write = db.execute('INSERT INTO t VALUES (2)');
    release();
    await expect(tx).rejects.toThrow('rolled back');
    // Neither saw nor joined the rolled-back transaction.
    expect(await outside).toEqual([{ n: 0 }]);
    expect(await write).toBe(1);
    expect(await db.query('SELECT v FROM t')).toEqual([{ v: 2 }]);
  });

  it('runs concurrent transactions one after the other', async () => {
    const db = open();
    await db.execute('CREATE TABLE c (n INTEGER)');
    await db.execute('INSERT INTO c VALUES (0)');
    await Promise.all(
      Array.from({ length: 20 }, () =>
        db.transaction(async (tx) => {
          const [row] = await tx.query<{ n: number }>('SELECT n FROM c');
          await new Promise((resolve) => setImmediate(resolve));
          await tx.execute('UPDATE c SET n = $1', [row!.n + 1]);
        }),
      ),
    );
    expect(await db.query('SELECT n FROM c')).toEqual([{ n: 20 }]);
  });

  it('fails fast instead of deadlocking on a nested transaction or db query inside one', async () => {
    const db = open();
    await expect(db.transaction(() => db.transaction(async () => 1))).rejects.toBeInstanceOf(
      NestedTransactionError,
    );
    await expect(db.transaction(() => db.query('SELECT 1'))).rejects.toBeInstanceOf(
      NestedTransactionError,
    );
    expect(await db.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });

  it('rejects a tx handle used after its transaction ended', async () => {
    const db = open();
    let leaked: { query(sql: string): Promise<unknown> } | undefined;
    await db.transaction(async (tx) => {
      leaked = tx;
    });
    await expect(leaked!.query('SELECT 1')).rejects.toBeInstanceOf(TransactionFinishedError);
  });

  it('waits asynchronously for another connection holding the write lock', async () => {
    const file = join(dir, 'shared.db');
    const a = open(file);
    const b = open(file);
    await a.execute('CREATE TABLE t (v INTEGER)');
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const holding = a.transaction(async (tx) => {
      await tx.execute('INSERT INTO t VALUES (1)');
      await gate;
    });
    await new Promise((resolve) => setImmediate(resolve));
    const waiting = b.transaction((tx) => tx.execute('INSERT INTO t VALUES (2)'));
    // The event loop keeps running while b waits.
    await new Promise((resolve) => setTimeout(resolve, 30));
    release();
    await holding;
    expect(await waiting).toBe(1);
    expect(await b.query('SELECT v FROM t ORDER BY v')).toEqual([{ v: 1 }, { v: 2 }]);
  });

  it('gives up with DatabaseBusyError after busyTimeoutMs', async () => {
    const file = join(dir, 'busy.db');
    const a = open(file);
    const b = open(file, 50);
    await a.execute('CREATE TABLE t (v INTEGER)');
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const holding = a.transaction(async () => {
      await gate;
    });
    await new Promise((resolve) => setImmediate(resolve));
    await expect(b.execute('INSERT INTO t VALUES (1)')).rejects.toBeInstanceOf(DatabaseBusyError);
    release();
    await holding;
    expect(await b.execute('INSERT INTO t VALUES (1)')).toBe(1);
  });

  it('closes idempotently after running queries, then rejects new ones', async () => {
    const db = open();
    const pending = db.transaction(async (tx) => tx.query('SELECT 1 AS one'));
    const closing = db.close();
    expect(await pending).toEqual([{ one: 1 }]);
    await closing;
    await db.close();
    await expect(db.query('SELECT 1')).rejects.toBeInstanceOf(DatabaseClosedError);
    await expect(db.transaction(async () => 1)).rejects.toBeInstanceOf(DatabaseClosedError);
  });
});
