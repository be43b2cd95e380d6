/**
 * Counts local changes the relay has not acknowledged yet.
 *
 * The relay answers applied writes (debounced) with its sync step 1: its
 * state vector. A local transaction that inserted something advanced our
 * clientID's clock; it has reached the server once the server's clock for
 * that client is at least the clock after the transaction. A delete-only
 * transaction does not move any clock, so it counts as acknowledged by the
 * first server state vector received after it was sent.
 *
 * Changes restored from IndexedDB that were made in an earlier session
 * (another clientID) are counted once per such client while the server's
 * vector is behind ours for it.
 */
export interface UnsyncedTracker {
  /** A local transaction: `clockAfter` is our clientID's clock after it, null if delete-only. */
  local(clockAfter: number | null, sent: boolean): void;
  /** The connection (re)opened and everything pending went out with our sync step 2. */
  sentAll(): void;
  /** The relay's state vector arrived; `localVector` is ours at that moment. */
  serverVector(server: Map<number, number>, localVector: Map<number, number>): void;
  count(): number;
}

export function createUnsyncedTracker(clientID: number): UnsyncedTracker {
  /** Clock after each pending inserting transaction, ascending. */
  let clocks: number[] = [];
  /** Delete-only transactions: sent ones are acknowledged by the next server vector. */
  let deletesUnsent = 0;
  let deletesSent = 0;
  /** Earlier sessions' clients whose changes the server lacks. */
  let restored = 0;
  return {
    local(clockAfter, sent) {
      if (clockAfter === null) {
        if (sent) deletesSent++;
        else deletesUnsent++;
      } else clocks.push(clockAfter);
    },
    sentAll() {
      deletesSent += deletesUnsent;
      deletesUnsent = 0;
    },
    serverVector(server, localVector) {
      const acked = server.get(clientID) ?? 0;
      clocks = clocks.filter((c) => c > acked);
      deletesSent = 0;
      restored = 0;
      for (const [client, clock] of localVector) {
        if (client !== clientID && clock > (server.get(client) ?? 0)) restored++;
      }
    },
    count() {
      return clocks.length + deletesUnsent + deletesSent + restored;
    },
  };
}
