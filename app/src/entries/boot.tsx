/**
 * What every audience's page does on start: the document language, the root
 * render, and the service worker that caches this page's shell, so a screen
 * that reloads during a network cut still starts.
 */
import { StrictMode, useEffect, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import type { Audience } from '../../../shared/audiences.js';
import { getLocale } from '../i18n/index.js';

export function boot(audience: Audience, app: ReactNode): void {
  document.documentElement.lang = getLocale();
  createRoot(document.getElementById('root')!).render(<StrictMode>{app}</StrictMode>);
  if (import.meta.env.PROD && 'serviceWorker' in navigator) {
    window.addEventListener('load', () => {
      // Installed from this page, the worker fetches only this audience's shell.
      navigator.serviceWorker.register(`/sw.js?audience=${audience}`).catch(() => undefined);
    });
  }
}

/** An address this page does not show belongs to the staff app: load it from the start page. */
export function ToStartPage() {
  useEffect(() => window.location.replace('/'), []);
  return null;
}
