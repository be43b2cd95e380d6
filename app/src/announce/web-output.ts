/**
 * The browser's AnnounceOutput: a chime synthesized with WebAudio (no audio
 * file to cache) and the Web Speech API. Browsers start an AudioContext
 * suspended until a user gesture (unless the kiosk runs with
 * --autoplay-policy=no-user-gesture-required); `audioState()` reports that as
 * 'blocked' so the screen can ask someone to touch it.
 */
import type { Locale } from '../../../shared/queue/types.js';
import type { AnnounceOutput, AudioState } from './types.js';

const SPEECH_LANG: Record<Locale, string> = { fr: 'fr-FR', en: 'en-GB' };

/** Two soft bell tones, a major third down (E5 → C5), ~1.4 s. */
const CHIME_NOTES = [
  { freq: 659.25, at: 0, length: 0.9 },
  { freq: 523.25, at: 0.45, length: 1.0 },
] as const;
const CHIME_SECONDS = 1.5;

type AudioContextCtor = typeof AudioContext;

export interface WebOutputOptions {
  /** Patients' phones get a shorter, louder chime; the display a gentle one. */
  readonly volume?: number;
}

export function webOutput(options: WebOutputOptions = {}): AnnounceOutput {
  const volume = options.volume ?? 0.35;
  const listeners = new Set<() => void>();
  const notify = () => listeners.forEach((l) => l());
  const Ctor: AudioContextCtor | undefined =
    typeof window === 'undefined'
      ? undefined
      : (window.AudioContext ??
        (window as unknown as { webkitAudioContext?: AudioContextCtor }).webkitAudioContext);
  let ctx: AudioContext | null = null;
  try {
    ctx = Ctor ? new Ctor() : null;
  } catch {
    ctx = null;
  }
  if (ctx) ctx.onstatechange = notify;
  const synth: SpeechSynthesis | undefined =
    typeof window !== 'undefined' ? window.speechSynthesis : undefined;
  let voices: SpeechSynthesisVoice[] = [];
  const loadVoices = () => {
    voices = synth?.getVoices() ?? [];
  };
  loadVoices();
  synth?.addEventListener?.('voiceschanged', loadVoices);
  const pending = new Set<ReturnType<typeof setTimeout>>();

  const pickVoice = (locale: Locale): SpeechSynthesisVoice | undefined => {
    const lang = SPEECH_LANG[locale];
    return (
      voices.find((v) => v.lang === lang && v.localService) ??
      voices.find((v) => v.lang === lang) ??
      voices.find((v) => v.lang.toLowerCase().startsWith(locale))
    );
  };

  return {
    chime() {
      if (!ctx || ctx.state !== 'running') return Promise.resolve();
      const start = ctx.currentTime + 0.05;
      const master = ctx.createGain();
      master.gain.value = volume;
      master.connect(ctx.destination);
      for (const note of CHIME_NOTES) {
        // A sine plus a quiet octave gives a bell-like tone without harshness.
        for (const [mult, level] of [
          [1, 1],
          [2, 0.25],
        ] as const) {
          const osc = ctx.createOscillator();
          const gain = ctx.createGain();
          osc.type = 'sine';
          osc.frequency.value = note.freq * mult;
          const t = start + note.at;
          gain.gain.setValueAtTime(0.0001, t);
          gain.gain.exponentialRampToValueAtTime(level, t + 0.02);
          gain.gain.exponentialRampToValueAtTime(0.0001, t + note.length);
          osc.connect(gain).connect(master);
          osc.start(t);
          osc.stop(t + note.length + 0.05);
        }
      }
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          pending.delete(timer);
          master.disconnect();
          resolve();
        }, CHIME_SECONDS * 1000);
        pending.add(timer);
      });
    },

    speak(text, locale) {
      if (!synth || typeof SpeechSynthesisUtterance === 'undefined')
        return Promise.reject(new Error('speech synthesis unavailable'));
      return new Promise((resolve, reject) => {
        const u = new SpeechSynthesisUtterance(text);
        u.lang = SPEECH_LANG[locale];
        const voice = pickVoice(locale);
        if (voice) u.voice = voice;
        u.rate = 0.9;
        u.onend = () => resolve();
        u.onerror = (e) => reject(new Error(e.error));
        // Chrome sometimes leaves the queue paused after a tab was hidden.
        synth.resume();
        synth.speak(u);
      });
    },

    cancel() {
      synth?.cancel();
    },

    audioState(): AudioState {
      if (!ctx) return synth ? 'running' : 'unavailable';
      return ctx.state === 'running' ? 'running' : 'blocked';
    },

    async unlock() {
      try {
        await ctx?.resume();
      } catch {
        // Stays blocked; the banner stays up.
      }
      // Speech also needs one utterance from a gesture before it may speak alone.
      if (synth && typeof SpeechSynthesisUtterance !== 'undefined') {
        const u = new SpeechSynthesisUtterance(' ');
        u.volume = 0;
        synth.speak(u);
      }
      notify();
    },

    onStateChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    destroy() {
      listeners.clear();
      pending.forEach((t) => clearTimeout(t));
      pending.clear();
      synth?.removeEventListener?.('voiceschanged', loadVoices);
      synth?.cancel();
      if (ctx) {
        ctx.onstatechange = null;
        void ctx.close().catch(() => undefined);
      }
    },
  };
}
