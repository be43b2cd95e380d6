import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidIdError, parseClinicId, type ClinicId } from '../../shared/ids.js';
import { openDatabase } from '../db/open.js';
import type { Database } from '../db/types.js';
import {
  createClinicRepo,
  DuplicateClinicError,
  InvalidClinicError,
  type ClinicRepo,
} from './clinics.js';

describe('clinic repository (SQLite)', () => {
  let dir: string;
  let db: Database;
  let clinics: ClinicRepo;
  const id = (s: string): ClinicId => parseClinicId(s);

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'queuemed-clinics-'));
    db = await openDatabase({ dataDir: dir });
    clinics = createClinicRepo(db);
  });
  afterEach(async () => {
    await db.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('adds a clinic with the default timezone, locale and reset time', async () => {
    const added = await clinics.add({ id: id('north'), name: '  Cabinet Nord ' }, 1000);
    expect(added).toEqual({
      id: 'north',
      name: 'Cabinet Nord',
      timezone: 'Europe/Paris',
      locale: 'fr',
      resetTime: '00:00',
      createdAt: 1000,
    });
    expect(await clinics.get(id('north'))).toEqual(added);
  });

  it('stores the given timezone, locale and reset time', async () => {
    await clinics.add(
      {
        id: id('mtl'),
        name: 'Montréal',
        timezone: 'America/Toronto',
        locale: 'en',
        resetTime: '04:30',
      },
      1,
    );
    expect(await clinics.get(id('mtl'))).toMatchObject({
      timezone: 'America/Toronto',
      locale: 'en',
      resetTime: '04:30',
    });
  });

  it('returns null for an unknown clinic', async () => {
    expect(await clinics.get(id('nowhere'))).toBeNull();
  });

  it('throws DuplicateClinicError for a taken id and keeps the first clinic', async () => {
    await clinics.add({ id: id('dup'), name: 'First' }, 1);
    const err = await clinics.add({ id: id('dup'), name: 'Second' }, 2).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DuplicateClinicError);
    expect((err as DuplicateClinicError).clinicId).toBe('dup');
    expect((err as Error).message).toBe('clinic dup already exists');
    expect((await clinics.get(id('dup')))?.name).toBe('First');
  });

  it('lists clinics by id and counts them', async () => {
    expect(await clinics.count()).toBe(0);
    await clinics.add({ id: id('b'), name: 'B' }, 1);
    await clinics.add({ id: id('a'), name: 'A' }, 2);
    expect((await clinics.list()).map((c) => c.id)).toEqual(['a', 'b']);
    expect(await clinics.count()).toBe(2);
  });

  it('rejects invalid fields with InvalidClinicError naming the field', async () => {
    const cases = [
      [{ name: '   ' }, 'name'],
      [{ name: 'x'.repeat(201) }, 'name'],
      [{ name: 'X', timezone: 'Mars/Olympus' }, 'timezone'],
      [{ name: 'X', locale: 'not a locale!' }, 'locale'],
      [{ name: 'X', resetTime: '24:00' }, 'resetTime'],
      [{ name: 'X', resetTime: '7:00' }, 'resetTime'],
    ] as const;
    for (const [fields, field] of cases) {
      const err = await clinics.add({ id: id('bad'), ...fields }, 1).catch((e: unknown) => e);
      expect(err, JSON.stringify(fields)).toBeInstanceOf(InvalidClinicError);
      expect((err as InvalidClinicError).field).toBe(field);
    }
    expect(await clinics.count()).toBe(0);
  });

  it('rejects an id that is not a clinic id', async () => {
    await expect(clinics.add({ id: 'Not Valid' as ClinicId, name: 'X' }, 1)).rejects.toBeInstanceOf(
      InvalidIdError,
    );
  });
  it('updates the given settings only, validated like add, and answers null for an unknown clinic', async () => {
    await clinics.add({ id: id('north'), name: 'Cabinet Nord' }, 1000);
    const updated = await clinics.update(id('north'), { name: ' Nord ', resetTime: '05:15' });
    expect(updated).toEqual({
      id: 'north',
      name: 'Nord',
      timezone: 'Europe/Paris',
      locale: 'fr',
      resetTime: '05:15',
      createdAt: 1000,
    });
    expect(
      await clinics.update(id('north'), { timezone: 'America/Toronto', locale: 'en' }),
    ).toMatchObject({
      name: 'Nord',
      timezone: 'America/Toronto',
      locale: 'en',
    });
    await expect(
      clinics.update(id('north'), { timezone: 'Mars/Base', name: 'X' }),
    ).rejects.toBeInstanceOf(InvalidClinicError);
    expect(await clinics.get(id('north'))).toMatchObject({ name: 'Nord' });
    expect(await clinics.update(id('nowhere'), { name: 'X' })).toBeNull();
    expect(await clinics.update(id('north'), {})).toEqual(await clinics.get(id('north')));
  });
});
