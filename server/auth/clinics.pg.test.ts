import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseClinicId } from '../../shared/ids.js';
import { migrate } from '../db/migrations.js';
import {
  dropSchema,
  openTestPostgres,
  randomSchemaName,
  warnIfNoPostgres,
} from '../db/test-support/postgres.js';
import type { Database } from '../db/types.js';
import { createClinicRepo, DuplicateClinicError } from './clinics.js';

const skip = warnIfNoPostgres('clinics.pg.test.ts');

describe.skipIf(skip)('clinic repository (PostgreSQL)', () => {
  const schema = randomSchemaName();
  let db: Database;

  beforeAll(async () => {
    db = await openTestPostgres(schema);
    await migrate(db);
  });
  afterAll(async () => {
    await db?.close();
    await dropSchema(schema);
  });

  it('adds, gets, lists and counts clinics, and refuses a duplicate id', async () => {
    const clinics = createClinicRepo(db);
    const added = await clinics.add(
      { id: parseClinicId('b'), name: 'B', resetTime: '03:00' },
      1_700_000_000_000,
    );
    await clinics.add({ id: parseClinicId('a'), name: 'A' }, 1);
    expect(await clinics.get(parseClinicId('b'))).toEqual(added);
    expect(added.createdAt).toBe(1_700_000_000_000);
    await expect(clinics.add({ id: parseClinicId('a'), name: 'again' }, 2)).rejects.toBeInstanceOf(
      DuplicateClinicError,
    );
    expect((await clinics.list()).map((c) => c.id)).toEqual(['a', 'b']);
    expect(await clinics.count()).toBe(2);
  });
  it('updates settings in place (one UPDATE with numbered parameters)', async () => {
    const clinics = createClinicRepo(db);
    await clinics.add({ id: parseClinicId('u'), name: 'U' }, 5);
    expect(
      await clinics.update(parseClinicId('u'), { name: 'U2', locale: 'en', resetTime: '06:00' }),
    ).toMatchObject({ id: 'u', name: 'U2', locale: 'en', resetTime: '06:00', createdAt: 5 });
    expect(await clinics.update(parseClinicId('nope'), { name: 'X' })).toBeNull();
  });
});
