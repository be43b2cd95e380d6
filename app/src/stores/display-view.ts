/**
 * What the waiting-room display shows, as one plain immutable object derived
 * from the public queue doc and the (server-corrected) clock. Pure: the
 * display store recomputes it on every doc change; tests call it directly.
 */
import type * as Y from 'yjs';
import {
  currentDay,
  entriesOfDay,
  queueSnapshot,
  readClinic,
  readRooms,
  waitMinutes,
  type EntryView,
  type Locale,
} from '../../../shared/queue/index.js';

export const HISTORY_SIZE = 5;
export const NEXT_SIZE = 8;
/**
 * Calls made within this window of the latest one stay big together, so a
 * call followed 0.7 s later by another is not gone before anyone looked up.
 */
export const FEATURE_MS = 30_000;
/** At most this many calls shown big at once; older ones go to the history. */
export const FEATURED_MAX = 3;

export interface DisplayCall {
  /** Entry + call round + recall count: what the announcer announces once. */
  readonly key: string;
  readonly entryId: string;
  readonly ticket: string;
  readonly room: string;
  /** The room's public name ("3", "Radiologie"). */
  readonly roomName: string;
  readonly calledAt: number;
  readonly status: EntryView['status'];
}

/** One of the next tickets: its label and its estimated wait, never a name. */
export interface NextTicket {
  readonly entryId: string;
  readonly ticket: string;
  /**
   * Estimated wait in whole minutes (`waitMinutes`, rule W1; 0 = very soon):
   * the number the patient's phone and reception show for this ticket now.
   */
  readonly waitMinutes: number;
}

export interface DisplayView {
  /** False until the doc holds the server's seed (first sync, or nothing cached yet). */
  readonly ready: boolean;
  readonly clinicName: string;
  readonly locale: Locale;
  /** IANA zone of the clinic, for the clock. */
  readonly timezone: string;
  readonly open: boolean;
  /** The latest call still waiting for its patient, shown huge; null if none. */
  readonly current: DisplayCall | null;
  /**
   * The calls shown big, most recent first: `current`, plus the other calls
   * still waiting for their patient made within FEATURE_MS (at most FEATURED_MAX).
   */
  readonly featured: readonly DisplayCall[];
  /** When `featured` next loses a call (the store derives again then); null if never. */
  readonly featuredUntil: number | null;
  /** Every ticket currently called (most recent first), announced by the announcer. */
  readonly called: readonly DisplayCall[];
  /** Recent calls other than the featured ones, most recent first. */
  readonly history: readonly DisplayCall[];
  /** The next tickets in the order the rooms will call them (position, rule W2), with their waits. */
  readonly next: readonly NextTicket[];
  readonly waitingCount: number;
}

export const callKey = (e: Pick<EntryView, 'id' | 'round' | 'recalls'>): string =>
  `${e.id}:${e.round}:${e.recalls}`;

export const EMPTY_DISPLAY_VIEW: DisplayView = {
  ready: false,
  clinicName: '',
  locale: 'fr',
  timezone: 'Europe/Paris',
  open: true,
  current: null,
  featured: [],
  featuredUntil: null,
  called: [],
  history: [],
  next: [],
  waitingCount: 0,
};

export function deriveDisplayView(doc: Y.Doc, now: number): DisplayView {
  const clinic = readClinic(doc);
  const day = currentDay(doc, now);
  if (!clinic || day === null) return EMPTY_DISPLAY_VIEW;
  const roomNames = new Map<string, string>(readRooms(doc).map((r) => [r.id, r.name]));
  const toCall = (e: EntryView): DisplayCall => ({
    key: callKey(e),
    entryId: e.id,
    ticket: e.label,
    room: e.room ?? '',
    roomName: (e.room && roomNames.get(e.room)) ?? e.room ?? '',
    calledAt: e.calledAt ?? 0,
    status: e.status,
  });
  const snapshot = queueSnapshot(doc, now);
  const called = snapshot.called.filter((e) => e.room !== null).map(toCall);
  const current = called[0] ?? null;
  // A call stamped in the future (a skewed clock) counts as made now.
  const calledAt = (c: DisplayCall) => Math.min(c.calledAt, now);
  const featured = called
    .filter((c, i) => i === 0 || calledAt(c) > now - FEATURE_MS)
    .slice(0, FEATURED_MAX);
  const expiring = featured.slice(1).map((c) => calledAt(c) + FEATURE_MS);
  const featuredIds = new Set(featured.map((c) => c.entryId));
  const history = entriesOfDay(doc, day)
    .filter(
      (e) =>
        e.room !== null &&
        e.calledAt !== null &&
        (e.status === 'called' || e.status === 'in-service' || e.status === 'done') &&
        !featuredIds.has(e.id),
    )
    .sort((a, b) => (b.calledAt ?? 0) - (a.calledAt ?? 0) || (a.id < b.id ? -1 : 1))
    .slice(0, HISTORY_SIZE)
    .map(toCall);
  return {
    ready: true,
    clinicName: clinic.name,
    locale: clinic.locale,
    timezone: clinic.timezone,
    open: clinic.open,
    current,
    featured,
    featuredUntil: expiring.length > 0 ? Math.min(...expiring) : null,
    called,
    history,
    // In the order the rooms will call (W2), as patients' positions say.
    next: [...snapshot.waiting]
      .sort((a, b) => a.position - b.position)
      .slice(0, NEXT_SIZE)
      .map((w) => ({
        entryId: w.entry.id,
        ticket: w.entry.label,
        waitMinutes: waitMinutes(w.wait),
      })),
    waitingCount: snapshot.waiting.length,
  };
}

/** Structural equality, so the store only notifies React when something visible changed. */
export const sameDisplayView = (a: DisplayView, b: DisplayView): boolean =>
  JSON.stringify(a) === JSON.stringify(b);
