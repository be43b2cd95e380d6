/**
 * Tells a person when their edit lost. Two receptionists who rename the same
 * patient at the same time (or one of them offline) both see their own text
 * until the docs meet; then one value wins everywhere (Yjs: the higher
 * clientID) and the other person's text is silently gone. We remember the
 * map item each of our committed field values was written as; when a remote
 * change replaces it with a value whose author had NOT seen ours (the new
 * item's origin is not our item), our edit lost a race, and we say so.
 * A later, informed overwrite (a colleague corrected our spelling after
 * seeing it) is ordinary collaboration and says nothing.
 */
import * as Y from 'yjs';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { EntryId } from '../../../shared/ids.js';
import { patientsMap } from '../../../shared/staff/doc.js';

export type WatchedField = 'name' | 'phone';

export interface LostEdit {
  readonly id: number;
  readonly entryId: EntryId;
  readonly field: WatchedField;
  /** What we wrote. */
  readonly mine: string;
  /** What everyone now sees. */
  readonly theirs: string;
}

export interface LostEditsState {
  readonly lost: readonly LostEdit[];
  /** Call right after committing `value` to the field of the entry's staff record. */
  watch(entryId: EntryId, field: WatchedField, value: string): void;
  dismiss(id: number): void;
  destroy(): void;
}

interface Watched {
  readonly entryId: EntryId;
  readonly field: WatchedField;
  readonly value: string;
  readonly item: Y.Item;
}

/** The item currently holding `key` in a Y.Map (Yjs keeps it in `_map`). */
const itemOf = (map: Y.Map<unknown>, key: string): Y.Item | undefined => map._map.get(key);

const lastIdOf = (item: Y.Item): Y.ID =>
  Y.createID(item.id.client, item.id.clock + item.length - 1);

export function createLostEditsStore(staffDoc: Y.Doc): StoreApi<LostEditsState> {
  const watched = new Map<string, Watched>();
  let nextId = 1;
  const check = (tr: Y.Transaction) => {
    if (tr.local || watched.size === 0) return;
    const found: LostEdit[] = [];
    for (const [key, w] of watched) {
      const record = patientsMap(staffDoc).get(w.entryId);
      const current = record instanceof Y.Map ? itemOf(record, w.field) : undefined;
      if (current === w.item) continue;
      watched.delete(key);
      if (!w.item.deleted || current === undefined) continue;
      const sawOurs = current.origin !== null && Y.compareIDs(current.origin, lastIdOf(w.item));
      const theirs = record instanceof Y.Map ? record.get(w.field) : undefined;
      if (sawOurs || typeof theirs !== 'string' || theirs === w.value) continue;
      found.push({ id: nextId++, entryId: w.entryId, field: w.field, mine: w.value, theirs });
    }
    if (found.length > 0) store.setState({ lost: [...store.getState().lost, ...found] });
  };
  const store = createStore<LostEditsState>()((set, get) => ({
    lost: [],
    watch(entryId, field, value) {
      const record = patientsMap(staffDoc).get(entryId);
      const item = record instanceof Y.Map ? itemOf(record, field) : undefined;
      if (item === undefined || item.deleted || record?.get(field) !== value) return;
      watched.set(`${entryId}/${field}`, { entryId, field, value, item });
    },
    dismiss(id) {
      set({ lost: get().lost.filter((l) => l.id !== id) });
    },
    destroy() {
      staffDoc.off('afterTransaction', check);
      watched.clear();
    },
  }));
  staffDoc.on('afterTransaction', check);
  return store;
}
