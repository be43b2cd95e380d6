/**
 * A scripted AnnounceOutput for unit tests: records every chime and utterance
 * with its start and end, and lets the test decide when each one finishes
 * (or never finishes, to exercise the timeouts).
 */
import type { Locale } from '../../../shared/queue/types.js';
import type { AnnounceOutput, AudioState } from './types.js';

export interface FakeEvent {
  readonly kind: 'chime' | 'speak';
  readonly text?: string;
  readonly locale?: Locale;
  readonly start: number;
  end: number | null;
}

export interface FakeOutput extends AnnounceOutput {
  readonly events: FakeEvent[];
  /** 'auto' resolves each step after `durationMs`; 'hang' never resolves; 'fail' rejects. */
  mode: 'auto' | 'hang' | 'fail';
  state: AudioState;
  cancelled: number;
}

export function fakeOutput(now: () => number, durationMs = 1_000): FakeOutput {
  const listeners = new Set<() => void>();
  const run = (event: FakeEvent): Promise<void> => {
    out.events.push(event);
    if (out.mode === 'hang') return new Promise(() => undefined);
    if (out.mode === 'fail') {
      event.end = now();
      return Promise.reject(new Error('synthesis-failed'));
    }
    return new Promise((resolve) =>
      setTimeout(() => {
        event.end = now();
        resolve();
      }, durationMs),
    );
  };
  const out: FakeOutput = {
    events: [],
    mode: 'auto',
    state: 'running',
    cancelled: 0,
    chime: () => run({ kind: 'chime', start: now(), end: null }),
    speak: (text, locale) => run({ kind: 'speak', text, locale, start: now(), end: null }),
    cancel: () => {
      out.cancelled++;
    },
    audioState: () => out.state,
    unlock: async () => {
      out.state = 'running';
      listeners.forEach((l) => l());
    },
    onStateChange: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    destroy: () => listeners.clear(),
  };
  return out;
}
