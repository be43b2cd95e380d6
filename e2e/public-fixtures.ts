/**
 * Helpers for the public screens' specs (display and patient): pairing a
 * display like an admin would, the integration API as a doctor's room would
 * use it, a Node Yjs client with a staff token, and a recorder of everything
 * a page receives (for the privacy test).
 */
import crypto from 'node:crypto';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { expect, type QueueMedServer } from './fixtures.js';

export { expect, test } from './fixtures.js';

export const DISPLAY_VIEWPORT = { width: 1920, height: 1080 } as const;
export const PHONE_VIEWPORT = { width: 360, height: 740 } as const;
/** Context options of a patient's touch phone. */
export const PHONE = {
  viewport: PHONE_VIEWPORT,
  isMobile: true,
  hasTouch: true,
  deviceScaleFactor: 2,
} as const;

/** Cached per server and clinic: creating a token spawns a CLI process. */
const adminTokens = new WeakMap<QueueMedServer, Map<string, string>>();
export function adminToken(server: QueueMedServer, clinic = 'demo'): string {
  let byClinic = adminTokens.get(server);
  if (!byClinic) adminTokens.set(server, (byClinic = new Map()));
  let t = byClinic.get(clinic);
  if (!t) byClinic.set(clinic, (t = server.token('admin', clinic)));
  return t;
}

/** A clinic of its own for one test (the server is shared by the tests of a worker). */
export function newClinic(server: QueueMedServer, name = 'Maison de santé des Tilleuls'): string {
  const id = `t-${crypto.randomBytes(4).toString('hex')}`;
  server.cli('clinic', 'add', id, '--name', name, '--timezone', 'Europe/Paris', '--locale', 'fr');
  return id;
}

/** Calls the HTTP API as the admin (CLI token); throws with the body unless `ok`. */
export async function api<T = unknown>(
  server: QueueMedServer,
  method: string,
  path: string,
  body?: unknown,
  opts: { token?: string; expect?: number; clinic?: string } = {},
): Promise<T> {
  const clinic = opts.clinic ?? /^\/api\/clinics\/([^/]+)/.exec(path)?.[1] ?? 'demo';
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${opts.token ?? adminToken(server, clinic)}`,
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (opts.expect !== undefined ? res.status !== opts.expect : !res.ok)
    throw new Error(`${method} ${path} → ${res.status}: ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}

/** A doctor's "call next" through the integration API. */
export const callNext = (server: QueueMedServer, room: string, clinic = 'demo') =>
  api<{ entryId: string; ticket: string; room: string }>(
    server,
    'POST',
    `/api/clinics/${clinic}/queue/call-next`,
    { room },
  );

/** A walk-in added by reception through the integration API (name and phone go to the staff doc). */
export const addWalkIn = (
  server: QueueMedServer,
  patient: { name?: string; phone?: string } = {},
  clinic = 'demo',
) =>
  api<{ entryId: string; ticket: string; position: number }>(
    server,
    'POST',
    `/api/clinics/${clinic}/queue/entries`,
    patient,
  );

export const queueView = (server: QueueMedServer, clinic = 'demo') =>
  api<{ open: boolean; entries: { entryId: string; ticket: string; status: string }[] }>(
    server,
    'GET',
    `/api/clinics/${clinic}/queue`,
  );

/** The clinic's current QR join URL (CLI when it has the command, else the admin API). */
export async function joinUrl(server: QueueMedServer, clinic = 'demo'): Promise<string> {
  let link: string;
  try {
    link = server.cli('join-link', clinic);
  } catch {
    link = (await api<{ url: string }>(server, 'GET', `/api/clinics/${clinic}/join-link`)).url;
  }
  // The link names PUBLIC_URL; the test server answers on 127.0.0.1.
  const url = new URL(
    link
      .trim()
      .split(/\s+/)
      .find((w) => /^https?:\/\//.test(w)) ?? link,
  );
  return `${server.url}${url.pathname}${url.search}`;
}

export interface PairedDisplay {
  readonly context: BrowserContext;
  readonly page: Page;
  readonly token: string;
  readonly displayId: string;
}

/** Opens /display at 1920×1080, reads the code, pairs it as the admin and waits for the clinic screen. */
export async function openPairedDisplay(
  browser: Browser,
  server: QueueMedServer,
  clinic = 'demo',
): Promise<PairedDisplay> {
  const context = await browser.newContext({ viewport: DISPLAY_VIEWPORT });
  const page = await context.newPage();
  await page.goto(`${server.url}/display`);
  const codeEl = page.getByTestId('pairing-code');
  await expect(codeEl).toHaveText(/[A-Z0-9]{3}/);
  const code = (await codeEl.textContent())!.trim();
  const paired = await api<{ display: { id: string } }>(
    server,
    'POST',
    '/api/displays/pair',
    { code, clinicId: clinic, name: 'Salle d’attente' },
    { clinic },
  );
  await expect(page.getByTestId('display')).toHaveAttribute('data-ready', 'true', {
    timeout: 20_000,
  });
  expect(paired.display.id).toBeTruthy();
  // The device learns its real id when its poll sees the pairing.
  const device = await page.evaluate(
    () =>
      JSON.parse(localStorage.getItem('queuemed.display.device') ?? '{}') as {
        token: string;
        displayId: string;
      },
  );
  return { context, page, token: device.token, displayId: device.displayId };
}

/** The display's connection light status (synced, reconnecting, offline…). */
export const lightStatus = (page: Page) => page.locator('.conn').first();

/** Waits until the page's service worker controls it (its shell is cached from then on). */
export const serviceWorkerControls = (page: Page) =>
  page.waitForFunction(async () => {
    await navigator.serviceWorker.ready;
    return navigator.serviceWorker.controller !== null;
  });

/** The paths of everything in the page's Cache Storage (what its service worker keeps). */
export const cachedPaths = (page: Page): Promise<string[]> =>
  page.evaluate(async () => {
    const out: string[] = [];
    for (const name of await caches.keys())
      for (const req of await (await caches.open(name)).keys()) out.push(new URL(req.url).pathname);
    return out.sort();
  });

export interface NodeClient {
  readonly doc: Y.Doc;
  readonly provider: WebsocketProvider;
  destroy(): void;
}

/** The stock y-websocket client from Node with a token, synced before it resolves. */
export async function nodeClient(
  server: QueueMedServer,
  docName: string,
  token: string,
): Promise<NodeClient> {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(server.url.replace(/^http/, 'ws') + '/ws', docName, doc, {
    params: { token },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no sync on ${docName}`)), 15_000);
    provider.once('sync', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  return {
    doc,
    provider,
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}

export interface Received {
  /** Every WebSocket frame and HTTP response body the page received, as text (binary decoded as UTF-8 and Latin-1). */
  readonly texts: string[];
  frames: number;
  responses: number;
  /** Waits for pending response bodies. */
  settle(): Promise<void>;
}

/** Records what a page receives: WebSocket frames and HTTP response bodies. */
export function recordReceived(page: Page): Received {
  const pending: Promise<void>[] = [];
  const rec: Received = {
    texts: [],
    frames: 0,
    responses: 0,
    async settle() {
      await Promise.all(pending);
    },
  };
  const add = (payload: string | Buffer) => {
    if (typeof payload === 'string') rec.texts.push(payload);
    else rec.texts.push(payload.toString('utf8'), payload.toString('latin1'));
  };
  page.on('websocket', (ws) => {
    ws.on('framereceived', ({ payload }) => {
      rec.frames++;
      add(payload);
    });
  });
  page.on('response', (res) => {
    if (res.status() >= 300 && res.status() < 400) return;
    pending.push(
      res.body().then(
        (b) => {
          rec.responses++;
          add(b);
        },
        () => undefined,
      ),
    );
  });
  return rec;
}

/** A name and phone nobody else uses, so finding them anywhere means a leak. */
export function distinctivePatient(): { name: string; phone: string; phoneDigits: string } {
  const tag = crypto.randomBytes(3).toString('hex');
  const digits = String(600000000 + crypto.randomInt(0, 99999999)).padStart(9, '0');
  return {
    name: `Zéphyrine Quatrebras-${tag}`,
    phone: `+33 ${digits[0]} ${digits.slice(1, 3)} ${digits.slice(3, 5)} ${digits.slice(5, 7)} ${digits.slice(7, 9)}`,
    phoneDigits: digits,
  };
}

export interface StaffDesk {
  readonly client: NodeClient;
  /**
   * Adds a ticket (numbered from a test block): a walk-in of the default
   * service unless told; returns its entry id and label.
   */
  add(opts?: { service?: string; source?: 'walk-in' | 'qr' }): { entryId: string; label: string };
  /** Configures a service, as an admin does. */
  configureService(service: {
    id: string;
    name: string;
    prefix: string;
    defaultMinutes?: number;
  }): void;
  /** A room's "call next", as the room screen does it (at `at`, default now). */
  callNext(room: string, opts?: { at?: number }): { entryId: string; label: string };
  /** Names a room, as an admin does in the configuration. */
  nameRoom(room: string, name: string): void;
  recall(entryId: string): void;
  destroy(): void;
}

/**
 * Reception and rooms driven from Node with the domain operations the staff
 * screens use, over the stock client with a staff token: independent of the
 * HTTP routes. Numbers come from a block far above what the server grants.
 */
let desks = 0;
export async function staffDesk(
  server: QueueMedServer,
  clinic = 'demo',
  opts: { firstNumber?: number; blockSize?: number } = {},
): Promise<StaffDesk> {
  const q = await import('../shared/queue/index.js');
  const client = await nodeClient(server, `queue:${clinic}`, adminToken(server, clinic));
  const device = `e2e-${crypto.randomBytes(3).toString('hex')}`;
  const ctx = (at = Date.now()) => ({
    now: at,
    origin: q.localOrigin('e2e'),
    device,
    randomBytes: (n: number) => new Uint8Array(crypto.randomBytes(n)),
  });
  const day = q.currentDay(client.doc, Date.now());
  if (day === null) throw new Error('queue doc not seeded');
  // Distinct blocks per desk in this worker (the server grants from 1 upwards).
  const size = opts.blockSize ?? 30;
  const start = (opts.firstNumber ?? 500) + desks++ * size;
  const grant = q.grantNumberBlock(client.doc, { device, day, start, size }, ctx());
  if (!grant.ok) throw new Error(grant.error.message);
  const must = <T extends { ok: boolean }>(r: T) => {
    if (!r.ok) throw new Error(JSON.stringify(r));
    return r as Extract<T, { ok: true }>;
  };
  return {
    client,
    add({ service, source = 'walk-in' } = {}) {
      const args = { source, ...(service && { service: q.parseServiceId(service) }) };
      const { entry } = must(q.addEntry(client.doc, args, ctx()));
      return { entryId: entry.id, label: entry.label };
    },
    configureService({ id, ...rest }) {
      must(q.configureService(client.doc, { id: q.parseServiceId(id), ...rest }, ctx()));
    },
    callNext(room, opts = {}) {
      const { entry } = must(q.callNext(client.doc, { room: q.parseRoomId(room) }, ctx(opts.at)));
      return { entryId: entry.id, label: entry.label };
    },
    nameRoom(room, name) {
      must(q.configureRoom(client.doc, { id: q.parseRoomId(room), name }, ctx()));
    },
    recall(entryId) {
      must(q.recall(client.doc, { entryId: q.parseEntryId(entryId) }, ctx()));
    },
    destroy: () => client.destroy(),
  };
}

/** Opens /display already holding a device token (from the CLI), skipping pairing. */
export async function openDisplayWithToken(
  browser: Browser,
  server: QueueMedServer,
  token: string,
  clinic = 'demo',
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: DISPLAY_VIEWPORT });
  await context.addInitScript(
    ([t, c]) => {
      if (!localStorage.getItem('queuemed.display.device'))
        localStorage.setItem(
          'queuemed.display.device',
          JSON.stringify({ token: t, clinicId: c, displayId: 'cli' }),
        );
    },
    [token, clinic] as const,
  );
  const page = await context.newPage();
  await page.goto(`${server.url}/display`);
  await expect(page.getByTestId('display')).toHaveAttribute('data-ready', 'true', {
    timeout: 20_000,
  });
  return { context, page };
}

export interface AnnouncementLog {
  key: string;
  ticket: string;
  room: string;
  text: string;
  outcome: string;
}

export const announcements = (page: Page): Promise<AnnouncementLog[]> =>
  page.evaluate(
    () =>
      (
        window as unknown as { __queuemedAnnouncer?: { log(): AnnouncementLog[] } }
      ).__queuemedAnnouncer?.log() ?? [],
  );
