/**
 * Shape of the public `queue:<clinicId>` doc: root type names, schema version,
 * typed accessors, seeding and the settings mirror.
 *
 * Root types (all Y.Map, all created by name, so any replica may touch them):
 *   meta      schemaVersion, title, timezone, locale, resetTime, open, seededAt
 *   services  ServiceId → plain ServiceConfig record (atomic, last writer wins)
 *   rooms     RoomId → plain RoomConfig record
 *   entries   EntryId → Y.Map, created in the same transaction that inserts it
 *   grants    `<day>/<start>` → plain NumberGrant
 *   archived  Day → { archivedAt, entries } once the day left the live doc
 *
 * Nothing here can hold personal data: names, phones and notes live in the
 * staff doc (see staff.ts). Display names of the clinic, services and rooms
 * are stored under `title`, so that no key of the public doc is even called
 * "name" (the privacy test checks every key); the TypeScript views keep `name`.
 */
import * as Y from 'yjs';
import { DEFAULT_RESET_TIME, DEFAULT_TIMEZONE, isValidTimezone, parseResetTime } from './day.js';
import { fail, QueueError, type Failure } from './errors.js';
import type { QueueOrigin } from './origins.js';
import { seedOrigin } from './origins.js';
import {
  LOCALES,
  type ClinicSettings,
  type ClinicView,
  type Locale,
  type RoomConfig,
  type RoomId,
  type RoomInput,
  type ServiceConfig,
  type ServiceId,
  type ServiceInput,
} from './types.js';

export const SCHEMA_VERSION = 1;

export const QUEUE_ROOTS = {
  meta: 'meta',
  services: 'services',
  rooms: 'rooms',
  entries: 'entries',
  grants: 'grants',
  archived: 'archived',
} as const;

export type EntryMap = Y.Map<unknown>;

export const metaMap = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(QUEUE_ROOTS.meta);
export const servicesMap = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(QUEUE_ROOTS.services);
export const roomsMap = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(QUEUE_ROOTS.rooms);
export const entriesMap = (doc: Y.Doc): Y.Map<EntryMap> => doc.getMap(QUEUE_ROOTS.entries);
export const grantsMap = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(QUEUE_ROOTS.grants);
export const archivedMap = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(QUEUE_ROOTS.archived);

// ---- ids and small parsers ------------------------------------------------

const SERVICE_ID = /^[a-z0-9][a-z0-9-]{0,31}$/;
// Printable, no leading/trailing space, no control characters.
const ROOM_ID = /^[^\s\p{Cc}](?:[^\p{Cc}]{0,38}[^\s\p{Cc}])?$/u;
const PREFIX = /^[A-Z]$/;

export const isServiceId = (v: unknown): v is ServiceId =>
  typeof v === 'string' && SERVICE_ID.test(v);
export const isRoomId = (v: unknown): v is RoomId => typeof v === 'string' && ROOM_ID.test(v);
export const isPrefix = (v: unknown): v is string => typeof v === 'string' && PREFIX.test(v);

export function parseServiceId(value: unknown): ServiceId {
  if (!isServiceId(value))
    throw new QueueError('invalid-argument', `invalid service id ${JSON.stringify(value)}`);
  return value;
}

/** Room ids are free-form ("1", "Room 3"); surrounding spaces are trimmed. */
export function parseRoomId(value: unknown): RoomId {
  const v = typeof value === 'string' ? value.trim() : value;
  if (!isRoomId(v))
    throw new QueueError('invalid-argument', `invalid room id ${JSON.stringify(value)}`);
  return v;
}

// ---- defaults ---------------------------------------------------------------

export const DEFAULT_SERVICE_ID = 'main' as ServiceId;
export const DEFAULT_SERVICE_MINUTES = 10;

/** The service a fresh clinic gets (rule S4). */
export function defaultService(_locale: Locale = 'fr'): ServiceConfig {
  return {
    id: DEFAULT_SERVICE_ID,
    // The same word in French and English, and neutral, as every public name must be.
    name: 'Consultation',
    prefix: 'A',
    open: true,
    defaultMinutes: DEFAULT_SERVICE_MINUTES,
    rank: 0,
  };
}

// ---- reading ----------------------------------------------------------------

const str = (v: unknown, fallback: string): string => (typeof v === 'string' ? v : fallback);
const num = (v: unknown, fallback: number): number =>
  typeof v === 'number' && Number.isFinite(v) ? v : fallback;
const bool = (v: unknown, fallback: boolean): boolean => (typeof v === 'boolean' ? v : fallback);
const isLocale = (v: unknown): v is Locale => (LOCALES as readonly unknown[]).includes(v);

/** Clinic settings and queue state, or null if the doc is not seeded (yet). */
export function readClinic(doc: Y.Doc): ClinicView | null {
  const meta = metaMap(doc);
  const version = meta.get('schemaVersion');
  if (typeof version !== 'number') return null;
  const timezone = meta.get('timezone');
  const reset = meta.get('resetTime');
  const locale = meta.get('locale');
  return {
    schemaVersion: version,
    name: str(meta.get('title'), ''),
    // Validated when written (seed, settings); re-validating costs an Intl formatter per read.
    timezone: typeof timezone === 'string' && timezone !== '' ? timezone : DEFAULT_TIMEZONE,
    locale: isLocale(locale) ? locale : 'fr',
    resetTime: parseResetTime(reset) === null ? DEFAULT_RESET_TIME : (reset as string),
    open: bool(meta.get('open'), true),
  };
}

/** Seeded and readable by this code? Returns the failure to hand back otherwise. */
export function checkSchema(
  doc: Y.Doc,
): { clinic: ClinicView; failure: null } | { clinic: null; failure: Failure } {
  const clinic = readClinic(doc);
  if (clinic === null)
    return {
      clinic,
      failure: fail('not-seeded', 'the queue has not been set up by the server yet'),
    };
  if (clinic.schemaVersion > SCHEMA_VERSION) {
    return {
      clinic: null,
      failure: fail(
        'unsupported-schema',
        `queue schema ${clinic.schemaVersion} is newer than this app`,
      ),
    };
  }
  return { clinic, failure: null };
}

function readService(id: string, raw: unknown, locale: Locale): ServiceConfig {
  const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const fallback = defaultService(locale);
  return {
    id: id as ServiceId,
    name: str(r.title, id),
    prefix: isPrefix(r.prefix) ? r.prefix : fallback.prefix,
    open: bool(r.open, true),
    defaultMinutes: num(r.defaultMinutes, DEFAULT_SERVICE_MINUTES),
    rank: num(r.rank, 0),
  };
}

/** Configured services by rank; a clinic with none configured has the default one. */
export function readServices(doc: Y.Doc): ServiceConfig[] {
  const locale = readClinic(doc)?.locale ?? 'fr';
  const out: ServiceConfig[] = [];
  servicesMap(doc).forEach((raw, id) => {
    if (isServiceId(id)) out.push(readService(id, raw, locale));
  });
  if (out.length === 0) return [defaultService(locale)];
  return out.sort((a, b) => a.rank - b.rank || (a.id < b.id ? -1 : 1));
}

export const findService = (doc: Y.Doc, id: ServiceId): ServiceConfig | null =>
  readServices(doc).find((s) => s.id === id) ?? null;

export function readRooms(doc: Y.Doc): RoomConfig[] {
  const out: RoomConfig[] = [];
  roomsMap(doc).forEach((raw, id) => {
    if (!isRoomId(id)) return;
    const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    const services = Array.isArray(r.services) ? r.services.filter(isServiceId) : null;
    out.push({ id, name: str(r.title, id), open: bool(r.open, true), services });
  });
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

// ---- writing ----------------------------------------------------------------

function validateSettings(settings: ClinicSettings): void {
  if (typeof settings.name !== 'string')
    throw new QueueError('invalid-argument', 'clinic name is required');
  if (settings.timezone !== undefined && !isValidTimezone(settings.timezone)) {
    throw new QueueError('invalid-argument', `unknown timezone ${settings.timezone}`);
  }
  if (settings.resetTime !== undefined && parseResetTime(settings.resetTime) === null) {
    throw new QueueError('invalid-argument', `reset time must be HH:MM, got ${settings.resetTime}`);
  }
  if (settings.locale !== undefined && !isLocale(settings.locale)) {
    throw new QueueError('invalid-argument', `unknown locale ${String(settings.locale)}`);
  }
  for (const s of settings.services ?? []) validateServiceInput(s);
  for (const r of settings.rooms ?? []) validateRoomInput(r);
}

export function validateServiceInput(s: ServiceInput): void {
  if (!isServiceId(s.id))
    throw new QueueError('invalid-argument', `invalid service id ${JSON.stringify(s.id)}`);
  if (s.prefix !== undefined && !isPrefix(s.prefix))
    throw new QueueError('invalid-argument', 'prefix must be one letter A–Z');
  if (s.name !== undefined && (typeof s.name !== 'string' || s.name.length > 80)) {
    throw new QueueError('invalid-argument', 'service name must be at most 80 characters');
  }
  if (s.defaultMinutes !== undefined && !(s.defaultMinutes > 0 && s.defaultMinutes <= 600)) {
    throw new QueueError('invalid-argument', 'default minutes must be in (0, 600]');
  }
}

export function validateRoomInput(r: RoomInput): void {
  if (!isRoomId(r.id))
    throw new QueueError('invalid-argument', `invalid room id ${JSON.stringify(r.id)}`);
  if (r.name !== undefined && (typeof r.name !== 'string' || r.name.length > 80)) {
    throw new QueueError('invalid-argument', 'room name must be at most 80 characters');
  }
  if (r.services && !r.services.every(isServiceId))
    throw new QueueError('invalid-argument', 'invalid service id in room');
}

/** Merge an input into the stored record: plain JSON, so it is one atomic value. */
export function writeService(doc: Y.Doc, input: ServiceInput): void {
  const locale = readClinic(doc)?.locale ?? 'fr';
  const map = servicesMap(doc);
  const prev = map.has(input.id)
    ? readService(input.id, map.get(input.id), locale)
    : { ...defaultService(locale), id: input.id, name: input.id, rank: map.size };
  const next: ServiceConfig = {
    id: input.id,
    name: input.name ?? prev.name,
    prefix: input.prefix ?? prev.prefix,
    open: input.open ?? prev.open,
    defaultMinutes: input.defaultMinutes ?? prev.defaultMinutes,
    rank: input.rank ?? prev.rank,
  };
  const { name, ...rest } = next;
  const stored = { ...rest, title: name };
  if (JSON.stringify(map.get(input.id)) !== JSON.stringify(stored)) map.set(input.id, stored);
}

export function writeRoom(doc: Y.Doc, input: RoomInput): void {
  const map = roomsMap(doc);
  const prev = readRooms(doc).find((r) => r.id === input.id);
  const stored = {
    id: input.id,
    title: input.name ?? prev?.name ?? input.id,
    open: input.open ?? prev?.open ?? true,
    services: input.services === undefined ? (prev?.services ?? null) : input.services,
  };
  if (JSON.stringify(map.get(input.id)) !== JSON.stringify(stored)) map.set(input.id, stored);
}

function writeSettings(doc: Y.Doc, settings: ClinicSettings): void {
  const meta = metaMap(doc);
  const setIfChanged = (key: string, value: unknown) => {
    if (value !== undefined && meta.get(key) !== value) meta.set(key, value);
  };
  setIfChanged('title', settings.name);
  setIfChanged(
    'timezone',
    settings.timezone ?? (meta.has('timezone') ? undefined : DEFAULT_TIMEZONE),
  );
  setIfChanged('locale', settings.locale ?? (meta.has('locale') ? undefined : 'fr'));
  setIfChanged(
    'resetTime',
    settings.resetTime ?? (meta.has('resetTime') ? undefined : DEFAULT_RESET_TIME),
  );
  if (settings.services) {
    const keep = new Set<string>(settings.services.map((s) => s.id));
    for (const id of [...servicesMap(doc).keys()]) if (!keep.has(id)) servicesMap(doc).delete(id);
    settings.services.forEach((s, i) => writeService(doc, { rank: i, ...s }));
  }
  if (settings.rooms) {
    const keep = new Set<string>(settings.rooms.map((r) => r.id));
    for (const id of [...roomsMap(doc).keys()]) if (!keep.has(id)) roomsMap(doc).delete(id);
    for (const r of settings.rooms) writeRoom(doc, r);
  }
}

/**
 * Server-only, once per clinic (CLI `clinic add`): schema version, settings,
 * the default service when none is given, queue open. A no-op on a doc that
 * is already seeded. Throws QueueError('invalid-argument') on bad settings.
 */
export function seedQueueDoc(doc: Y.Doc, settings: ClinicSettings, now: number): void {
  validateSettings(settings);
  if (metaMap(doc).has('schemaVersion')) return;
  doc.transact(() => {
    const meta = metaMap(doc);
    meta.set('schemaVersion', SCHEMA_VERSION);
    meta.set('seededAt', now);
    meta.set('open', true);
    const withDefault: ClinicSettings =
      settings.services && settings.services.length > 0
        ? settings
        : { ...settings, services: [defaultService(settings.locale ?? 'fr')] };
    writeSettings(doc, withDefault);
  }, seedOrigin);
}

/**
 * Mirror database settings into the public doc (server side). Writes only
 * what changed. A given `services`/`rooms` list is the full list: others are
 * removed. Throws QueueError('invalid-argument') on bad settings.
 */
export function applyClinicSettings(
  doc: Y.Doc,
  settings: ClinicSettings,
  origin: QueueOrigin,
): void {
  validateSettings(settings);
  doc.transact(() => writeSettings(doc, settings), origin);
}
