/* global self, caches */
/*
 * QueueMed service worker: caches the app shell so a reception PC or a
 * display that reloads during a network cut still starts (its data comes
 * from IndexedDB).
 *   navigations   network first, the cached index.html as fallback
 *   /assets/*     cache first (file names carry a content hash)
 *   /api, /ws     never cached
 */
const CACHE = 'queuemed-shell-v1';
const SHELL = '/index.html';

const assetsOf = (html) => [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);

async function cacheShell(response) {
  const cache = await caches.open(CACHE);
  const html = await response.clone().text();
  await cache.put(SHELL, response);
  const current = new Set(assetsOf(html));
  // Assets of older builds are never used again: a screen open for months must not grow the cache.
  for (const req of await cache.keys()) {
    const path = new URL(req.url).pathname;
    if (path.startsWith('/assets/') && !current.has(path)) await cache.delete(req);
  }
  // Fetch the shell's assets now, so the next offline start has all of them.
  await Promise.all(
    [...current].map(async (url) => {
      if (await cache.match(url)) return;
      try {
        const res = await fetch(url);
        if (res.ok) await cache.put(url, res);
      } catch {
        // offline: it is cached when first used
      }
    }),
  );
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    fetch('/', { cache: 'no-store' })
      .then((res) => (res.ok ? cacheShell(res) : undefined))
      .catch(() => undefined)
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/ws')) return;

  if (req.mode === 'navigate') {
    event.respondWith(
      fetch(req)
        .then((res) => {
          const html = res.headers.get('content-type')?.includes('text/html');
          if (res.ok && html) event.waitUntil(cacheShell(res.clone()));
          return res;
        })
        .catch(async () => (await caches.match(SHELL)) ?? Response.error()),
    );
    return;
  }

  if (url.pathname.startsWith('/assets/')) {
    event.respondWith(
      caches.match(req).then(
        (hit) =>
          hit ??
          fetch(req).then((res) => {
            if (res.ok) {
              const copy = res.clone();
              event.waitUntil(caches.open(CACHE).then((c) => c.put(req, copy)));
            }
            return res;
          }),
      ),
    );
  }
});

// A patient's "it's your turn" notification (shown through this worker on
// Android) brings their ticket page back to the front.
self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const target = event.notification.data?.url ?? '/';
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((windows) => {
      const open = windows.find(
        (w) => new URL(w.url).pathname === new URL(target, self.location.origin).pathname,
      );
      return open ? open.focus() : self.clients.openWindow(target);
    }),
  );
});
