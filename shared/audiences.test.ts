import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { AUDIENCES, audienceOf, SHELLS, shellFor } from './audiences.js';

const SW = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'app', 'public', 'sw.js');
const ORIGIN = 'https://clinic.test';

const PATHS = [
  '/',
  '/login',
  '/c/demo/reception',
  '/c/demo/room/1',
  '/c/demo/admin',
  '/display',
  '/display/',
  '/display/anything',
  '/displays',
  '/join/abc',
  '/join/p/abc',
  '/join',
  '/ticket/demo/e1',
  '/tickets',
  '/index.html',
  '/display.html',
  '/patient.html',
];

type Handler = (event: Record<string, unknown>) => void;

/** app/public/sw.js in a sandbox: a Cache API over maps, and a network serving the build in `files`. */
function loadWorker(script: string, files: Map<string, string>) {
  const caches = new Map<string, Map<string, Response>>();
  const key = (k: string | { url: string }) =>
    new URL(typeof k === 'string' ? k : k.url, ORIGIN).href;
  const openCache = (name: string) => {
    const entries = caches.get(name) ?? new Map<string, Response>();
    caches.set(name, entries);
    return {
      put: async (k: string, res: Response) => void entries.set(key(k), res),
      match: async (k: string) => entries.get(key(k))?.clone(),
      keys: async () => [...entries.keys()].map((url) => ({ url })),
      delete: async (k: { url: string }) => entries.delete(key(k)),
    };
  };
  let online = true;
  const fetched: string[] = [];
  const fetchFn = async (input: string | { url: string }) => {
    const url = new URL(key(input));
    fetched.push(url.pathname);
    if (!online) throw new TypeError('Failed to fetch');
    // Like the server: a file, or else the shell of the address's audience.
    const asset = url.pathname.startsWith('/assets/');
    const body = files.get(asset ? url.pathname : shellFor(url.pathname));
    if (body === undefined) return new Response('not found', { status: 404 });
    const type = asset ? 'text/javascript' : 'text/html';
    return new Response(body, { headers: { 'content-type': type } });
  };
  const listeners = new Map<string, Handler>();
  const self = {
    location: new URL(script, ORIGIN),
    addEventListener: (type: string, h: Handler) => listeners.set(type, h),
    skipWaiting: async () => undefined,
    clients: { matchAll: async () => [], claim: async () => undefined },
  };
  const sandbox = vm.createContext({
    self,
    fetch: fetchFn,
    caches: {
      open: async (name: string) => openCache(name),
      keys: async () => [...caches.keys()],
      delete: async (name: string) => caches.delete(name),
      match: async (k: string) => {
        for (const entries of caches.values()) {
          const hit = entries.get(key(k));
          if (hit) return hit.clone();
        }
        return undefined;
      },
    },
    URL,
    Response,
    TypeError,
  });
  vm.runInContext(fs.readFileSync(SW, 'utf8'), sandbox);

  /** Runs a handler and waits for everything it asked to wait for. */
  const dispatch = async (type: string, extra: Record<string, unknown> = {}) => {
    const pending: Promise<unknown>[] = [];
    let answer: Promise<Response> | undefined;
    listeners.get(type)!({
      ...extra,
      waitUntil: (p: Promise<unknown>) => pending.push(p),
      respondWith: (p: Promise<Response>) => (answer = p),
    });
    const res = await answer;
    // waitUntil may be called while the answer is produced: settle until nothing new is pending.
    for (let done = 0; done < pending.length;) {
      const upTo = pending.length;
      await Promise.all(pending.slice(done, upTo));
      done = upTo;
    }
    return res;
  };
  const cached = () =>
    [...caches.values()].flatMap((entries) => [...entries.keys()].map((u) => new URL(u).pathname));
  return {
    sandbox,
    fetched,
    cached,
    setOnline: (v: boolean) => (online = v),
    install: () => dispatch('install'),
    activate: () => dispatch('activate'),
    navigate: (pathname: string) =>
      dispatch('fetch', {
        request: { method: 'GET', mode: 'navigate', url: new URL(pathname, ORIGIN).href },
      }),
  };
}

const shell = (...assets: string[]) =>
  `<!doctype html><html><head>${assets
    .map((a) =>
      a.endsWith('.css')
        ? `<link rel="stylesheet" href="${a}">`
        : `<script type="module" src="${a}"></script>`,
    )
    .join('')}</head><body><div id="root"></div></body></html>`;

function build(tag: string) {
  return new Map([
    ['/index.html', shell(`/assets/staff-${tag}.js`, `/assets/shared-${tag}.js`)],
    ['/display.html', shell(`/assets/display-${tag}.js`, `/assets/shared-${tag}.js`)],
    ['/patient.html', shell(`/assets/patient-${tag}.js`, `/assets/patient-${tag}.css`)],
    ...['staff', 'display', 'patient', 'shared'].map((n): [string, string] => [
      `/assets/${n}-${tag}.js`,
      `// ${n} ${tag}`,
    ]),
    [`/assets/patient-${tag}.css`, `/* patient ${tag} */`],
  ]);
}

describe('audiences', () => {
  it('starts the display at /display, the patient at /join/… and /ticket/…, and staff everywhere else', () => {
    expect(PATHS.map((p) => `${p} ${audienceOf(p)}`)).toEqual([
      '/ staff',
      '/login staff',
      '/c/demo/reception staff',
      '/c/demo/room/1 staff',
      '/c/demo/admin staff',
      '/display display',
      '/display/ display',
      '/display/anything display',
      '/displays staff',
      '/join/abc patient',
      '/join/p/abc patient',
      '/join staff',
      '/ticket/demo/e1 patient',
      '/tickets staff',
      '/index.html staff',
      '/display.html display',
      '/patient.html patient',
    ]);
    expect(shellFor('/ticket/demo/e1')).toBe('/patient.html');
  });

  it('the service worker keeps the same table as shared/audiences.ts', () => {
    const sw = loadWorker('/sw.js', new Map());
    const copy = vm.runInContext('({ AUDIENCES, SHELLS, audienceOf })', sw.sandbox) as {
      AUDIENCES: string[];
      SHELLS: Record<string, string>;
      audienceOf: (p: string) => string;
    };
    expect([...copy.AUDIENCES]).toEqual([...AUDIENCES]);
    expect({ ...copy.SHELLS }).toEqual({ ...SHELLS });
    for (const p of [...PATHS, '/display/x/y', '/join/', '/ticket', '/c/x/display']) {
      expect(copy.audienceOf(p), p).toBe(audienceOf(p));
    }
  });
});

describe('the service worker (app/public/sw.js)', () => {
  it('installed from the patient page, caches the patient shell and its assets only', async () => {
    const sw = loadWorker('/sw.js?audience=patient', build('a'));
    await sw.install();
    expect(sw.fetched.sort()).toEqual([
      '/assets/patient-a.css',
      '/assets/patient-a.js',
      '/patient.html',
    ]);
    expect(sw.cached().sort()).toEqual([
      '/assets/patient-a.css',
      '/assets/patient-a.js',
      '/patient.html',
    ]);
  });

  it('offline, answers a navigation with the cached shell of that address’s audience, and fails when that shell was never cached', async () => {
    const files = build('a');
    const sw = loadWorker('/sw.js?audience=display', files);
    await sw.install();
    await sw.navigate('/ticket/demo/e1');
    sw.setOnline(false);
    expect(await (await sw.navigate('/display'))!.text()).toBe(files.get('/display.html'));
    expect(await (await sw.navigate('/ticket/demo/e1'))!.text()).toBe(files.get('/patient.html'));
    expect((await sw.navigate('/c/demo/reception'))!.type).toBe('error');
  });

  it('a new build’s shell drops that audience’s old assets but keeps those of another cached shell', async () => {
    const files = build('a');
    const sw = loadWorker('/sw.js?audience=staff', files);
    await sw.install();
    await sw.navigate('/display');
    for (const [k, v] of build('b')) files.set(k, v);
    await sw.navigate('/c/demo/reception');
    expect(sw.cached().sort()).toEqual([
      '/assets/display-a.js',
      '/assets/shared-a.js',
      '/assets/shared-b.js',
      '/assets/staff-b.js',
      '/display.html',
      '/index.html',
    ]);
    await sw.navigate('/display');
    expect(sw.cached().sort()).toEqual([
      '/assets/display-b.js',
      '/assets/shared-b.js',
      '/assets/staff-b.js',
      '/display.html',
      '/index.html',
    ]);
  });
});
