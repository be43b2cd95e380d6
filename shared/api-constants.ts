/**
 * The HTTP API's run-time constants, apart from shared/api.ts so the app can
 * import them without zod (shared/api.ts re-exports them; import from
 * there on the server).
 */
import { QUEUE_ERROR_CODES } from './queue/errors.js';

/**
 * Response header on every answer: the server's clock (ms since the epoch)
 * when the reply left. Clients feed it to their server-corrected clock.
 */
export const SERVER_TIME_HEADER = 'x-server-time';

/** Errors of the HTTP layer itself (the queue domain's codes come on top). */
export const HTTP_ERROR_CODES = [
  'bad-request',
  'unauthenticated',
  'invalid-credentials',
  'account-disabled',
  'csrf',
  'forbidden',
  'not-found',
  'no-route',
  'gone',
  'expired',
  'already-paired',
  'email-taken',
  'last-admin',
  'self',
  'unknown-service',
  'payload-too-large',
  'unsupported-media-type',
  'rate-limited',
  'too-many-attempts',
  'unavailable',
  'internal',
] as const;

/** The closed set of `error.code` values the API sends. */
export const API_ERROR_CODES = [
  ...HTTP_ERROR_CODES,
  ...QUEUE_ERROR_CODES.filter(
    (c): c is Exclude<(typeof QUEUE_ERROR_CODES)[number], (typeof HTTP_ERROR_CODES)[number]> =>
      !(HTTP_ERROR_CODES as readonly string[]).includes(c),
  ),
] as const;
export type ApiErrorCode = (typeof HTTP_ERROR_CODES)[number] | (typeof QUEUE_ERROR_CODES)[number];

export const isApiErrorCode = (value: unknown): value is ApiErrorCode =>
  typeof value === 'string' && (API_ERROR_CODES as readonly string[]).includes(value);

/**
 * `GET /api/clinics/:clinicId/boards/:boardId/export?format=…`: a file
 * (attachment), not JSON, so it is outside ApiRoutes; the app links to it.
 */
export const BOARD_EXPORT_FORMATS = ['json', 'csv', 'md'] as const;
export type BoardExportFormat = (typeof BOARD_EXPORT_FORMATS)[number];
