/**
 * What the ticket-number sequence must do on every database: numbers one by
 * one, unique across connections (several server instances), numbers given
 * back issued again first and only once, device tags counted per day.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseClinicId } from '../../shared/ids.js';
import { parseDay } from '../../shared/queue/index.js';
import { createClinicRepo } from '../auth/clinics.js';
import type { Database } from '../db/types.js';
import { createNumberSequence, type NumberSequence } from './number-sequence.js';

export interface OpenedDatabases {
  /** Two connections (pools) on one database: two server instances. */
  readonly dbs: readonly [Database, Database];
  readonly cleanup: () => Promise<void>;
}

const clinic = parseClinicId('c1');
const day = parseDay('2026-12-02')!;
const nextDay = parseDay('2026-12-03')!;

export function describeNumberSequence(name: string, open: () => Promise<OpenedDatabases>): void {
  describe(`ticket number sequence (${name})`, () => {
    let opened: OpenedDatabases;
    let one: NumberSequence;
    let two: NumberSequence;
    beforeEach(async () => {
      opened = await open();
      await createClinicRepo(opened.dbs[0]).add({ id: clinic, name: 'Nord' }, 0);
      one = createNumberSequence(opened.dbs[0]);
      two = createNumberSequence(opened.dbs[1]);
    });
    afterEach(() => opened.cleanup());

    it('hands out numbers one by one, unique across two instances asking at once', async () => {
      const got = await Promise.all(
        Array.from({ length: 60 }, (_, i) => (i % 2 ? one : two).next(clinic, day)),
      );
      expect([...got].sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
      expect(await one.next(clinic, nextDay)).toBe(1);
    });

    it('issues numbers given back first, lowest first, and each only once', async () => {
      for (let i = 0; i < 5; i++) await one.next(clinic, day);
      await one.giveBack(clinic, day, [4, 2]);
      await two.giveBack(clinic, day, [2]);
      // Two instances racing for the lowest pooled number: the loser may take a
      // fresh one and leave the other pooled for the next ticket — never a duplicate.
      const got = await Promise.all([one.next(clinic, day), two.next(clinic, day)]);
      got.push(await one.next(clinic, day));
      expect([...got].sort((a, b) => a - b)).toEqual([2, 4, 6]);
      expect(got).toContain(2);
      expect(await one.next(clinic, day)).toBe(7);
    });

    it('reserves consecutive blocks from the same counter', async () => {
      expect(await one.reserve(clinic, day, 3)).toBe(1);
      expect(await two.next(clinic, day)).toBe(4);
      await expect(one.reserve(clinic, day, 0)).rejects.toThrow(RangeError);
    });

    it('counts device tags per day, apart from the numbers', async () => {
      const tags = await Promise.all([one.nextTag(clinic, day), two.nextTag(clinic, day)]);
      expect([...tags].sort()).toEqual([0, 1]);
      expect(await one.next(clinic, day)).toBe(1);
      expect(await one.nextTag(clinic, nextDay)).toBe(0);
    });
  });
}
