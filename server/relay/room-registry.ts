/**
 * The loaded documents: loads each once (concurrent callers share the load),
 * unloads idle ones after `idleUnloadMs` (compacted first), drops a room
 * whose append failed so the next use reloads it from the store, and at
 * stop flushes and compacts every room.
 */
import type { DocName } from '../../shared/ids.js';
import { DocRoom, type RoomDeps } from './doc-room.js';

export class RoomRegistry {
  private readonly rooms = new Map<DocName, DocRoom>();
  private readonly loading = new Map<DocName, Promise<DocRoom>>();
  private readonly idleTimers = new Map<DocRoom, NodeJS.Timeout>();

  constructor(private readonly deps: RoomDeps) {
    deps.events.on('append-failed', ({ doc }) => {
      const room = this.rooms.get(doc);
      if (room?.failed) this.remove(room);
    });
  }

  get size(): number {
    return this.rooms.size;
  }

  all(): IterableIterator<DocRoom> {
    return this.rooms.values();
  }

  /** The loaded room, loading it if needed; rejects when the store cannot load it. */
  get(name: DocName): Promise<DocRoom> {
    const existing = this.rooms.get(name);
    if (existing) return Promise.resolve(existing);
    let p = this.loading.get(name);
    if (!p) {
      p = this.deps.store.load(name).then(
        (stored) => {
          const room = new DocRoom(name, stored, this.deps);
          this.rooms.set(name, room);
          this.deps.events.emit({ type: 'loaded', doc: name, loadedDocs: this.rooms.size });
          return room;
        },
        (error: unknown) => {
          this.deps.events.emit({ type: 'load-failed', doc: name, error });
          throw error;
        },
      );
      this.loading.set(name, p);
      p.finally(() => this.loading.delete(name)).catch(() => {});
    }
    return p;
  }

  /** A connection arrived: the room stays loaded. */
  keep(room: DocRoom): void {
    const timer = this.idleTimers.get(room);
    if (timer) {
      clearTimeout(timer);
      this.idleTimers.delete(room);
    }
  }

  /**
   * Schedules the unload of a room nobody uses (unless one is scheduled):
   * when the timer fires, a room that is idle then (no connections, nothing
   * in flight) is compacted and unloaded.
   */
  release(room: DocRoom): void {
    if (this.rooms.get(room.name) !== room || this.idleTimers.has(room)) return;
    const timer = setTimeout(() => {
      this.idleTimers.delete(room);
      if (!room.idle || this.rooms.get(room.name) !== room) return;
      this.rooms.delete(room.name);
      this.deps.events.emit({ type: 'unloaded', doc: room.name, loadedDocs: this.rooms.size });
      void room.compact().finally(() => room.destroy());
    }, this.deps.limits.idleUnloadMs);
    timer.unref();
    this.idleTimers.set(room, timer);
  }

  /** Restarts the idle countdown (the last connection just left). */
  restartIdle(room: DocRoom): void {
    this.keep(room);
    this.release(room);
  }

  private remove(room: DocRoom): void {
    this.keep(room);
    if (this.rooms.get(room.name) === room) this.rooms.delete(room.name);
    this.deps.events.emit({ type: 'unloaded', doc: room.name, loadedDocs: this.rooms.size });
    room.destroy();
  }

  /** Resolves once every load in flight has settled. */
  async loadsSettled(): Promise<void> {
    await Promise.allSettled([...this.loading.values()]);
  }

  /** Flushes every room (bounded) and writes final snapshots. */
  async stop(flushTimeoutMs = 10_000): Promise<void> {
    for (const timer of this.idleTimers.values()) clearTimeout(timer);
    this.idleTimers.clear();
    await this.loadsSettled();
    await Promise.allSettled(
      [...this.rooms.values()].map(async (room) => {
        await Promise.race([room.whenDurable(), delay(flushTimeoutMs)]);
        await room.compact();
      }),
    );
    for (const room of this.rooms.values()) room.destroy();
    this.rooms.clear();
  }
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
