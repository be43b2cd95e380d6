/**
 * French first, English switchable. Each feature folder keeps its own
 * dictionaries and builds its translator with `makeT`; the chosen locale is
 * shared through `useLocale` and persisted in localStorage.
 */
import { useSyncExternalStore } from 'react';

export type Locale = 'fr' | 'en';
export const LOCALES: readonly Locale[] = ['fr', 'en'];

const KEY = 'queuemed.locale';
const listeners = new Set<() => void>();

function readLocale(): Locale {
  try {
    const v = localStorage.getItem(KEY);
    return v === 'en' || v === 'fr' ? v : 'fr';
  } catch {
    return 'fr';
  }
}

let current: Locale = typeof localStorage === 'undefined' ? 'fr' : readLocale();

export function getLocale(): Locale {
  return current;
}

export function setLocale(locale: Locale): void {
  if (locale === current) return;
  current = locale;
  try {
    localStorage.setItem(KEY, locale);
  } catch {
    // private mode: the choice lasts for this page only
  }
  if (typeof document !== 'undefined') document.documentElement.lang = locale;
  for (const l of listeners) l();
}

const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => listeners.delete(l);
};

export function useLocale(): [Locale, (l: Locale) => void] {
  const locale = useSyncExternalStore(subscribe, getLocale, () => 'fr' as Locale);
  return [locale, setLocale];
}

export type Translate<D> = (key: keyof D, vars?: Record<string, string | number>) => string;

/** `{name}` placeholders are replaced from `vars`; a missing var stays visible. */
export function interpolate(text: string, vars?: Record<string, string | number>): string {
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}

export function makeT<D extends Record<string, string>>(dicts: {
  fr: D;
  en: D;
}): (locale: Locale) => Translate<D> {
  return (locale) => (key, vars) => interpolate(dicts[locale][key] ?? String(key), vars);
}
