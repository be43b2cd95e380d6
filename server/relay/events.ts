/**
 * What the relay announces. Metrics and logs subscribe here today; the
 * Redis bridge, analytics and webhooks will subscribe the same way, instead
 * of being called from inside the write path.
 */
import type { DocName } from '../../shared/ids.js';
import type { Connection } from './connection.js';
import type { ChangeOrigin } from './origin.js';

export type RelayEvent =
  /** Changes became durable and were relayed, in order (one batch, merged into one frame). */
  | {
      readonly type: 'durable';
      readonly doc: DocName;
      readonly update: Uint8Array;
      readonly origins: readonly ChangeOrigin[];
      /** The seqs the store gave them (ascending). */
      readonly seqs: readonly number[];
    }
  /** Another process's stored updates were applied to the live doc (`count` of them). */
  | { readonly type: 'caught-up'; readonly doc: DocName; readonly count: number }
  | { readonly type: 'loaded'; readonly doc: DocName; readonly loadedDocs: number }
  | { readonly type: 'unloaded'; readonly doc: DocName; readonly loadedDocs: number }
  | { readonly type: 'load-failed'; readonly doc: DocName; readonly error: unknown }
  /** An append failed: the doc is dropped and reloads from the store; its writers resend. */
  | { readonly type: 'append-failed'; readonly doc: DocName; readonly error: unknown }
  | { readonly type: 'compact-failed'; readonly doc: DocName; readonly error: unknown }
  | { readonly type: 'catch-up-failed'; readonly doc: DocName; readonly error: unknown }
  | { readonly type: 'connection-opened'; readonly doc: DocName; readonly connection: Connection }
  /** A board write refused by the forged-write guard (the writer is closed with 4422). */
  | {
      readonly type: 'forged-write';
      readonly doc: DocName;
      readonly connection: Connection;
      readonly reason: string;
    }
  /**
   * A connection left the room. `code` is the close code the relay sent, or
   * 'dead' (no sign of life within the deadline), or null (the peer closed).
   */
  | {
      readonly type: 'connection-closed';
      readonly doc: DocName;
      readonly connection: Connection;
      readonly code: number | 'dead' | null;
      readonly detail: string | null;
    }
  /** An upgrade completed only to be closed with a code (browsers cannot see HTTP refusals). */
  | {
      readonly type: 'refused';
      readonly code: number;
      readonly detail: string;
      readonly path: string;
    };

export type RelayEventType = RelayEvent['type'];
export type RelayEventOf<T extends RelayEventType> = Extract<RelayEvent, { type: T }>;

export interface RelayEvents {
  /** Subscribes; returns the unsubscribe function. */
  on<T extends RelayEventType>(type: T, listener: (event: RelayEventOf<T>) => void): () => void;
  emit(event: RelayEvent): void;
}

/**
 * A synchronous typed emitter. A listener that throws does not stop the
 * others nor the relay: its error goes to `onListenerError`.
 */
export function createRelayEvents(onListenerError: (err: unknown) => void): RelayEvents {
  const listeners = new Map<RelayEventType, Array<(event: RelayEvent) => void>>();
  return {
    on(type, listener) {
      const list = listeners.get(type) ?? [];
      const fn = listener as (event: RelayEvent) => void;
      list.push(fn);
      listeners.set(type, list);
      return () => {
        const i = list.indexOf(fn);
        if (i >= 0) list.splice(i, 1);
      };
    },
    emit(event) {
      const list = listeners.get(event.type);
      if (!list) return;
      for (const fn of list) {
        try {
          fn(event);
        } catch (err) {
          onListenerError(err);
        }
      }
    },
  };
}
