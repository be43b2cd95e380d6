/**
 * Changes the server makes itself (HTTP API, number grants, settings
 * mirror): one shared domain operation run on the live documents, then the
 * same path as a client's write — appended, relayed, resolved once durable.
 */
import type * as Y from 'yjs';
import type { DocName } from '../../shared/ids.js';
import type { DocRoom } from './doc-room.js';
import type { RoomRegistry } from './room-registry.js';

/** A server-side change could not be stored: nothing changed; try again later. */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
  constructor(
    readonly doc: DocName,
    options?: { cause?: unknown },
  ) {
    super(`document ${doc} could not be stored`, options);
  }
}

export interface ServerChanges {
  change<T>(doc: DocName, fn: (doc: Y.Doc) => T): Promise<T>;
  changeMany<T>(docs: readonly DocName[], fn: (docs: Y.Doc[]) => T): Promise<T>;
  read<T>(doc: DocName, fn: (doc: Y.Doc) => T): Promise<T>;
}

export function createServerChanges(
  registry: RoomRegistry,
  isStopping: () => boolean,
): ServerChanges {
  /** Runs `fn` on loaded rooms; rooms that failed meanwhile are reloaded once. */
  async function withRooms<T>(
    names: readonly DocName[],
    fn: (rooms: DocRoom[]) => Promise<T>,
  ): Promise<T> {
    if (isStopping()) throw new StoreUnavailableError(names[0]!);
    for (let attempt = 0; ; attempt++) {
      const loaded = await Promise.all(names.map((n) => registry.get(n)));
      try {
        return await fn(loaded);
      } catch (err) {
        const failed = loaded.find((r) => r.failed);
        if (!failed) throw err;
        if (attempt >= 1) throw new StoreUnavailableError(failed.name, { cause: err });
      } finally {
        for (const room of loaded) if (room.idle) registry.release(room);
      }
    }
  }

  function changeMany<T>(names: readonly DocName[], fn: (docs: Y.Doc[]) => T): Promise<T> {
    return withRooms(names, async (loaded) => {
      for (const room of loaded) room.beginLocal();
      let outcome: { value: T } | { error: unknown };
      try {
        outcome = { value: fn(loaded.map((r) => r.doc)) };
      } catch (error) {
        outcome = { error };
      }
      // A throwing transaction still commits what it did: keep the store in step.
      await Promise.all(loaded.map((r) => r.commitLocal()));
      if ('error' in outcome) throw outcome.error;
      return outcome.value;
    });
  }

  return {
    changeMany,
    change: (name, fn) => changeMany([name], ([doc]) => fn(doc!)),
    read: (name, fn) =>
      withRooms([name], async ([room]) => {
        await room!.whenDurable();
        return fn(room!.doc);
      }),
  };
}
