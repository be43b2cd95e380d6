import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { applySplice, minimalSplice, transformPosition, type TextDelta } from './text-binding.js';

const apply = (before: string, after: string, caret?: number) => {
  const doc = new Y.Doc();
  const text = doc.getText('t');
  text.insert(0, before);
  const s = minimalSplice(before, after, caret);
  if (s) applySplice(text, s);
  return { result: text.toString(), splice: s };
};

describe('collaborative text binding', () => {
  it('writes a typed character as one insertion at the caret', () => {
    expect(apply('Commander', 'Commander des gants', 19).splice).toEqual({
      index: 9,
      remove: 0,
      insert: ' des gants',
    });
    expect(apply('aa', 'aaa', 2).splice).toEqual({ index: 1, remove: 0, insert: 'a' });
  });

  it('writes a replaced selection as one deletion and one insertion', () => {
    const { result, splice } = apply('Salle 2 à nettoyer', 'Salle 3 à nettoyer');
    expect(result).toBe('Salle 3 à nettoyer');
    expect(splice).toEqual({ index: 6, remove: 1, insert: '3' });
  });

  it('writes nothing when the text did not change', () => {
    expect(minimalSplice('même', 'même')).toBeNull();
  });

  it('keeps the caret on the same character when a colleague inserts before it', () => {
    const delta: TextDelta = [{ retain: 2 }, { insert: 'xyz' }];
    expect(transformPosition(5, delta)).toBe(8);
  });

  it('leaves the caret alone when a colleague edits after it', () => {
    expect(transformPosition(3, [{ retain: 4 }, { insert: 'abc' }])).toBe(3);
    expect(transformPosition(3, [{ retain: 5 }, { delete: 2 }])).toBe(3);
  });

  it('moves the caret back by text deleted before it, and to the cut when it was inside', () => {
    expect(transformPosition(6, [{ delete: 2 }])).toBe(4);
    expect(transformPosition(4, [{ retain: 2 }, { delete: 5 }])).toBe(2);
  });

  it('keeps the caret before text a colleague inserts exactly at it', () => {
    expect(transformPosition(3, [{ retain: 3 }, { insert: 'abc' }])).toBe(3);
  });

  it('follows a real remote edit between two docs', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    a.getText('t').insert(0, 'Vérifier le chariot');
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    let delta: TextDelta = [];
    a.getText('t').observe((e) => (delta = e.delta as TextDelta));
    // B types "d’urgence " ... at the end, and "Bien " at the start.
    b.getText('t').insert(0, 'Bien ');
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    // A's caret was after "chariot" (19): it stays after "chariot".
    const caret = transformPosition(19, delta);
    expect(a.getText('t').toString().slice(0, caret)).toBe('Bien Vérifier le chariot');
  });
});
