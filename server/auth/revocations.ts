/**
 * The revocation log: every revoked credential (session, bearer token),
 * numbered by a counter the database orders, so every relay instance learns
 * of it within one poll whatever its clock says.
 *
 * A revoking transaction bumps `revocation_head.last_seq` — one row, updated
 * under its row lock like `doc_heads` — and inserts its rows with the seqs it
 * got. A second revoker waits for the first to commit, so seqs become
 * visible in order: a poller that has seen seq n has seen every seq below
 * it, and asking for `seq > n` never skips one. (A sequence or serial
 * column would not do: they are handed out at insert, committed in any
 * order.) Timestamps are kept for pruning only, never for polling.
 */
import type { Database, Queryable } from '../db/types.js';

/** Rows older than this are pruned: every instance polls every few seconds. */
export const REVOCATION_LOG_KEEP_MS = 7 * 24 * 3_600_000;

/**
 * Records revoked credential ids inside the caller's transaction (the one
 * that set their `revoked_at`), so the log and the credentials commit
 * together.
 */
export async function recordRevocations(
  tx: Queryable,
  credentialIds: readonly string[],
  now: number,
): Promise<void> {
  if (credentialIds.length === 0) return;
  const rows = await tx.query<{ last_seq: number }>(
    'UPDATE revocation_head SET last_seq = last_seq + $1 WHERE id = 1 RETURNING last_seq',
    [credentialIds.length],
  );
  const last = Number(rows[0]!.last_seq);
  let seq = last - credentialIds.length;
  for (const id of credentialIds) {
    await tx.execute(
      'INSERT INTO revocations (seq, credential_id, revoked_at) VALUES ($1, $2, $3)',
      [++seq, id, now],
    );
  }
  await tx.execute('DELETE FROM revocations WHERE revoked_at < $1', [now - REVOCATION_LOG_KEEP_MS]);
}

export interface RevocationFeed {
  /** The last seq handed out: where a new poller starts. */
  head(): Promise<number>;
  /** Credential ids revoked after `afterSeq`, in order, and the seq to ask after next time. */
  since(afterSeq: number): Promise<{ ids: string[]; seq: number }>;
}

export function createRevocationFeed(db: Database): RevocationFeed {
  return {
    async head() {
      const rows = await db.query<{ last_seq: number }>(
        'SELECT last_seq FROM revocation_head WHERE id = 1',
      );
      return Number(rows[0]?.last_seq ?? 0);
    },
    async since(afterSeq) {
      const rows = await db.query<{ seq: number; credential_id: string }>(
        'SELECT seq, credential_id FROM revocations WHERE seq > $1 ORDER BY seq',
        [afterSeq],
      );
      return {
        ids: rows.map((r) => r.credential_id),
        seq: rows.length > 0 ? Number(rows[rows.length - 1]!.seq) : afterSeq,
      };
    },
  };
}
