/**
 * Entry ids: random, `[a-z0-9]{16}` (≈ 82 bits), valid as document-name ids
 * so the staff doc and URLs can use them as they are. Works in browsers and
 * Node 20 through `crypto.getRandomValues`; tests pass their own source.
 */
import { ID_PATTERN, InvalidIdError, type EntryId } from '../ids.js';
import type { RandomBytes } from './types.js';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const ENTRY_ID_LENGTH = 16;

export const cryptoRandomBytes: RandomBytes = (length) =>
  globalThis.crypto.getRandomValues(new Uint8Array(length));

export function newEntryId(random: RandomBytes = cryptoRandomBytes): EntryId {
  let id = '';
  while (id.length < ENTRY_ID_LENGTH) {
    for (const byte of random(ENTRY_ID_LENGTH)) {
      // Rejection sampling keeps every character equally likely (252 = 7 × 36).
      if (byte < 252 && id.length < ENTRY_ID_LENGTH) id += ALPHABET[byte % 36];
    }
  }
  return id as EntryId;
}

export const isEntryId = (value: unknown): value is EntryId =>
  typeof value === 'string' && ID_PATTERN.test(value);

/** Parse an entry id at the edge (HTTP path, staff doc key); throws InvalidIdError. */
export function parseEntryId(value: unknown): EntryId {
  if (!isEntryId(value)) throw new InvalidIdError('entry id', String(value));
  return value;
}
