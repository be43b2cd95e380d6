/**
 * Clinic days. A "day" is the local calendar date in the clinic's timezone,
 * shifted by the clinic's reset time: with a 04:00 reset, 02:30 on the 2nd is
 * still the 1st. Computed with Intl on wall-clock parts, so DST changes move
 * nothing. Pure: `now` is always an argument (a client passes its clock
 * corrected by the server offset, see `correctedNow`).
 */
import type { Day } from './types.js';

export const DEFAULT_TIMEZONE = 'Europe/Paris';
export const DEFAULT_RESET_TIME = '00:00';

const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const RESET_PATTERN = /^([01]\d|2[0-3]):([0-5]\d)$/;

export function isDay(value: unknown): value is Day {
  if (typeof value !== 'string') return false;
  const m = DAY_PATTERN.exec(value);
  if (!m) return false;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return date.toISOString().slice(0, 10) === value;
}

/** Parses `YYYY-MM-DD` (a real calendar date) or returns null. */
export const parseDay = (value: unknown): Day | null => (isDay(value) ? value : null);

/** `HH:MM` → minutes after midnight, or null. */
export function parseResetTime(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const m = RESET_PATTERN.exec(value);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

export function isValidTimezone(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

export interface LocalParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
}

/** Wall-clock parts of `now` in `timezone`. */
export function localParts(now: number, timezone: string): LocalParts {
  const options: Intl.DateTimeFormatOptions = {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  };
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', { ...options, timeZone: timezone });
  } catch {
    // An unknown zone in a doc (written by a newer app?) must not break every screen.
    format = new Intl.DateTimeFormat('en-US', { ...options, timeZone: DEFAULT_TIMEZONE });
  }
  const parts: Record<string, number> = {};
  for (const part of format.formatToParts(now)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? 1970,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    // Some engines print midnight as 24 even with h23.
    hour: (parts.hour ?? 0) % 24,
    minute: parts.minute ?? 0,
  };
}

const formatUtcDate = (ms: number): Day => new Date(ms).toISOString().slice(0, 10) as Day;

export interface DaySettings {
  readonly timezone: string;
  readonly resetTime: string;
}

/** The clinic day that `now` falls in. */
export function clinicDay(now: number, settings: DaySettings): Day {
  const p = localParts(now, settings.timezone);
  const reset = parseResetTime(settings.resetTime) ?? 0;
  const before = p.hour * 60 + p.minute < reset ? 1 : 0;
  return formatUtcDate(Date.UTC(p.year, p.month - 1, p.day - before));
}

export function addDays(day: Day, days: number): Day {
  const m = DAY_PATTERN.exec(day);
  if (!m) throw new RangeError(`not a day: ${day}`);
  return formatUtcDate(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + days));
}

/**
 * Server clock offset from one request/response pair (NTP-style midpoint):
 * the client adds it to its own clock before calling any domain function.
 */
export function clockOffset(sample: {
  sentAt: number;
  serverTime: number;
  receivedAt: number;
}): number {
  return Math.round(sample.serverTime - (sample.sentAt + sample.receivedAt) / 2);
}

export const correctedNow = (localNow: number, offset: number): number => localNow + offset;
