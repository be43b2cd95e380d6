import { useState } from 'react';

/** The fields of an "add" form: `bind(key)` wires one text field, `reset` empties them all. */
export function useDraft<T extends Record<string, string>>(empty: T) {
  const [draft, setDraft] = useState(empty);
  const bind = (key: keyof T & string) => ({
    value: draft[key],
    onValue: (value: string) => setDraft((d) => ({ ...d, [key]: value })),
  });
  return { draft, bind, reset: () => setDraft(empty) };
}
