/**
 * Where a queue change came from. Every domain operation passes one of these
 * as its Yjs transaction origin, so observers (the relay, the app's undo
 * manager, metrics) can tell a local click from an HTTP API call or a
 * server-side seed without guessing.
 */

export type QueueOrigin =
  /** A staff screen acting on its local replica. */
  | { readonly kind: 'local'; readonly actor?: string }
  /** The server acting for an HTTP API request (patient join, API key). */
  | { readonly kind: 'http-api'; readonly requestId?: string }
  /** The server itself: number grants, settings mirror, archiving. */
  | { readonly kind: 'server' }
  /** The CLI seeding a new clinic. */
  | { readonly kind: 'seed' }
  /** A schema migration. */
  | { readonly kind: 'migration'; readonly from: number; readonly to: number };

export type QueueOriginKind = QueueOrigin['kind'];

const KINDS: readonly QueueOriginKind[] = ['local', 'http-api', 'server', 'seed', 'migration'];

/** Narrow an arbitrary transaction origin (Yjs types it `any`). */
export function isQueueOrigin(value: unknown): value is QueueOrigin {
  return (
    typeof value === 'object' &&
    value !== null &&
    KINDS.includes((value as { kind?: unknown }).kind as QueueOriginKind)
  );
}

export const localOrigin = (actor?: string): QueueOrigin =>
  actor === undefined ? { kind: 'local' } : { kind: 'local', actor };
export const httpApiOrigin = (requestId?: string): QueueOrigin =>
  requestId === undefined ? { kind: 'http-api' } : { kind: 'http-api', requestId };
export const serverOrigin: QueueOrigin = Object.freeze({ kind: 'server' });
export const seedOrigin: QueueOrigin = Object.freeze({ kind: 'seed' });
