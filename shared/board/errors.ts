/**
 * The closed set of board errors. Board operations never throw on input
 * from a screen: they return `{ ok: false, error }` (rule B2), so the app
 * shows the message and the HTTP layer maps the code to a status.
 */

export const BOARD_ERROR_CODES = [
  /** The doc has not been seeded by the server yet (or has not synced). */
  'not-seeded',
  /** The doc was written by a newer schema than this code understands. */
  'unsupported-schema',
  /** No such column, card, label, comment or checklist item. */
  'not-found',
  /** The target column is archived: restore it first. */
  'archived',
  /** Only the author may do this (editing a comment). */
  'not-author',
  /** A malformed id, an over-long text, a bad colour or date. */
  'invalid-argument',
] as const;
export type BoardErrorCode = (typeof BOARD_ERROR_CODES)[number];

export class BoardError extends Error {
  override readonly name = 'BoardError';
  constructor(
    readonly code: BoardErrorCode,
    message: string,
    /** Structured detail, e.g. `{ field: 'title', max: 200 }`. Never card text. */
    readonly details: Readonly<Record<string, string | number | null>> = {},
  ) {
    super(message);
  }
}

/** Suggested HTTP status per code, for the server's API layer. */
export const BOARD_ERROR_HTTP_STATUS: Readonly<Record<BoardErrorCode, number>> = {
  'not-seeded': 503,
  'unsupported-schema': 426,
  'not-found': 404,
  archived: 409,
  'not-author': 403,
  'invalid-argument': 400,
};

export type BoardFailure = { readonly ok: false; readonly error: BoardError };
export type BoardResult<T extends object = object> = ({ readonly ok: true } & T) | BoardFailure;

export const ok = <T extends object>(value: T): { readonly ok: true } & T => ({
  ok: true,
  ...value,
});

export const fail = (
  code: BoardErrorCode,
  message: string,
  details?: Readonly<Record<string, string | number | null>>,
): BoardFailure => ({ ok: false, error: new BoardError(code, message, details) });

export const isBoardFailure = (value: unknown): value is BoardFailure =>
  typeof value === 'object' &&
  value !== null &&
  (value as { ok?: unknown }).ok === false &&
  (value as { error?: unknown }).error instanceof BoardError;
