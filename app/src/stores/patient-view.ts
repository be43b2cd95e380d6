/**
 * What a patient's ticket page shows, derived from the public queue doc, the
 * entry id and the (server-corrected) clock. Pure, like the display's view:
 * position and wait are the same functions reception uses (invariant 5).
 */
import type * as Y from 'yjs';
import {
  estimatedWait,
  findService,
  getEntry,
  isEntryId,
  position,
  readClinic,
  readRooms,
  waitMinutes,
  type EntryView,
  type Locale,
} from '../../../shared/queue/index.js';

export type PatientPhase =
  /** Nothing cached and not synced yet. */
  | 'loading'
  /** Synced, but no such ticket (a wrong link, or yesterday's ticket after archiving). */
  | 'unknown'
  | 'waiting'
  /** Was called, then sent back to the waiting list: keeps its place. */
  | 'sent-back'
  | 'called'
  | 'in-service'
  | 'done'
  | 'no-show'
  | 'cancelled';

export interface PatientView {
  readonly phase: PatientPhase;
  readonly clinicName: string;
  /** The clinic's language, once the doc holds the clinic (the page speaks it unless the patient chose). */
  readonly locale: Locale | null;
  readonly ticket: string;
  readonly serviceName: string;
  /** 1-based place in the order the rooms will call (rule W2), while waiting. */
  readonly position: number | null;
  /** Estimated wait in whole minutes (rule W1; 0 = very soon), while waiting. */
  readonly waitMinutes: number | null;
  readonly roomName: string | null;
  /** Entry + round + recalls: each call alerts once. */
  readonly callKey: string | null;
  readonly calledAt: number | null;
}

const phaseOf = (e: EntryView): PatientPhase =>
  e.status === 'waiting' && e.round > 0 ? 'sent-back' : e.status;

export function derivePatientView(
  doc: Y.Doc,
  entryIdRaw: string,
  now: number,
  synced: boolean,
): PatientView {
  const clinic = readClinic(doc);
  const entryId = isEntryId(entryIdRaw) ? entryIdRaw : null;
  const entry = clinic && entryId ? getEntry(doc, entryId) : null;
  const base = {
    clinicName: clinic?.name ?? '',
    locale: clinic?.locale ?? null,
    ticket: '',
    serviceName: '',
    position: null,
    waitMinutes: null,
    roomName: null,
    callKey: null,
    calledAt: null,
  } as const;
  if (!entry || !entryId) return { ...base, phase: synced ? 'unknown' : 'loading' };
  const phase = phaseOf(entry);
  const waiting = entry.status === 'waiting';
  const wait = waiting ? estimatedWait(doc, entryId, now) : null;
  const roomName = entry.room
    ? (readRooms(doc).find((r) => r.id === entry.room)?.name ?? entry.room)
    : null;
  return {
    ...base,
    phase,
    ticket: entry.label,
    serviceName: findService(doc, entry.service)?.name ?? '',
    position: waiting ? position(doc, entryId, now) : null,
    waitMinutes: wait ? waitMinutes(wait) : null,
    roomName,
    callKey: entry.status === 'called' ? `${entry.id}:${entry.round}:${entry.recalls}` : null,
    calledAt: entry.calledAt,
  };
}

/** Field by field: the store only notifies React when something the page shows changed. */
export const samePatientView = (a: PatientView, b: PatientView): boolean =>
  (Object.keys(a) as (keyof PatientView)[]).every((k) => a[k] === b[k]);
