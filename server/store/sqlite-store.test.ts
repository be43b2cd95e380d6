import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseDocName } from '../../shared/ids.js';
import { migrate } from '../db/migrations.js';
import { openSqlite } from '../db/sqlite.js';
import type { Database, Queryable } from '../db/types.js';
import { createSqlDocStore } from './sql-store.js';
import { describeDocStoreContract } from './store-contract.js';
import type { DocStore } from './types.js';

async function openStore(file: string): Promise<DocStore> {
  const db = openSqlite({ file, synchronous: 'normal' });
  await migrate(db);
  return createSqlDocStore(db, { closeDatabase: true });
}

describeDocStoreContract('sqlite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'queuemed-store-'));
  const file = join(dir, 'data', 'queuemed.db');
  const opened: DocStore[] = [await openStore(file)];
  return {
    store: opened[0]!,
    openAnother: async () => {
      const store = await openStore(file);
      opened.push(store);
      return store;
    },
    cleanup: async () => {
      for (const store of opened) await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

describe('sql store on sqlite: transaction failures', () => {
  let dir: string;
  let db: Database;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'queuemed-store-'));
    db = openSqlite({ file: join(dir, 'q.db'), synchronous: 'normal' });
    await migrate(db);
  });
  afterEach(async () => {
    await db.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** The same database, except that inserting updates fails inside the transaction. */
  const failingInserts = (inner: Database): Database => ({
    dialect: inner.dialect,
    query: (sql, params) => inner.query(sql, params),
    execute: (sql, params) => inner.execute(sql, params),
    close: () => inner.close(),
    transaction: (fn) =>
      inner.transaction((tx) => {
        const broken: Queryable = {
          query: (sql, params) => tx.query(sql, params),
          execute: (sql, params) =>
            sql.includes('INSERT INTO doc_updates')
              ? Promise.reject(new Error('disk full'))
              : tx.execute(sql, params),
        };
        return fn(broken);
      }),
  });

  it('rolls back the seq bump when inserting the updates fails', async () => {
    const doc = parseDocName('queue:a').name;
    const good = createSqlDocStore(db);
    await good.appendMany([{ doc, update: Uint8Array.of(1) }]);

    const bad = createSqlDocStore(failingInserts(db));
    await expect(bad.appendMany([{ doc, update: Uint8Array.of(2) }])).rejects.toThrow('disk full');

    expect(await good.load(doc)).toMatchObject({ lastSeq: 1 });
    expect(await good.appendMany([{ doc, update: Uint8Array.of(3) }])).toEqual([2]);
  });

  it('does not close a shared database unless asked to', async () => {
    const store = createSqlDocStore(db);
    await store.close();
    expect(await db.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });

  it('writes a batch larger than one multi-row insert', async () => {
    const store = createSqlDocStore(db);
    const docs = ['a', 'b', 'c'].map((id) => parseDocName(`queue:${id}`).name);
    const items = Array.from({ length: 1000 }, (_, i) => ({
      doc: docs[i % 3]!,
      update: Uint8Array.of(i & 0xff, i >> 8),
    }));
    const seqs = await store.appendMany(items);
    expect(seqs.slice(0, 6)).toEqual([1, 1, 1, 2, 2, 2]);
    const a = await store.load(docs[0]!);
    expect(a.lastSeq).toBe(334);
    expect(a.updates.map((u) => u[0]! | (u[1]! << 8))).toEqual(
      Array.from({ length: 334 }, (_, k) => 3 * k).map((i) => i),
    );
  });
});
