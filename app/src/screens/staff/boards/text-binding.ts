/**
 * A textarea (or input) bound to a collaborative Y.Text, as a person types
 * in it: each local change is written as its minimal splice (one delete, one
 * insert, between the common prefix and suffix), and a remote change rewrites
 * the control's value while keeping the caret and the selection where they
 * were in the text (moved by what was inserted or deleted before them).
 *
 * The control is uncontrolled: React never sets its value, so a re-render
 * never resets the caret. `edit` applies a change in the store's
 * transaction (the board session's undo-tracked origin).
 */
import { useEffect, useRef, type RefObject } from 'react';
import type * as Y from 'yjs';

export interface Splice {
  /** Where the change starts. */
  readonly index: number;
  /** How many characters are removed there. */
  readonly remove: number;
  /** What is inserted there. */
  readonly insert: string;
}

/** The smallest splice turning `before` into `after` (null when they are equal). */
export function minimalSplice(before: string, after: string, caret?: number): Splice | null {
  if (before === after) return null;
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  // A typed character repeating the one before the caret ("aa"): end the prefix at the caret.
  if (caret !== undefined && after.length > before.length) {
    start = Math.min(start, Math.max(0, caret - (after.length - before.length)));
  }
  let endBefore = before.length;
  let endAfter = after.length;
  while (
    endBefore > start &&
    endAfter > start &&
    before.charCodeAt(endBefore - 1) === after.charCodeAt(endAfter - 1)
  ) {
    endBefore--;
    endAfter--;
  }
  return { index: start, remove: endBefore - start, insert: after.slice(start, endAfter) };
}

/** A Yjs text delta: retain, insert, delete. */
export type TextDelta = readonly { retain?: number; insert?: unknown; delete?: number }[];

/**
 * Where a position in the old text is in the new one after `delta`: moved
 * right by insertions before it, left by deletions before it (a deletion
 * around it brings it to where the deletion started). An insertion exactly
 * at the position leaves it before the inserted text (the colleague typed
 * after our caret, not us).
 */
export function transformPosition(pos: number, delta: TextDelta): number {
  let oldIndex = 0;
  let shift = 0;
  for (const op of delta) {
    if (op.retain !== undefined) {
      oldIndex += op.retain;
      if (oldIndex >= pos) break;
    } else if (op.insert !== undefined) {
      const len = typeof op.insert === 'string' ? op.insert.length : 1;
      if (oldIndex < pos) shift += len;
      else break;
    } else if (op.delete !== undefined) {
      const end = oldIndex + op.delete;
      if (end <= pos) shift -= op.delete;
      else if (oldIndex < pos) shift -= pos - oldIndex;
      oldIndex = end;
      if (oldIndex >= pos) break;
    }
  }
  return Math.max(0, pos + shift);
}

/** Applies `splice` to a Y.Text (call inside the store's transaction). */
export function applySplice(text: Y.Text, s: Splice): void {
  if (s.remove > 0) text.delete(s.index, s.remove);
  if (s.insert) text.insert(s.index, s.insert);
}

type TextControl = HTMLTextAreaElement | HTMLInputElement;

/**
 * Binds the control at `ref` to `text`: returns `onInput` for the control.
 * `edit(fn)` must run `fn(text)` in one transaction of the store's origin.
 */
export function useTextBinding<E extends TextControl>(
  text: Y.Text | null,
  edit: (apply: (text: Y.Text) => void) => void,
): { ref: RefObject<E | null>; onInput: () => void; defaultValue: string } {
  const ref = useRef<E | null>(null);
  const known = useRef(text?.toString() ?? '');
  const editRef = useRef(edit);
  editRef.current = edit;
  useEffect(() => {
    if (!text) return;
    const el = ref.current;
    known.current = text.toString();
    if (el && el.value !== known.current) el.value = known.current;
    const onChange = (event: Y.YTextEvent) => {
      const next = text.toString();
      const control = ref.current;
      known.current = next;
      if (!control || control.value === next) return;
      const focused = document.activeElement === control;
      const start = control.selectionStart ?? 0;
      const end = control.selectionEnd ?? start;
      const delta = event.delta as TextDelta;
      control.value = next;
      if (focused) {
        control.setSelectionRange(transformPosition(start, delta), transformPosition(end, delta));
      }
    };
    text.observe(onChange);
    return () => text.unobserve(onChange);
  }, [text]);
  const onInput = () => {
    const el = ref.current;
    if (!el || !text) return;
    const splice = minimalSplice(known.current, el.value, el.selectionStart ?? undefined);
    if (!splice) return;
    known.current = el.value;
    editRef.current((t) => applySplice(t, splice));
  };
  return { ref, onInput, defaultValue: known.current };
}
