/**
 * The draft of a field that adds something (a card, a column, a label, a
 * checklist item, a comment): submitting adds its trimmed text, nothing
 * when blank, and empties the field once it was added.
 */
import { useState, type SyntheticEvent } from 'react';

export interface AddDraft {
  readonly draft: string;
  readonly setDraft: (draft: string) => void;
  readonly submit: (e: SyntheticEvent) => void;
}

export function useAddDraft(add: (text: string) => boolean): AddDraft {
  const [draft, setDraft] = useState('');
  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    const text = draft.trim();
    if (text && add(text)) setDraft('');
  };
  return { draft, setDraft, submit };
}
