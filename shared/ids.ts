/**
 * Branded identifiers, parsed once at the edge (HTTP, WebSocket URL, CLI) and
 * never cast in feature code.
 */

declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };

export type ClinicId = Brand<string, 'ClinicId'>;
export type BoardId = Brand<string, 'BoardId'>;
export type EntryId = Brand<string, 'EntryId'>;
export type DocName = Brand<string, 'DocName'>;

/** `[a-z0-9][a-z0-9-]{0,63}` — the grammar of every id in a document name. */
export const ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;

export const DOC_KINDS = ['queue', 'staff', 'board'] as const;
export type DocKind = (typeof DOC_KINDS)[number];

export class InvalidIdError extends Error {
  override readonly name = 'InvalidIdError';
  constructor(
    readonly what: string,
    readonly value: string,
  ) {
    super(
      `invalid ${what}: ${JSON.stringify(value.length > 80 ? value.slice(0, 80) + '…' : value)}`,
    );
  }
}

function parseId(what: string, value: unknown): string {
  if (typeof value !== 'string' || !ID_PATTERN.test(value)) {
    throw new InvalidIdError(what, String(value));
  }
  return value;
}

export const parseClinicId = (value: unknown): ClinicId => parseId('clinic id', value) as ClinicId;
export const parseBoardId = (value: unknown): BoardId => parseId('board id', value) as BoardId;

export const isClinicId = (value: unknown): value is ClinicId =>
  typeof value === 'string' && ID_PATTERN.test(value);

export interface ParsedDocName {
  readonly name: DocName;
  readonly kind: DocKind;
  /** clinic id for queue/staff docs, board id for board docs */
  readonly id: string;
}

/** Parses `<kind>:<id>`; throws InvalidIdError for anything else. */
export function parseDocName(value: unknown): ParsedDocName {
  if (typeof value !== 'string') throw new InvalidIdError('document name', String(value));
  const colon = value.indexOf(':');
  const kind = value.slice(0, colon);
  const id = value.slice(colon + 1);
  if (colon < 0 || !(DOC_KINDS as readonly string[]).includes(kind) || !ID_PATTERN.test(id)) {
    throw new InvalidIdError('document name', value);
  }
  return { name: value as DocName, kind: kind as DocKind, id };
}

export const queueDocName = (clinic: ClinicId): DocName => `queue:${clinic}` as DocName;
export const staffDocName = (clinic: ClinicId): DocName => `staff:${clinic}` as DocName;
export const boardDocName = (board: BoardId): DocName => `board:${board}` as DocName;
