/**
 * Limits and checks of the values screens write into a board (rule B2).
 * Each check returns null when the value is fine, or the failure to return.
 */
import { fail, type BoardFailure } from './errors.js';
import { isItemId, isUserId } from './ids.js';

export const BOARD_LIMITS = {
  /** Board, column and card titles, checklist items. */
  title: 200,
  body: 10_000,
  comment: 2_000,
  labelName: 40,
} as const;

const COLOR = /^#[0-9a-fA-F]{6}$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export const isColor = (value: unknown): value is string =>
  typeof value === 'string' && COLOR.test(value);

/** A real calendar date written YYYY-MM-DD. */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

export function checkId(what: string, value: unknown): BoardFailure | null {
  return isItemId(value)
    ? null
    : fail('invalid-argument', `invalid ${what} id ${JSON.stringify(String(value).slice(0, 80))}`, {
        field: what,
      });
}

export function checkUser(what: string, value: unknown): BoardFailure | null {
  return isUserId(value)
    ? null
    : fail('invalid-argument', `invalid ${what} ${JSON.stringify(String(value).slice(0, 80))}`, {
        field: what,
      });
}

/** A string of at most `max` UTF-16 units; `required` also refuses a blank one. */
export function checkText(
  field: string,
  value: unknown,
  max: number,
  required = false,
): BoardFailure | null {
  if (typeof value !== 'string')
    return fail('invalid-argument', `${field} must be text`, { field });
  if (value.length > max)
    return fail('invalid-argument', `${field} is longer than ${max} characters`, { field, max });
  if (required && value.trim() === '')
    return fail('invalid-argument', `${field} must not be empty`, { field });
  return null;
}

export function checkColor(value: unknown): BoardFailure | null {
  return isColor(value)
    ? null
    : fail('invalid-argument', `colour must be #rrggbb, got ${JSON.stringify(String(value))}`, {
        field: 'color',
      });
}

export function checkIndex(value: unknown): BoardFailure | null {
  return value === undefined || (typeof value === 'number' && Number.isInteger(value) && value >= 0)
    ? null
    : fail('invalid-argument', 'index must be a whole number ≥ 0', { field: 'index' });
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * The text as stored (B2): a lone UTF-16 surrogate becomes U+FFFD. Yjs sends
 * strings as UTF-8, where a lone surrogate cannot exist: the writer would
 * keep it and every other replica read U+FFFD, and the docs would differ.
 */
export const cleanText = (text: string): string => text.replace(LONE_SURROGATE, '\uFFFD');

/** An optional flag (`on`, `done`): absent or a boolean. */
export function checkFlag(field: string, value: unknown): BoardFailure | null {
  return value === undefined || typeof value === 'boolean'
    ? null
    : fail('invalid-argument', `${field} must be true or false`, { field });
}

/** The first failure of several checks, or null. */
export const firstFailure = (...checks: (BoardFailure | null)[]): BoardFailure | null =>
  checks.find((c) => c !== null) ?? null;
