/**
 * Writing a whole string into a Y.Text as the smallest edit (rule B8): keep
 * the common prefix and suffix, replace only the middle. Two people editing
 * different parts of a card at once then both keep their words; rewriting
 * the whole text would duplicate it on merge.
 */
import type * as Y from 'yjs';

const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number): boolean => code >= 0xdc00 && code <= 0xdfff;

/** The middle that differs: [start, endOld) of `prev` becomes [start, endNext) of `next`. */
export function textDiff(
  prev: string,
  next: string,
): { start: number; remove: number; insert: string } {
  let start = 0;
  const max = Math.min(prev.length, next.length);
  while (start < max && prev.charCodeAt(start) === next.charCodeAt(start)) start++;
  // Never split a surrogate pair: an emoji is replaced whole.
  if (start > 0 && isHighSurrogate(prev.charCodeAt(start - 1))) start--;
  let endPrev = prev.length;
  let endNext = next.length;
  while (
    endPrev > start &&
    endNext > start &&
    prev.charCodeAt(endPrev - 1) === next.charCodeAt(endNext - 1)
  ) {
    endPrev--;
    endNext--;
  }
  if (endPrev < prev.length && isLowSurrogate(prev.charCodeAt(endPrev))) {
    endPrev++;
    endNext++;
  }
  return { start, remove: endPrev - start, insert: next.slice(start, endNext) };
}

/** Apply `next` to `text` as a minimal edit; call inside a transaction. Returns whether it changed. */
export function applyText(text: Y.Text, next: string): boolean {
  const prev = text.toString();
  if (prev === next) return false;
  const { start, remove, insert } = textDiff(prev, next);
  if (remove > 0) text.delete(start, remove);
  if (insert.length > 0) text.insert(start, insert);
  return true;
}
