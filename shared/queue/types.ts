/**
 * Plain types of the queue domain. Views handed to the app and the server
 * are immutable plain objects; Y types never leave this folder's accessors.
 */
import type { Brand, EntryId } from '../ids.js';

export type { EntryId } from '../ids.js';

/** A clinic day, `YYYY-MM-DD`, computed in the clinic's timezone after its reset time. */
export type Day = Brand<string, 'Day'>;
/** Service id: `[a-z0-9][a-z0-9-]{0,31}`. */
export type ServiceId = Brand<string, 'ServiceId'>;
/** Free-form room id as staff type it (`"1"`, `"Room 3"`): 1–40 printable characters. */
export type RoomId = Brand<string, 'RoomId'>;

export const ENTRY_STATUSES = [
  'waiting',
  'called',
  'in-service',
  'done',
  'no-show',
  'cancelled',
] as const;
export type EntryStatus = (typeof ENTRY_STATUSES)[number];

/** Ordered from most to least urgent: the waiting list sorts by this first. */
export const PRIORITY_CLASSES = ['urgent', 'priority', 'normal'] as const;
export type PriorityClass = (typeof PRIORITY_CLASSES)[number];

export const ENTRY_SOURCES = ['walk-in', 'qr', 'api', 'phone'] as const;
export type EntrySource = (typeof ENTRY_SOURCES)[number];

export const LOCALES = ['fr', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export interface ServiceConfig {
  readonly id: ServiceId;
  /** Neutral public name ("Consultation"), never a condition. */
  readonly name: string;
  /** One upper-case letter, the first part of every label of this service. */
  readonly prefix: string;
  readonly open: boolean;
  /** Fallback service duration (minutes) for wait estimates before any sample exists. */
  readonly defaultMinutes: number;
  /** Display order among services. */
  readonly rank: number;
}

export interface RoomConfig {
  readonly id: RoomId;
  readonly name: string;
  readonly open: boolean;
  /** Services this room calls from; `null` = every service. */
  readonly services: readonly ServiceId[] | null;
}

/** What the server CLI passes to `seedQueueDoc` and mirrors from the database. */
export interface ClinicSettings {
  readonly name: string;
  /** IANA timezone, default `Europe/Paris`. */
  readonly timezone?: string;
  readonly locale?: Locale;
  /** Local time at which numbering resets, `HH:MM`, default `00:00`. */
  readonly resetTime?: string;
  readonly services?: readonly ServiceInput[];
  readonly rooms?: readonly RoomInput[];
}

export interface ServiceInput {
  readonly id: ServiceId;
  readonly name?: string;
  readonly prefix?: string;
  readonly open?: boolean;
  readonly defaultMinutes?: number;
  readonly rank?: number;
}

export interface RoomInput {
  readonly id: RoomId;
  readonly name?: string;
  readonly open?: boolean;
  readonly services?: readonly ServiceId[] | null;
}

/** Settings as read back from a doc, with defaults filled in. */
export interface ClinicView {
  readonly schemaVersion: number;
  readonly name: string;
  readonly timezone: string;
  readonly locale: Locale;
  readonly resetTime: string;
  readonly open: boolean;
}

/**
 * The lifecycle part of an entry, written atomically (one map value) so a
 * merge never mixes fields of two concurrent transitions.
 */
export interface EntryState {
  readonly status: EntryStatus;
  /**
   * Call round: bumped every time the entry goes back to waiting. Concurrent
   * calls of the same round compete through their claims.
   */
  readonly round: number;
  /** Room that wrote this state (the effective room comes from the claims). */
  readonly room: RoomId | null;
  /** Only this room's "call next" may pick the entry (set by a transfer). */
  readonly targetRoom: RoomId | null;
  readonly firstCalledAt: number | null;
  readonly calledAt: number | null;
  readonly recalls: number;
  readonly startedAt: number | null;
  readonly finishedAt: number | null;
  /** When this state was written. */
  readonly at: number;
}

/** One room's attempt to call an entry in a given round. */
export interface CallClaim {
  readonly room: RoomId;
  readonly round: number;
  readonly at: number;
  /** Yjs clientID of the calling replica: last tie-break. */
  readonly client: number;
}

/** What a ticket is given once, when it is issued. */
export interface EntryIdentity {
  readonly id: EntryId;
  readonly day: Day;
  readonly label: string;
  /** The ticket number from a granted block, or null for a provisional label. */
  readonly number: number | null;
  readonly provisional: boolean;
  readonly issuer: string;
  readonly source: EntrySource;
  readonly createdAt: number;
  readonly service: ServiceId;
  readonly priority: PriorityClass;
  readonly orderKey: string;
}

/** An entry of the public doc, as a plain immutable view. */
export interface EntryView extends EntryIdentity, Omit<EntryState, 'at' | 'room'> {
  /** The room the entry is called to / served in: the winner of this round's claims. */
  readonly room: RoomId | null;
  readonly updatedAt: number;
  readonly claims: readonly CallClaim[];
}

/** A number block granted by the server to one issuing replica for one day. */
export interface NumberGrant {
  readonly device: string;
  readonly day: Day;
  /** First number of the block (≥ 1). */
  readonly start: number;
  readonly size: number;
  readonly grantedAt: number;
}

/** What `archiveDay` hands to the server to store: a finished day, read-only. */
export interface ArchivedDay {
  readonly day: Day;
  readonly archivedAt: number;
  readonly entries: readonly EntryView[];
  readonly grants: readonly NumberGrant[];
}

/** Staff-only record of one entry (staff doc), as a plain view. */
export interface PatientView {
  readonly entryId: EntryId;
  readonly day: Day;
  readonly name: string;
  readonly phone: string;
  readonly notes: string;
  readonly flags: Readonly<Record<string, boolean>>;
  readonly createdAt: number;
}

/** Randomness is passed in so tests (and the fuzzer) are reproducible. */
export type RandomBytes = (length: number) => Uint8Array;
