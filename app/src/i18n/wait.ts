/**
 * The estimated wait as every screen says it — the patient's phone, the
 * waiting-room display and reception (invariant 5: the same minutes read the
 * same everywhere). `minutes` is `waitMinutes(wait)` from `shared/queue`
 * (rule W1, rounded to the nearest minute; 0 means "very soon", which the
 * plan says only to the first tickets).
 */
import { makeT, type Locale } from './index.js';

const t = makeT({
  fr: {
    waitNone: 'Très bientôt',
    waitMin: '≈ {n}\u00a0min',
    waitHours: '≈ {h}\u00a0h\u00a0{mm}',
  },
  en: {
    waitNone: 'Very soon',
    waitMin: '≈ {n}\u00a0min',
    waitHours: '≈ {h}\u00a0h\u00a0{mm}',
  },
});

/** "Très bientôt", "≈ 25 min", "≈ 1 h 05"; "—" when there is no estimate. */
export function waitText(minutes: number | null, locale: Locale): string {
  if (minutes === null || !Number.isFinite(minutes)) return '—';
  const tr = t(locale);
  if (minutes < 1) return tr('waitNone');
  if (minutes < 60) return tr('waitMin', { n: minutes });
  return tr('waitHours', {
    h: Math.floor(minutes / 60),
    mm: String(minutes % 60).padStart(2, '0'),
  });
}
