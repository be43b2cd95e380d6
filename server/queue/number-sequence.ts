/**
 * The database sequence of ticket numbers per (clinic, clinic day): each
 * call reserves `size` consecutive numbers that no other device, server
 * instance or restart will ever get. One atomic upsert, so concurrent
 * instances sharing PostgreSQL never overlap.
 */
import type { ClinicId } from '../../shared/ids.js';
import type { Day } from '../../shared/queue/index.js';
import type { Database } from '../db/types.js';

export interface NumberSequence {
  /** Reserves `size` numbers of the clinic's day; resolves with the first. */
  reserve(clinicId: ClinicId, day: Day, size: number): Promise<number>;
}

export function createNumberSequence(db: Database): NumberSequence {
  return {
    async reserve(clinicId, day, size) {
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
    },
  };
}
