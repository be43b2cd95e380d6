/**
 * A textarea bound to a shared Y.Text: local typing becomes the smallest
 * insert/delete on the text (common prefix and suffix kept), and remote
 * changes update the textarea while keeping the caret where it belongs.
 * The only component that touches a Y type, on purpose.
 */
import { useEffect, useRef } from 'react';
import type * as Y from 'yjs';
import './notes-editor.css';

export function diffStrings(
  a: string,
  b: string,
): { index: number; remove: number; insert: string } {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  return { index: start, remove: endA - start, insert: b.slice(start, endB) };
}

export function NotesEditor({
  text,
  id,
  label,
  origin,
  maxLength = 10_000,
  onFocusChange,
  'aria-describedby': describedBy,
}: {
  text: Y.Text;
  id: string;
  label: string;
  origin: unknown;
  maxLength?: number;
  onFocusChange?: (focused: boolean) => void;
  /** Set by a surrounding Field to its hint. */
  'aria-describedby'?: string;
}) {
  const ref = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.value = text.toString();
    const observer = (event: Y.YTextEvent) => {
      if (event.transaction.origin === origin) return;
      const before = el.value;
      const next = text.toString();
      if (before === next) return;
      // Shift the caret by what was inserted/removed before it.
      let selStart = el.selectionStart;
      let selEnd = el.selectionEnd;
      let pos = 0;
      for (const op of event.delta) {
        if (op.retain !== undefined) pos += op.retain;
        else if (typeof op.insert === 'string') {
          if (pos <= selStart) selStart += op.insert.length;
          if (pos < selEnd) selEnd += op.insert.length;
          pos += op.insert.length;
        } else if (op.delete !== undefined) {
          if (pos < selStart) selStart -= Math.min(op.delete, selStart - pos);
          if (pos < selEnd) selEnd -= Math.min(op.delete, selEnd - pos);
        }
      }
      el.value = next;
      if (document.activeElement === el) el.setSelectionRange(selStart, selEnd);
    };
    text.observe(observer);
    return () => text.unobserve(observer);
  }, [text, origin]);
  const onInput = () => {
    const el = ref.current;
    if (!el) return;
    const d = diffStrings(text.toString(), el.value);
    if (d.remove === 0 && d.insert === '') return;
    text.doc?.transact(() => {
      if (d.remove > 0) text.delete(d.index, d.remove);
      if (d.insert) text.insert(d.index, d.insert);
    }, origin);
  };
  return (
    <textarea
      ref={ref}
      id={id}
      aria-label={label}
      aria-describedby={describedBy}
      className="notes"
      rows={5}
      maxLength={maxLength}
      onInput={onInput}
      onFocus={() => onFocusChange?.(true)}
      onBlur={() => onFocusChange?.(false)}
    />
  );
}
