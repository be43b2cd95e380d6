/**
 * The database side of ticket numbers per (clinic, clinic day): the counter
 * (`day_counters.next_number`), the pool of numbers devices gave back
 * (`returned_numbers`, issued again first, lowest first) and the counter of
 * device tags for offline series (`day_counters.next_tag`). Every statement
 * is one atomic upsert or delete, so instances sharing PostgreSQL never hand
 * out the same number or tag twice.
 */
import type { ClinicId } from '../../shared/ids.js';
import type { Day } from '../../shared/queue/index.js';
import type { Database } from '../db/types.js';

export interface NumberSequence {
  /** Reserves `size` consecutive fresh numbers of the clinic's day; resolves with the first. */
  reserve(clinicId: ClinicId, day: Day, size: number): Promise<number>;
  /** One number: the lowest given back, else the next of the counter. */
  next(clinicId: ClinicId, day: Day): Promise<number>;
  /** Numbers nobody holds any more go back to the pool. */
  giveBack(clinicId: ClinicId, day: Day, numbers: readonly number[]): Promise<void>;
  /** A fresh tag index for the day (0, 1, 2…). */
  nextTag(clinicId: ClinicId, day: Day): Promise<number>;
}

export function createNumberSequence(db: Database): NumberSequence {
  async function reserve(clinicId: ClinicId, day: Day, size: number): Promise<number> {
    if (!Number.isSafeInteger(size) || size < 1) throw new RangeError(`bad block size ${size}`);
    const rows = await db.query<{ next_number: number | string }>(
      `INSERT INTO day_counters (clinic_id, day, next_number)
       VALUES ($1, $2, 1 + CAST($3 AS BIGINT))
       ON CONFLICT (clinic_id, day)
       DO UPDATE SET next_number = day_counters.next_number + CAST($3 AS BIGINT)
       RETURNING next_number`,
      [clinicId, day, size],
    );
    return Number(rows[0]!.next_number) - size;
  }

  return {
    reserve,

    async next(clinicId, day) {
      // Two instances may pick the same lowest number: the row lock lets one
      // delete it, the other deletes nothing and takes a fresh number.
      const pooled = await db.query<{ number: number | string }>(
        `DELETE FROM returned_numbers
         WHERE clinic_id = $1 AND day = $2 AND number = (
           SELECT MIN(number) FROM returned_numbers WHERE clinic_id = $1 AND day = $2
         )
         RETURNING number`,
        [clinicId, day],
      );
      if (pooled.length > 0) return Number(pooled[0]!.number);
      return reserve(clinicId, day, 1);
    },

    async giveBack(clinicId, day, numbers) {
      for (const n of numbers) {
        if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`bad number ${n}`);
        await db.execute(
          `INSERT INTO returned_numbers (clinic_id, day, number) VALUES ($1, $2, $3)
           ON CONFLICT (clinic_id, day, number) DO NOTHING`,
          [clinicId, day, n],
        );
      }
    },

    async nextTag(clinicId, day) {
      const rows = await db.query<{ next_tag: number | string }>(
        `INSERT INTO day_counters (clinic_id, day, next_number, next_tag)
         VALUES ($1, $2, 1, 1)
         ON CONFLICT (clinic_id, day)
         DO UPDATE SET next_tag = day_counters.next_tag + 1
         RETURNING next_tag`,
        [clinicId, day],
      );
      return Number(rows[0]!.next_tag) - 1;
    },
  };
}
