import { describe, expect, it, vi } from 'vitest';
import type * as Y from 'yjs';
import { parseClinicId } from '../../../shared/ids.js';
import {
  assignDeviceTag,
  currentDay,
  deviceTagAt,
  grantNumberBlock,
  releaseNumbers,
  reserveNumbers,
  serverOrigin,
  type Day,
} from '../../../shared/queue/index.js';
import { T0, must, seededClinic } from '../../../shared/queue/test-support/fixtures.js';
import { createQueueStore } from '../stores/queue-store.js';
import type { ApiRoute } from '../../../shared/api.js';
import { routeUrl } from './http.js';
import { createNumberSource, type NumberRoutes, type NumberSourceDeps } from './numbers.js';

const clinicId = parseClinicId('c1');
const server = { now: T0, origin: serverOrigin };

/**
 * The server's number routes over one shared doc (the device's replica is
 * the server's here: the relay's sync is not what these tests are about).
 */
function fakeServer(doc: Y.Doc) {
  let next = 1;
  const pool: number[] = [];
  let tags = 0;
  const calls: { path: string; body: Record<string, unknown> }[] = [];
  let hold: Promise<void> | null = null;
  const take = (day: Day, device: string, size: number) => {
    const start = size === 1 && pool.length > 0 ? pool.shift()! : next;
    if (start === next) next += size;
    return must(grantNumberBlock(doc, { device, day, start, size }, server)).grant;
  };
  const post = async <T>(path: string, raw: unknown): Promise<T> => {
    const body = raw as Record<string, unknown>;
    calls.push({ path, body });
    if (hold) await hold;
    const day = body.day as Day;
    const device = body.device as string;
    if (path.endsWith('/number-blocks'))
      return { grant: take(day, device, Math.min(Number(body.size ?? 1), 3)) } as T;
    if (path.endsWith('/number-blocks/return')) {
      const r = must(
        releaseNumbers(doc, { device, day, numbers: body.numbers as number[] }, server),
      );
      pool.push(...r.released);
      pool.sort((a, b) => a - b);
      return { day, returned: r.released } as T;
    }
    if (path.endsWith('/device-tag')) {
      const tag = must(
        assignDeviceTag(doc, { device, day, tag: deviceTagAt(tags++)! }, server),
      ).tag;
      return { day, tag } as T;
    }
    throw new Error(`no route ${path}`);
  };
  /** The staff client's `request`, answered here (the path as the client builds it). */
  const http: NumberRoutes = {
    request: ((route: ApiRoute, options: { params: { clinicId: string }; body: unknown }) =>
      post(routeUrl(route, options.params).path, options.body)) as NumberRoutes['request'],
  };
  return {
    http,
    calls,
    pool,
    /** Answers wait until the returned function is called (a slow network). */
    slow(): () => void {
      let release!: () => void;
      hold = new Promise((r) => (release = r));
      return () => {
        hold = null;
        release();
      };
    },
  };
}

function memoryStorage() {
  const data = new Map<string, string>();
  return {
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, v),
  };
}

function setup(extra: Partial<NumberSourceDeps> = {}) {
  const { doc, staff } = seededClinic();
  const srv = fakeServer(doc);
  let online = true;
  const listeners = new Set<() => void>();
  const storage = memoryStorage();
  const clock = { t: T0 };
  const deps: NumberSourceDeps = {
    clinicId,
    device: 'tab-1',
    queueDoc: doc,
    online: () => online,
    onOnlineChange: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    http: srv.http,
    now: () => clock.t,
    storage,
    budgetMs: 50,
    idleMs: 60_000,
    ...extra,
  };
  const numbers = createNumberSource(deps);
  const store = createQueueStore({
    queueDoc: doc,
    staffDoc: staff,
    clock: { now: () => clock.t },
    device: 'tab-1',
    numbers,
    tickMs: 0,
  });
  const day = currentDay(doc, T0)!;
  return {
    doc,
    srv,
    numbers,
    store,
    day,
    deps,
    clock,
    reserve: () => reserveNumbers(doc, 'tab-1', day, numbers.withheld()),
    setOnline(v: boolean) {
      online = v;
      for (const l of listeners) l();
    },
  };
}

describe('ticket numbers on a staff device (SPEC N2–N6)', () => {
  it('on a steady network asks the server for each number and holds no reserve: A-001, A-002, A-003', async () => {
    const t = setup();
    // Nothing but the tag for the offline series is asked before the first ticket.
    expect(t.srv.calls.map((c) => c.path)).toEqual(['/api/clinics/c1/device-tag']);
    const labels: string[] = [];
    for (const name of ['Un', 'Deux', 'Trois']) {
      const r = await t.store.getState().issueWalkIn({ name });
      labels.push(r.ok ? r.entry.label : r.error.code);
    }
    expect(labels).toEqual(['A-001', 'A-002', 'A-003']);
    expect(t.reserve()).toEqual([]);
    expect(
      t.srv.calls.filter((c) => c.path.endsWith('/number-blocks')).map((c) => c.body.size),
    ).toEqual([1, 1, 1]);
  });

  it('when the server is slow, the late number joins a reserve of three that the next slow ticket uses', async () => {
    const t = setup();
    await vi.waitFor(() => expect(t.store.getState().deviceTag).toBe('K'));
    const release = t.srv.slow();
    const slow = must(await t.store.getState().issueWalkIn({ name: 'Lent' }));
    expect(slow.entry).toMatchObject({ label: 'A-K1', provisional: true });
    release();
    // The late answer (1) is not lost; the reserve is topped up to three, no more.
    await vi.waitFor(() => expect(t.reserve()).toEqual([1, 2, 3]));
    const release2 = t.srv.slow();
    const again = must(await t.store.getState().issueWalkIn({ name: 'Encore lent' }));
    expect(again.entry.label).toBe('A-001');
    release2();
    await vi.waitFor(() => expect(t.reserve()).toEqual([2, 3, 4]));
  });

  it('offline with an empty reserve, issues its short tagged series, flagged', async () => {
    const t = setup();
    await vi.waitFor(() => expect(t.store.getState().deviceTag).toBe('K'));
    t.setOnline(false);
    const r = must(await t.store.getState().issueWalkIn({ name: 'Hors ligne' }));
    expect(r.entry).toMatchObject({ label: 'A-K1', provisional: true, number: null });
    expect(t.srv.calls.filter((c) => c.path.endsWith('/number-blocks'))).toEqual([]);
  });

  it('after the trouble, gives the reserve back when idle: withheld first (kept across a reload), then issued again', async () => {
    const storage = memoryStorage();
    const t = setup({ idleMs: 30, troubleMs: 60_000, storage });
    // A lost connection is trouble: the next ticket takes a reserve.
    t.setOnline(false);
    t.setOnline(true);
    must(await t.store.getState().issueWalkIn({ name: 'Un' }));
    await vi.waitFor(() => expect(t.reserve()).toEqual([2, 3, 4]));
    // Idle during the trouble: the reserve stays.
    await t.numbers.idle();
    expect(t.reserve()).toEqual([2, 3, 4]);
    t.clock.t += 61_000;
    await vi.waitFor(() => expect(reserveNumbers(t.doc, 'tab-1', t.day)).toEqual([]), {
      timeout: 10_000,
    });
    expect(t.srv.pool).toEqual([2, 3, 4]);
    // A reload of this tab from a stale copy that still shows a grant never issues it.
    must(grantNumberBlock(t.doc, { device: 'tab-1', day: t.day, start: 3, size: 1 }, server));
    const reloaded = createNumberSource({ ...t.deps, storage, online: () => false });
    expect([...reloaded.withheld()].sort()).toEqual([2, 3, 4]);
    expect(reserveNumbers(t.doc, 'tab-1', t.day, reloaded.withheld())).toEqual([]);
    reloaded.destroy();
    // The next ticket takes the lowest number given back: no hole in the counter.
    const next = must(await t.store.getState().issueWalkIn({ name: 'Deux' }));
    expect(next.entry.label).toBe('A-002');
  });
});
