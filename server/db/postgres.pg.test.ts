import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS, migrate } from './migrations.js';
import {
  dropSchema,
  openTestPostgres,
  randomSchemaName,
  warnIfNoPostgres,
} from './test-support/postgres.js';
import type { Database } from './types.js';
import { DatabaseClosedError, TransactionFinishedError } from './errors.js';

const skip = warnIfNoPostgres('postgres.pg.test.ts');

describe.skipIf(skip)('openPostgres', () => {
  const schema = randomSchemaName();
  let db: Database;

  beforeAll(async () => {
    db = await openTestPostgres(schema);
  });
  afterAll(async () => {
    await db?.close();
    await dropSchema(schema);
  });

  it('works inside its own schema on every pooled connection', async () => {
    const rows = await Promise.all(
      Array.from({ length: 12 }, () => db.query<{ s: string }>('SELECT current_schema() AS s')),
    );
    expect(new Set(rows.map((r) => r[0]!.s))).toEqual(new Set([schema]));
    expect(db.dialect).toBe('postgres');
  });

  it('returns BIGINT as numbers and BYTEA as bytes', async () => {
    await db.execute('CREATE TABLE kinds (id BIGINT PRIMARY KEY, data BYTEA, flag BOOLEAN)');
    await db.execute('INSERT INTO kinds VALUES ($1, $2, $3)', [
      1_700_000_000_000,
      Uint8Array.of(0, 1, 255),
      true,
    ]);
    const [row] = await db.query<{ id: number; data: Uint8Array; flag: boolean; n: number }>(
      'SELECT id, data, flag, COUNT(*) OVER () AS n FROM kinds',
    );
    expect(row!.id).toBe(1_700_000_000_000);
    expect(row!.n).toBe(1);
    expect(row!.data).toBeInstanceOf(Uint8Array);
    expect([...row!.data]).toEqual([0, 1, 255]);
    expect(row!.flag).toBe(true);
  });

  it('keeps precision for BIGINT beyond 2^53 by returning a bigint', async () => {
    const [row] = await db.query<{ v: unknown }>('SELECT 9007199254740993::bigint AS v');
    expect(row!.v).toBe(9007199254740993n);
  });

  it('commits or rolls back a transaction on one connection', async () => {
    await db.execute('CREATE TABLE tx_test (v INTEGER)');
    await db.transaction((tx) => tx.execute('INSERT INTO tx_test VALUES (1)'));
    await expect(
      db.transaction(async (tx) => {
        await tx.execute('INSERT INTO tx_test VALUES (2)');
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await db.query('SELECT v FROM tx_test')).toEqual([{ v: 1 }]);
  });

  it('rejects a tx handle used after its transaction ended', async () => {
    let leaked: { query(sql: string): Promise<unknown> } | undefined;
    await db.transaction(async (tx) => {
      leaked = tx;
    });
    await expect(leaked!.query('SELECT 1')).rejects.toBeInstanceOf(TransactionFinishedError);
  });

  it('migrates once when two pools migrate the same schema at once', async () => {
    const other = randomSchemaName();
    const [a, b] = await Promise.all([openTestPostgres(other), openTestPostgres(other)]);
    try {
      const [ra, rb] = await Promise.all([migrate(a), migrate(b)]);
      expect([ra.applied.length, rb.applied.length].sort()).toEqual([0, MIGRATIONS.length]);
      expect(await a.query('SELECT COUNT(*) AS n FROM schema_migrations')).toEqual([
        { n: MIGRATIONS.length },
      ]);
    } finally {
      await a.close();
      await b.close();
      await dropSchema(other);
    }
  });

  it('rejects queries after close', async () => {
    const other = await openTestPostgres(schema);
    await other.close();
    await other.close();
    await expect(other.query('SELECT 1')).rejects.toBeInstanceOf(DatabaseClosedError);
  });
});
