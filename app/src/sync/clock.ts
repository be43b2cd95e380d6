/**
 * The one server-corrected clock of a session. Every screen that shows or
 * decides something by time (positions, estimated waits, consultation
 * timers, whether a call is still fresh enough to announce) reads `now()`
 * from the clock its session was opened with, never `Date.now()`: a
 * receptionist's PC, the waiting-room TV and a patient's phone disagree by
 * seconds to minutes, and invariant 5 wants them to show the same wait.
 *
 * The HTTP client feeds it one sample per answer (`x-server-time`, ms):
 * NTP-style midpoint of the round trip. Of the recent samples the one with
 * the shortest round trip wins (its midpoint is the least uncertain). The
 * offset is kept in storage so a display that restarts offline still has it.
 */
import { clockOffset } from '../../../shared/queue/index.js';

export interface ClockSample {
  /** Local clock when the request left. */
  readonly sentAt: number;
  /** The server's clock while it answered (ms since the epoch). */
  readonly serverTime: number;
  /** Local clock when the answer arrived. */
  readonly receivedAt: number;
}

export interface ServerClock {
  /** Server time, as well as this device can tell (ms since the epoch). */
  now(): number;
  /** What `now()` adds to the local clock. */
  offset(): number;
  /** One measured round trip; ignored when it makes no sense (negative round trip). */
  sample(s: ClockSample): void;
  /** Called when the offset moved by more than `notifyBeyondMs`; returns an unsubscribe. */
  subscribe(listener: () => void): () => void;
}

export interface ServerClockOptions {
  /** The device's own clock (tests pass a fake). */
  readonly local?: () => number;
  /** Where the last offset is kept across reloads (null: nowhere). */
  readonly storage?: Pick<Storage, 'getItem' | 'setItem'> | null;
  readonly storageKey?: string;
  /** How many recent samples compete (default 8). */
  readonly keep?: number;
  /** Listeners hear of changes larger than this (default 250 ms). */
  readonly notifyBeyondMs?: number;
}

interface Measured {
  readonly offset: number;
  readonly rtt: number;
}

export function createServerClock(opts: ServerClockOptions = {}): ServerClock {
  const local = opts.local ?? Date.now;
  const keep = opts.keep ?? 8;
  const notifyBeyond = opts.notifyBeyondMs ?? 250;
  const storage = opts.storage ?? null;
  const key = opts.storageKey ?? null;
  const listeners = new Set<() => void>();
  const samples: Measured[] = [];

  let current = readStored();
  let notified = current;

  function readStored(): number {
    if (!storage || !key) return 0;
    try {
      const v = Number(storage.getItem(key));
      return Number.isFinite(v) ? v : 0;
    } catch {
      return 0;
    }
  }
  function store(value: number): void {
    if (!storage || !key) return;
    try {
      storage.setItem(key, String(value));
    } catch {
      // Storage full or disabled: the offset is measured again after a reload.
    }
  }

  return {
    now: () => local() + current,
    offset: () => current,
    sample(s) {
      const rtt = s.receivedAt - s.sentAt;
      if (!Number.isFinite(s.serverTime) || !(rtt >= 0)) return;
      samples.push({ offset: clockOffset(s), rtt });
      if (samples.length > keep) samples.shift();
      let best = samples[0]!;
      for (const m of samples) if (m.rtt <= best.rtt) best = m;
      if (best.offset === current) return;
      current = best.offset;
      store(current);
      if (Math.abs(current - notified) > notifyBeyond) {
        notified = current;
        for (const l of [...listeners]) l();
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** The response header every answer carries: the server's clock in ms (shared/api-constants.ts). */
export { SERVER_TIME_HEADER } from '../../../shared/api-constants.js';
