import { shellFor } from '../../../shared/audiences.js';

/**
 * Notices when the server runs a newer build: the hashed entry script in a
 * freshly fetched copy of this page's own shell (index.html for staff,
 * display.html, patient.html: `shared/audiences.ts`) differs from the one
 * this page runs. The page then reloads at a quiet moment — no field
 * focused, no input for a while, nothing waiting to sync — so nobody loses
 * what they were typing.
 */
const entryScript = (html: string): string | null =>
  /<script[^>]+type="module"[^>]+src="([^"]+)"/.exec(html)?.[1] ?? null;

export function currentEntryScript(): string | null {
  const el = document.querySelector<HTMLScriptElement>('script[type="module"][src]');
  return el ? new URL(el.src, location.href).pathname : null;
}

export interface VersionWatch {
  stop(): void;
}

export function watchAppVersion(opts: {
  /** True when reloading now would interrupt nothing (e.g. no unsynced change). */
  quiet: () => boolean;
  onUpdateReady?: () => void;
  checkEveryMs?: number;
  idleMs?: number;
}): VersionWatch {
  const running = currentEntryScript();
  const checkEvery = opts.checkEveryMs ?? 5 * 60_000;
  const idleMs = opts.idleMs ?? 30_000;
  let lastInput = Date.now();
  let updateReady = false;
  const onInput = () => (lastInput = Date.now());
  const events = ['keydown', 'pointerdown', 'input', 'wheel'] as const;
  events.forEach((e) => window.addEventListener(e, onInput, { passive: true }));

  const check = async () => {
    if (updateReady || running === null || !navigator.onLine) return;
    try {
      const shell = shellFor(location.pathname);
      const res = await fetch(shell, { cache: 'no-store', headers: { accept: 'text/html' } });
      const latest = res.ok ? entryScript(await res.text()) : null;
      if (latest && latest !== running) {
        updateReady = true;
        opts.onUpdateReady?.();
      }
    } catch {
      // offline: try again later
    }
  };
  const tryReload = () => {
    if (!updateReady) return;
    const active = document.activeElement;
    const editing =
      active instanceof HTMLInputElement ||
      active instanceof HTMLTextAreaElement ||
      active instanceof HTMLSelectElement ||
      (active instanceof HTMLElement && active.isContentEditable);
    if (!editing && Date.now() - lastInput > idleMs && opts.quiet()) location.reload();
  };
  const checkTimer = setInterval(() => void check(), checkEvery);
  const reloadTimer = setInterval(tryReload, 5_000);
  return {
    stop() {
      clearInterval(checkTimer);
      clearInterval(reloadTimer);
      events.forEach((e) => window.removeEventListener(e, onInput));
    },
  };
}
