/**
 * The display's announcement queue: one call at a time (chime, then speech),
 * each step bounded by a timeout because some machines have no voice or no
 * audio device, each (entry, round, recall) at most once, and nothing that is
 * no longer true or no longer timely:
 *   late        the call is older than `maxAgeMs` when offered or when its
 *               turn comes (the display was offline, or just started)
 *   superseded  `isCurrent(key)` says the display's state moved on (the
 *               ticket was recalled, started, sent back) before its turn
 *   muted       staff muted the display; the call is shown, not spoken
 *   blocked     the browser blocks sound until someone touches the screen
 * Memory stays bounded over days: remembered keys, the queue and the log are
 * capped, and `destroy()` clears the one pending timer.
 */
import type {
  AnnounceOutput,
  AnnouncementLogEntry,
  AnnouncementOutcome,
  CallAnnouncement,
} from './types.js';
import { announcementText } from './phrase.js';

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface AnnouncerOptions {
  readonly output: AnnounceOutput;
  /** The announcer's clock, corrected to the server's (calledAt is in that clock). */
  readonly now: () => number;
  /** Is this call key still what the display shows as the ticket's current call? */
  readonly isCurrent: (key: string) => boolean;
  readonly maxAgeMs?: number;
  readonly chimeTimeoutMs?: number;
  readonly speechTimeoutMs?: number;
  /** Silence between two announcements. */
  readonly gapMs?: number;
  readonly logSize?: number;
  readonly rememberKeys?: number;
  readonly maxQueue?: number;
  readonly timers?: Timers;
  readonly muted?: boolean;
  /** Keys already announced before a reload, so a reloaded display does not repeat them. */
  readonly seen?: Iterable<string>;
  /** Told each key the announcer takes on (to persist them for the next reload). */
  readonly onSeen?: (key: string) => void;
}

export interface Announcer {
  /** Offer a call; it is queued unless already seen, late or superseded. */
  offer(call: CallAnnouncement): void;
  setMuted(muted: boolean): void;
  isMuted(): boolean;
  /** Recent decisions, oldest first (bounded). */
  log(): readonly AnnouncementLogEntry[];
  /** Is an announcement playing right now? */
  busy(): boolean;
  /** Calls waiting for their turn. */
  pending(): number;
  destroy(): void;
}

const defaultTimers: Timers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof globalThis.setTimeout>),
};

export const DEFAULT_MAX_AGE_MS = 90_000;

export function createAnnouncer(options: AnnouncerOptions): Announcer {
  const {
    output,
    now,
    isCurrent,
    maxAgeMs = DEFAULT_MAX_AGE_MS,
    chimeTimeoutMs = 4_000,
    speechTimeoutMs = 10_000,
    gapMs = 700,
    logSize = 50,
    rememberKeys = 500,
    maxQueue = 20,
    timers = defaultTimers,
  } = options;
  let muted = options.muted ?? false;
  let destroyed = false;
  let playing = false;
  const queue: CallAnnouncement[] = [];
  // Insertion-ordered: the oldest keys are forgotten first.
  const seen = new Set<string>(options.seen);
  const entries: AnnouncementLogEntry[] = [];
  let gapTimer: unknown = null;
  let stepTimer: unknown = null;

  const remember = (key: string) => {
    seen.add(key);
    while (seen.size > rememberKeys) seen.delete(seen.values().next().value as string);
  };

  const record = (call: CallAnnouncement, outcome: AnnouncementOutcome) => {
    entries.push({
      key: call.key,
      ticket: call.ticket,
      room: call.room,
      text: announcementText(call.ticket, call.room, call.locale),
      outcome,
      at: now(),
    });
    if (entries.length > logSize) entries.splice(0, entries.length - logSize);
  };

  const isLate = (call: CallAnnouncement) => now() - call.calledAt > maxAgeMs;

  /** Resolves with 'ok' or 'timeout'; rejects when the step fails. */
  const bounded = (step: Promise<void>, ms: number): Promise<'ok' | 'timeout'> =>
    new Promise((resolve, reject) => {
      let settled = false;
      stepTimer = timers.setTimeout(() => {
        if (settled) return;
        settled = true;
        stepTimer = null;
        output.cancel();
        resolve('timeout');
      }, ms);
      step.then(
        () => {
          if (settled) return;
          settled = true;
          timers.clearTimeout(stepTimer);
          stepTimer = null;
          resolve('ok');
        },
        (error: unknown) => {
          if (settled) return;
          settled = true;
          timers.clearTimeout(stepTimer);
          stepTimer = null;
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });

  const play = async (call: CallAnnouncement): Promise<AnnouncementOutcome> => {
    if (!isCurrent(call.key)) return 'superseded';
    if (isLate(call)) return 'late';
    if (muted) return 'muted';
    if (output.audioState() === 'blocked') return 'blocked';
    try {
      // A chime that fails or hangs must not cost the spoken part.
      await bounded(output.chime(), chimeTimeoutMs).catch(() => 'ok');
      if (destroyed || muted) return muted ? 'muted' : 'superseded';
      const spoken = await bounded(
        output.speak(announcementText(call.ticket, call.room, call.locale), call.locale),
        speechTimeoutMs,
      );
      return spoken === 'ok' ? 'spoken' : 'timeout';
    } catch {
      return 'error';
    }
  };

  const pump = () => {
    if (playing || destroyed || gapTimer !== null) return;
    const call = queue.shift();
    if (!call) return;
    playing = true;
    void play(call).then((outcome) => {
      playing = false;
      if (destroyed) return;
      record(call, outcome);
      const spokeSomething = outcome === 'spoken' || outcome === 'timeout' || outcome === 'error';
      if (spokeSomething && gapMs > 0) {
        gapTimer = timers.setTimeout(() => {
          gapTimer = null;
          pump();
        }, gapMs);
      } else pump();
    });
  };

  return {
    offer(call) {
      if (destroyed) return;
      if (seen.has(call.key)) return;
      remember(call.key);
      options.onSeen?.(call.key);
      if (isLate(call)) {
        record(call, 'late');
        return;
      }
      queue.push(call);
      // After a long outage many calls arrive at once: only the newest are worth saying.
      while (queue.length > maxQueue) record(queue.shift()!, 'late');
      pump();
    },
    setMuted(value) {
      muted = value;
      if (muted && playing) output.cancel();
    },
    isMuted: () => muted,
    log: () => entries.slice(),
    busy: () => playing,
    pending: () => queue.length,
    destroy() {
      if (destroyed) return;
      destroyed = true;
      queue.length = 0;
      if (gapTimer !== null) timers.clearTimeout(gapTimer);
      if (stepTimer !== null) timers.clearTimeout(stepTimer);
      gapTimer = stepTimer = null;
      output.cancel();
    },
  };
}
