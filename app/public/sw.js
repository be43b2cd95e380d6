/* global self, caches */
/*
 * QueueMed service worker: caches the app shell of each audience (staff,
 * display, patient: one page each) so a reception PC, a display or a
 * patient's phone that reloads during a network cut still starts (its data
 * comes from IndexedDB).
 *   navigations   network first; offline, the cached shell of that address's audience
 *   /assets/*     cache first (file names carry a content hash)
 *   /api, /ws     never cached
 * Each page registers it as /sw.js?audience=<staff|display|patient>, so the
 * install fetches that page's shell and its assets only: a patient's phone
 * never downloads the staff app in the background.
 */
const CACHE = 'queuemed-shells-v2';

// The table of shared/audiences.ts (shared/audiences.test.ts checks that both agree).
const AUDIENCES = ['staff', 'display', 'patient'];
const SHELLS = { staff: '/index.html', display: '/display.html', patient: '/patient.html' };
const under = (pathname, prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`);
function audienceOf(pathname) {
  for (const a of AUDIENCES) if (SHELLS[a] === pathname) return a;
  if (under(pathname, '/display')) return 'display';
  if (pathname.startsWith('/join/') || pathname.startsWith('/ticket/')) return 'patient';
  return 'staff';
}

const assetsOf = (html) => [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);

async function cacheShell(audience, response) {
  const cache = await caches.open(CACHE);
  const html = await response.clone().text();
  await cache.put(SHELLS[audience], response);
  const own = assetsOf(html);
  // Assets that no cached shell uses are from older builds: a screen open for
  // months must not grow the cache, and another audience's shell keeps its own.
  const used = new Set(own);
  for (const a of AUDIENCES) {
    if (a === audience) continue;
    const other = await cache.match(SHELLS[a]);
    if (other) assetsOf(await other.text()).forEach((url) => used.add(url));
  }
  for (const req of await cache.keys()) {
    const path = new URL(req.url).pathname;
    if (path.startsWith('/assets/') && !used.has(path)) await cache.delete(req);
  }
  // Fetch the shell's assets now, so the next offline start has all of them.
  await Promise.all(
    own.map(async (url) => {
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

/** The registering page's audience; a page of an older build registered without one. */
async function audiencesToInstall() {
  const named = new URL(self.location.href).searchParams.get('audience');
  if (AUDIENCES.includes(named)) return [named];
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  return [...new Set(windows.map((w) => audienceOf(new URL(w.url).pathname)))];
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    audiencesToInstall()
      .then((audiences) =>
        Promise.all(
          audiences.map((a) =>
            fetch(SHELLS[a], { cache: 'no-store' })
              .then((res) => (res.ok ? cacheShell(a, res) : undefined))
              .catch(() => undefined),
          ),
        ),
      )
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
    const audience = audienceOf(url.pathname);
    event.respondWith(
      fetch(req)
        .then((res) => {
          const html = res.headers.get('content-type')?.includes('text/html');
          if (res.ok && html) event.waitUntil(cacheShell(audience, res.clone()));
          return res;
        })
        .catch(async () => (await caches.match(SHELLS[audience])) ?? Response.error()),
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
