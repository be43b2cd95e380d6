/**
 * A seeded network of Y.Doc replicas for convergence tests (test support,
 * not shipped), doc-agnostic. Replicas exchange their updates over per-link
 * FIFO queues like WebSockets; links interleave randomly, sometimes reorder
 * or merge a batch, and are cut by partitions and offline periods; a replica
 * coming back runs a state-vector sync with replica 0 (the server), as
 * y-websocket does. Every local update is kept in `history`.
 */
import * as Y from 'yjs';

const REMOTE = Symbol('remote');

export interface MeshReplica {
  readonly index: number;
  readonly doc: Y.Doc;
  online: boolean;
  group: number;
}

interface Link {
  readonly from: MeshReplica;
  readonly to: MeshReplica;
  queue: Uint8Array[];
}

export class Mesh {
  readonly replicas: MeshReplica[] = [];
  /** Every update any replica produced locally: the whole history. */
  readonly history: Uint8Array[] = [];
  private links: Link[] = [];

  /** `initial` (the seeded doc's state) is applied to every replica first. */
  constructor(
    readonly rand: () => number,
    count: number,
    initial: Uint8Array,
  ) {
    this.history.push(initial);
    for (let i = 0; i < count; i++) {
      const doc = new Y.Doc();
      // Fixed, distinct client ids: conflict tie-breaks replay identically.
      doc.clientID = 1000 + i * 7919;
      Y.applyUpdate(doc, initial, REMOTE);
      const replica: MeshReplica = { index: i, doc, online: true, group: 0 };
      doc.on('update', (update: Uint8Array, origin: unknown) => {
        if (origin === REMOTE) return;
        this.history.push(update);
        for (const link of this.links) if (link.from === replica) link.queue.push(update);
      });
      this.replicas.push(replica);
    }
    for (const from of this.replicas)
      for (const to of this.replicas) if (from !== to) this.links.push({ from, to, queue: [] });
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.rand() * (max - min + 1));
  }

  pick<T>(list: readonly T[]): T | undefined {
    return list.length === 0 ? undefined : list[Math.floor(this.rand() * list.length)];
  }

  connected(a: MeshReplica, b: MeshReplica): boolean {
    return a.online && b.online && a.group === b.group;
  }

  /** Deliver part of what connected links carry, in a random interleaving. */
  deliverSome(fraction: number): void {
    const batches: Uint8Array[][] = [];
    const targets: MeshReplica[] = [];
    for (const link of this.links) {
      if (link.queue.length === 0 || !this.connected(link.from, link.to) || this.rand() >= fraction)
        continue;
      const n = fraction >= 1 ? link.queue.length : this.int(1, link.queue.length);
      const batch = link.queue.slice(0, n);
      link.queue = link.queue.slice(n);
      const shape = this.rand();
      if (shape < 0.02) batch.reverse();
      batches.push(shape > 0.5 && batch.length > 1 ? [Y.mergeUpdates(batch)] : batch);
      targets.push(link.to);
    }
    while (batches.length > 0) {
      const i = Math.floor(this.rand() * batches.length);
      Y.applyUpdate(targets[i]!.doc, batches[i]!.shift()!, REMOTE);
      if (batches[i]!.length === 0) {
        batches.splice(i, 1);
        targets.splice(i, 1);
      }
    }
  }

  /** What a reconnecting y-websocket client does: exchange state-vector diffs. */
  syncPair(a: MeshReplica, b: MeshReplica): void {
    Y.applyUpdate(b.doc, Y.encodeStateAsUpdate(a.doc, Y.encodeStateVector(b.doc)), REMOTE);
    Y.applyUpdate(a.doc, Y.encodeStateAsUpdate(b.doc, Y.encodeStateVector(a.doc)), REMOTE);
  }

  /** Random network weather: a replica goes offline or comes back, partitions form or heal. */
  weather(): void {
    const p = this.rand();
    if (p < 0.04) {
      const r = this.pick(this.replicas.slice(1))!;
      r.online = !r.online;
      if (r.online && this.connected(r, this.replicas[0]!)) this.syncPair(r, this.replicas[0]!);
    } else if (p < 0.06) {
      const groups = this.int(1, 3);
      for (const r of this.replicas) r.group = this.int(0, groups - 1);
    } else if (p < 0.075) {
      for (const r of this.replicas) r.group = 0;
    }
    this.deliverSome(this.rand() * 0.8);
  }

  /** Split the replicas into the given groups (others keep group 0). */
  partition(...groups: number[][]): void {
    groups.forEach((members, g) => {
      for (const i of members) this.replicas[i]!.group = g + 1;
    });
  }

  /** Heal every partition and exchange everything. */
  fullSync(): void {
    for (const r of this.replicas) {
      r.online = true;
      r.group = 0;
    }
    this.deliverSome(1);
    for (const r of this.replicas.slice(1)) this.syncPair(r, this.replicas[0]!);
  }

  /** A doc rebuilt only from the merged history. */
  rebuild(): Y.Doc {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.mergeUpdates(this.history));
    return doc;
  }
}
