/**
 * Sound and speech behind one small interface, so the announcer's queue is
 * tested with a fake and the display and patient screens share the browser
 * implementation (web-output.ts).
 */
import type { Locale } from '../../../shared/queue/types.js';

/** running: sound plays · blocked: the browser waits for a user gesture · unavailable: no audio at all. */
export type AudioState = 'running' | 'blocked' | 'unavailable';

export interface AnnounceOutput {
  /** Plays the chime; resolves when it has finished (or failed). */
  chime(): Promise<void>;
  /** Speaks `text`; resolves when done, rejects on error. The announcer adds the timeout. */
  speak(text: string, locale: Locale): Promise<void>;
  /** Stops anything playing or speaking now (timeout, mute, destroy). */
  cancel(): void;
  audioState(): AudioState;
  /** Called from a user gesture: resumes a suspended AudioContext. */
  unlock(): Promise<void>;
  /** Notified when audioState may have changed; returns the unsubscribe. */
  onStateChange(listener: () => void): () => void;
  destroy(): void;
}

/** One call of a ticket, as the display sees it. */
export interface CallAnnouncement {
  /** Unique per (entry, call round, recall count): each is announced at most once. */
  readonly key: string;
  readonly entryId: string;
  readonly ticket: string;
  /** What to say for the room ("3", "Radiologie"). */
  readonly room: string;
  /** When the call was made (server-corrected clock). */
  readonly calledAt: number;
  readonly locale: Locale;
}

export type AnnouncementOutcome =
  'spoken' | 'timeout' | 'error' | 'muted' | 'blocked' | 'late' | 'superseded';

export interface AnnouncementLogEntry {
  readonly key: string;
  readonly ticket: string;
  readonly room: string;
  readonly text: string;
  readonly outcome: AnnouncementOutcome;
  /** When the announcer decided (clock of the announcer). */
  readonly at: number;
}
