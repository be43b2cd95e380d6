/**
 * Who writes under each Yjs clientID of a document (board documents): the
 * first authenticated connection that sends structs of a clientID claims it
 * for its user, for good. The forged-write guard (`board-guard.ts`) reads it
 * to refuse new structs of a clientID claimed by someone else — taking over
 * another user's clientID would let a writer speak in their name and occupy
 * the ids of their next edits.
 *
 * Persisted (table `doc_clients`, migration 9) so that every process of a
 * deployment agrees: a claim inserts if absent and then reads the owner
 * back, so of two processes racing to claim one clientID both see the same
 * winner. A memory registry serves tests and benchmarks.
 */
import type { DocName } from '../../shared/ids.js';
import type { Database } from '../db/types.js';

export interface ClientRegistry {
  /**
   * Claims each clientID of `doc` for `userId` unless it is claimed already;
   * resolves with the owner of every one of them (the caller's user or the
   * earlier claimant). Rejects when the database does.
   */
  claim(
    doc: DocName,
    clientIds: readonly number[],
    userId: string,
    now: number,
  ): Promise<Map<number, string>>;
}

/** Largest clientID Yjs generates (a uint32); anything else is bad input. */
const isClientId = (n: number): boolean => Number.isInteger(n) && n >= 0 && n <= 0xffff_ffff;

function checkClaim(clientIds: readonly number[], userId: string): void {
  for (const id of clientIds) {
    if (!isClientId(id)) throw new RangeError(`not a Yjs clientID: ${id}`);
  }
  if (userId === '') throw new RangeError('a clientID is claimed for a user id, not an empty one');
}

export function createSqlClientRegistry(db: Database): ClientRegistry {
  return {
    async claim(doc, clientIds, userId, now) {
      checkClaim(clientIds, userId);
      const owners = new Map<number, string>();
      if (clientIds.length === 0) return owners;
      const ids = [...new Set(clientIds)];
      await db.transaction(async (tx) => {
        for (const id of ids) {
          await tx.execute(
            `INSERT INTO doc_clients (doc, client_id, user_id, claimed_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (doc, client_id) DO NOTHING`,
            [doc, id, userId, now],
          );
        }
      });
      // Read back after the commit: the owner is whoever inserted first, here or elsewhere.
      const placeholders = ids.map((_, i) => `$${i + 2}`).join(', ');
      const rows = await db.query<{ client_id: number | string; user_id: string }>(
        `SELECT client_id, user_id FROM doc_clients WHERE doc = $1 AND client_id IN (${placeholders})`,
        [doc, ...ids],
      );
      for (const r of rows) owners.set(Number(r.client_id), r.user_id);
      return owners;
    },
  };
}

/** One process's registry in memory (tests, bench); share one object between relays to share claims. */
export function createMemoryClientRegistry(): ClientRegistry & {
  /** The owner of a clientID of `doc`, or undefined (for tests). */
  ownerOf(doc: DocName, clientId: number): string | undefined;
} {
  const byDoc = new Map<DocName, Map<number, string>>();
  return {
    async claim(doc, clientIds, userId) {
      checkClaim(clientIds, userId);
      let owners = byDoc.get(doc);
      if (!owners) byDoc.set(doc, (owners = new Map()));
      const result = new Map<number, string>();
      for (const id of clientIds) {
        if (!owners.has(id)) owners.set(id, userId);
        result.set(id, owners.get(id)!);
      }
      return result;
    },
    ownerOf: (doc, clientId) => byDoc.get(doc)?.get(clientId),
  };
}
