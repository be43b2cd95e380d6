/**
 * A room's awareness (presence): which connection owns which clientID, the
 * states it set with the authenticated user stamped in, and tombstones of
 * clientIDs that left. Relayed to writers only: read-only connections
 * (displays, patients) never receive staff presence.
 */
import { CloseCode, ProtocolError } from '../../shared/protocol.js';
import type { AwarenessEntry } from './awareness.js';
import {
  AwarenessDecodeError,
  decodeAwarenessUpdate,
  encodeAwarenessUpdate,
  stampState,
} from './awareness.js';
import type { Connection } from './connection.js';
import { awarenessFrame } from './frames.js';

interface AwarenessState {
  clock: number;
  json: string;
  owner: Connection;
}

/** Tombstoned clientIDs cannot be re-claimed (honest clients echo states they saw). */
const TOMBSTONE_MS = 30_000;

export class RoomAwareness {
  private readonly states = new Map<number, AwarenessState>();
  private readonly tombstones = new Map<number, number>();

  constructor(
    private readonly connections: ReadonlySet<Connection>,
    private readonly limits: { maxOwnedClients: number; maxAwarenessStateBytes: number },
    private readonly now: () => number,
  ) {}

  /**
   * An awareness message from a writer: decoded, its states for clientIDs
   * it owns stamped with the authenticated user and relayed. Throws a
   * ProtocolError for a malformed update, a flood, an oversized own state,
   * or more clientIDs than one connection may own.
   *
   * `charge` spends the connection's awareness budget; it is only spent on
   * a message that sets something of its own. The stock client echoes every
   * state it learns, so charging echoes would close every honest writer of
   * a room whenever one client floods (its states, then their removal).
   */
  receive(conn: Connection, payload: Uint8Array, charge: () => boolean): void {
    let entries;
    try {
      entries = decodeAwarenessUpdate(payload, 10_000);
    } catch (err) {
      throw new ProtocolError(CloseCode.invalidPayload, (err as AwarenessDecodeError).message);
    }
    const now = this.now();
    const echoOnly = entries.every(
      (e) =>
        !conn.owns(e.clientId) &&
        (this.states.has(e.clientId) ||
          (this.tombstones.get(e.clientId) ?? 0) > now ||
          e.json === 'null'),
    );
    if (!echoOnly && !charge()) throw new ProtocolError(CloseCode.rateLimited, 'awareness flood');
    const max = this.limits.maxAwarenessStateBytes;
    for (const e of entries) {
      if (e.json.length > max && conn.owns(e.clientId)) {
        throw new ProtocolError(CloseCode.rateLimited, 'awareness state too large');
      }
    }
    const user = conn.identity.user;
    const ok = this.apply(
      conn,
      entries.filter((e) => e.json.length <= max),
      (json) => stampState(json, user),
    );
    if (!ok) throw new ProtocolError(CloseCode.rateLimited, 'too many awareness clients');
  }

  get size(): number {
    return this.states.size;
  }

  /**
   * Applies the entries a connection may set (its own clientIDs) with the
   * authenticated user stamped in, and relays them to the other writers.
   * Returns false when the connection tries to own more clientIDs than allowed.
   */
  apply(
    conn: Connection,
    entries: readonly AwarenessEntry[],
    stamp: (json: string) => string | null,
  ): boolean {
    const now = this.now();
    const accepted: AwarenessEntry[] = [];
    for (const e of entries) {
      const current = this.states.get(e.clientId);
      if (!conn.owns(e.clientId)) {
        if (current !== undefined) continue; // someone else's state, echoed back
        const tomb = this.tombstones.get(e.clientId);
        if (tomb !== undefined && tomb > now) continue;
        if (e.json === 'null') continue;
        // First claim wins. A tab that learnt another tab's state over the stock
        // client's BroadcastChannel could echo it here first; our app disables BC.
        if (conn.ownedCount >= this.limits.maxOwnedClients) return false;
        conn.claim(e.clientId);
      }
      if (
        current !== undefined &&
        e.clock <= current.clock &&
        !(e.clock === current.clock && e.json === 'null')
      )
        continue;
      const json = stamp(e.json);
      if (json === null) continue;
      if (json === 'null') {
        this.states.delete(e.clientId);
      } else {
        this.states.set(e.clientId, { clock: e.clock, json, owner: conn });
      }
      accepted.push({ clientId: e.clientId, clock: e.clock, json });
    }
    if (accepted.length > 0) this.broadcast(accepted, conn);
    return true;
  }

  /** Removes a leaving connection's states and tells the other writers. */
  removeOwnedBy(conn: Connection): void {
    const removed: AwarenessEntry[] = [];
    const until = this.now() + TOMBSTONE_MS;
    for (const id of conn.ownedClients()) {
      const state = this.states.get(id);
      this.tombstones.set(id, until);
      if (state === undefined) continue;
      this.states.delete(id);
      removed.push({ clientId: id, clock: state.clock + 1, json: 'null' });
    }
    if (removed.length > 0) this.broadcast(removed, conn);
    this.pruneTombstones();
  }

  snapshotFrame(): Buffer {
    return awarenessFrame(
      encodeAwarenessUpdate(
        [...this.states].map(([clientId, s]) => ({ clientId, clock: s.clock, json: s.json })),
      ),
    );
  }

  private broadcast(entries: AwarenessEntry[], from: Connection): void {
    const frame = awarenessFrame(encodeAwarenessUpdate(entries));
    const now = this.now();
    for (const c of this.connections) {
      if (c !== from && c.canWrite && c.synced && !c.backlogged) c.send(frame, now);
    }
  }

  private pruneTombstones(): void {
    const now = this.now();
    for (const [id, until] of this.tombstones) if (until <= now) this.tombstones.delete(id);
  }
}
