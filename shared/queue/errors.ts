/**
 * The closed set of queue domain errors. Operations never throw for domain
 * reasons: they return `{ ok: false, error }`, so the app can show the error
 * and the HTTP API can map it to a status without try/catch.
 */

export const QUEUE_ERROR_CODES = [
  /** The doc has not been seeded by the server yet (or not synced). */
  'not-seeded',
  /** The doc was written by a newer schema than this code understands. */
  'unsupported-schema',
  'queue-closed',
  'service-closed',
  'room-closed',
  'not-found',
  /** The entry's status does not allow this transition. */
  'invalid-transition',
  'nobody-waiting',
  /** Another room holds the ticket (a call race was lost). */
  'conflict',
  /** The entry belongs to another clinic day than today. */
  'wrong-day',
  /** The day is archived: nothing may be issued or changed in it. */
  'day-archived',
  /** The day is not finished yet, so it cannot be archived. */
  'day-not-finished',
  'invalid-argument',
] as const;
export type QueueErrorCode = (typeof QUEUE_ERROR_CODES)[number];

export class QueueError extends Error {
  override readonly name = 'QueueError';
  constructor(
    readonly code: QueueErrorCode,
    message: string,
    /** Structured detail, e.g. `{ room }` for a conflict. Never personal data. */
    readonly details: Readonly<Record<string, string | number | null>> = {},
  ) {
    super(message);
  }
}

/** Suggested HTTP status per code, for the server's API layer. */
export const QUEUE_ERROR_HTTP_STATUS: Readonly<Record<QueueErrorCode, number>> = {
  'not-seeded': 503,
  'unsupported-schema': 426,
  'queue-closed': 409,
  'service-closed': 409,
  'room-closed': 409,
  'not-found': 404,
  'invalid-transition': 409,
  'nobody-waiting': 404,
  conflict: 409,
  'wrong-day': 409,
  'day-archived': 410,
  'day-not-finished': 409,
  'invalid-argument': 400,
};

export type Failure = { readonly ok: false; readonly error: QueueError };
export type Result<T extends object = object> = ({ readonly ok: true } & T) | Failure;

export const ok = <T extends object>(value: T): { readonly ok: true } & T => ({
  ok: true,
  ...value,
});
export const fail = (
  code: QueueErrorCode,
  message: string,
  details?: Readonly<Record<string, string | number | null>>,
): Failure => ({ ok: false, error: new QueueError(code, message, details) });
