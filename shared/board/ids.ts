/**
 * Ids of board items (column, card, label, comment, checklist item) and of
 * users. Item ids are random `[a-z0-9]{16}` (≈ 82 bits), valid against
 * `ID_PATTERN`, drawn from `crypto.getRandomValues` unless a test injects a
 * seeded `random`. User ids are the server's (base64url, `GET /api/auth/me`).
 */
import { ID_PATTERN } from '../ids.js';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const ITEM_ID_LENGTH = 16;

/** A float in [0, 1) from the platform's CSPRNG. */
export function cryptoRandom(): number {
  const word = globalThis.crypto.getRandomValues(new Uint32Array(1))[0]!;
  return word / 4294967296;
}

export function newItemId(random: () => number = cryptoRandom): string {
  let id = '';
  for (let i = 0; i < ITEM_ID_LENGTH; i++)
    id += ALPHABET[Math.min(ALPHABET.length - 1, Math.floor(random() * ALPHABET.length))];
  return id;
}

/** Column, card, label, comment and checklist item ids: `[a-z0-9][a-z0-9-]{0,63}`. */
export const isItemId = (value: unknown): value is string =>
  typeof value === 'string' && ID_PATTERN.test(value);

const USER_ID = /^[A-Za-z0-9_:-]{1,80}$/;

/**
 * A user id as the server issues them: an account's base64url id, or
 * `token:<id>` for a CLI staff token (the id the relay stamps into its
 * presence). Vote keys split on their first ':', which no card id contains.
 */
export const isUserId = (value: unknown): value is string =>
  typeof value === 'string' && USER_ID.test(value);
