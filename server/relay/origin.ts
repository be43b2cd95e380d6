/**
 * Where a change to a live document came from, and what that decides: is it
 * appended to the store, relayed to whom, acknowledged to whom. The one
 * place those questions are answered.
 */
import type { QueueOrigin } from '../../shared/queue/origins.js';
import type { Connection } from './connection.js';

export type ChangeOrigin =
  /** A client's write, arriving on one of our connections. */
  | { readonly kind: 'connection'; readonly connection: Connection }
  /** Another process or instance stored it; we loaded it (from the store today, Redis next). */
  | { readonly kind: 'instance' }
  /** The server's own operations (HTTP API, number grants, settings mirror, seed, migration). */
  | QueueOrigin;

export const instanceOrigin: ChangeOrigin = Object.freeze({ kind: 'instance' });

export const connectionOrigin = (connection: Connection): ChangeOrigin => ({
  kind: 'connection',
  connection,
});

/** Appended to the store? Everything but what another instance already stored. */
export const isStored = (origin: ChangeOrigin): boolean => origin.kind !== 'instance';

/** The connection a change is not relayed back to (its writer already has it), or null. */
export const writerOf = (origin: ChangeOrigin): Connection | null =>
  origin.kind === 'connection' ? origin.connection : null;

/** The connection told, once the change is durable, that the server has it (our state vector). */
export const acknowledgedTo = writerOf;

/** The writer every change of a run shares (skipped when the run is relayed as one frame), or null. */
export function sharedWriter(origins: readonly ChangeOrigin[]): Connection | null {
  const writer = origins.length > 0 ? writerOf(origins[0]!) : null;
  return writer !== null && origins.every((o) => writerOf(o) === writer) ? writer : null;
}
