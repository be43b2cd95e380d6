import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { applyText, textDiff } from './text.js';

describe('B8: whole string → minimal Y.Text edit', () => {
  it.each([
    ['abc', 'abc', { start: 3, remove: 0, insert: '' }],
    ['', 'hello', { start: 0, remove: 0, insert: 'hello' }],
    ['hello', '', { start: 0, remove: 5, insert: '' }],
    ['gloves', 'nitrile gloves', { start: 0, remove: 0, insert: 'nitrile ' }],
    ['room 2', 'room 2 and 3', { start: 6, remove: 0, insert: ' and 3' }],
    ['aaa', 'aa', { start: 2, remove: 1, insert: '' }],
    ['call 10:00', 'call 11:00', { start: 6, remove: 1, insert: '1' }],
  ])('B8: %j → %j', (prev, next, diff) => {
    expect(textDiff(prev, next)).toEqual(diff);
  });

  it('B8: never splits an emoji (surrogate pair)', () => {
    for (const [prev, next] of [
      ['a😀b', 'a😃b'],
      ['😀', '😃'],
      ['x😀', 'x😀😀'],
      ['😀x', '😃x'],
    ]) {
      const d = textDiff(prev!, next!);
      const result = prev!.slice(0, d.start) + d.insert + prev!.slice(d.start + d.remove);
      expect(result).toBe(next);
      expect(d.insert.length === 0 || !/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/.test(d.insert)).toBe(
        true,
      );
    }
  });

  it('B8: applyText makes the Y.Text equal the string and reports a change', () => {
    const doc = new Y.Doc();
    const text = doc.getText('t');
    expect(applyText(text, 'Fix the printer')).toBe(true);
    expect(applyText(text, 'Fix the label printer')).toBe(true);
    expect(applyText(text, 'Fix the label printer')).toBe(false);
    expect(text.toString()).toBe('Fix the label printer');
  });
});
