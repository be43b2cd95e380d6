/**
 * Where a staff device gets ticket numbers (SPEC.md N2–N6).
 *
 * - Adding a ticket while connected: ask the server for the number, within
 *   `budgetMs` (~500 ms). The server writes it as a one-number grant into
 *   the public doc, so an answer that comes too late still lands in this
 *   device's reserve instead of leaving a hole.
 * - The reserve (at most MAX_RESERVE numbers, granted in the doc) is only
 *   for a slow or missing network, and every reserved number is one the
 *   counter skips until it is used or given back, so it is taken lazily:
 *   after a ticket was added while the network showed trouble (a number that
 *   missed its budget or failed, a lost connection) in the last
 *   `troubleMs`. It is given back once the device is idle (`idleMs` without
 *   a new ticket) and the trouble is over — once, not after every lull, since
 *   each give-back puts up to three numbers out of arrival order. On a
 *   steady network no reserve is held and labels follow the counter exactly;
 *   a sudden outage then goes straight to the device's short series.
 * - Giving back: the numbers are first marked `withheld` (kept in
 *   sessionStorage, like the device id), so this device never issues them
 *   again, even after a reload from a stale IndexedDB copy; then the server
 *   removes the grants and pools them. A give-back that fails is retried —
 *   always safe, the server releases only what is still granted and unused.
 * - The device's tag for the offline series (`A-K1`) is fetched once a day
 *   when the doc is first synced, so a device offline before its first
 *   ticket still issues short labels.
 */
import type * as Y from 'yjs';
import type { HttpClient } from './http.js';
import type { ClinicId } from '../../../shared/ids.js';
import {
  currentDay,
  deviceTag,
  MAX_RESERVE,
  reserveNumbers,
  type Day,
} from '../../../shared/queue/index.js';

export interface NumberSource {
  /** The number for a ticket being added, or null: then the reserve or the offline series. */
  take(): Promise<number | null>;
  /** Numbers this device gave back (or is giving back): never issued here. */
  withheld(): ReadonlySet<number>;
  /** A ticket was added: top the reserve up, restart the idle timer. */
  added(): void;
  /** The device is idle: give the reserve back unless the network is in trouble (resolves when the server answered). */
  idle(): Promise<void>;
  destroy(): void;
}

/** The number routes of the HTTP API (the staff session's client). */
export type NumberRoutes = Pick<HttpClient, 'request'>;

/** sessionStorage, or a stand-in. */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export interface NumberSourceDeps {
  readonly clinicId: ClinicId;
  readonly device: string;
  readonly queueDoc: Y.Doc;
  /** The public doc is synced with the server right now. */
  readonly online: () => boolean;
  /** Calls back whenever `online()` may have changed; returns an unsubscribe. */
  readonly onOnlineChange: (listener: () => void) => () => void;
  readonly http: NumberRoutes;
  /** Server-corrected clock. */
  readonly now: () => number;
  readonly storage?: KeyValueStorage | null;
  readonly budgetMs?: number;
  readonly idleMs?: number;
  /** How long after a sign of trouble the device keeps a reserve. */
  readonly troubleMs?: number;
}

interface Held {
  day: Day | null;
  /** Numbers this device will never issue. */
  withheld: number[];
  /** Of those, the ones the server has not confirmed taking back. */
  pending: number[];
}

export const NUMBER_BUDGET_MS = 500;
export const RESERVE_IDLE_MS = 90_000;
export const RESERVE_AFTER_TROUBLE_MS = 10 * 60_000;

export function createNumberSource(deps: NumberSourceDeps): NumberSource {
  const budget = deps.budgetMs ?? NUMBER_BUDGET_MS;
  const idleMs = deps.idleMs ?? RESERVE_IDLE_MS;
  const troubleMs = deps.troubleMs ?? RESERVE_AFTER_TROUBLE_MS;
  /** Until when (server-corrected clock) the network counts as unreliable. */
  let troubleUntil = -Infinity;
  const trouble = () => {
    troubleUntil = deps.now() + troubleMs;
  };
  const inTrouble = () => deps.now() < troubleUntil;
  let wasOnline = deps.online();
  const params = { clinicId: deps.clinicId };
  const key = `queuemed.numbers.${deps.device}`;
  const day = (): Day | null => currentDay(deps.queueDoc, deps.now());

  let held: Held = load();
  let withheldSet = new Set(held.withheld);
  let toppingUp = false;
  /** Number requests still unanswered: a late answer joins the reserve. */
  let inFlight = 0;
  let returning = false;
  let tagAskedFor: Day | null = null;
  let idleTimer: ReturnType<typeof setTimeout> | null = null;
  let idleDue = false;
  let destroyed = false;

  function load(): Held {
    try {
      const raw = deps.storage?.getItem(key);
      if (raw) {
        const h = JSON.parse(raw) as Held;
        if (Array.isArray(h.withheld) && Array.isArray(h.pending)) return h;
      }
    } catch {
      // unreadable: start empty (numbers of a lost list stay granted, never reused)
    }
    return { day: null, withheld: [], pending: [] };
  }
  function save(): void {
    withheldSet = new Set(held.withheld);
    try {
      deps.storage?.setItem(key, JSON.stringify(held));
    } catch {
      // storage full or disabled: the in-memory set still protects this page
    }
  }
  /** The withheld list belongs to one day; a new day starts empty. */
  function sameDay(): Day | null {
    const d = day();
    if (d !== null && held.day !== d) {
      held = { day: d, withheld: [], pending: [] };
      save();
    }
    return d;
  }
  const reserve = (d: Day) => reserveNumbers(deps.queueDoc, deps.device, d, withheldSet);

  function ensureTag(): void {
    const d = day();
    if (d === null || !deps.online() || tagAskedFor === d) return;
    if (deviceTag(deps.queueDoc, deps.device, d) !== null) return;
    tagAskedFor = d;
    deps.http
      .request('POST /api/clinics/:clinicId/device-tag', {
        params,
        body: { device: deps.device, day: d },
      })
      .catch(() => {
        tagAskedFor = null;
      });
  }

  function topUp(): void {
    const d = sameDay();
    if (d === null || toppingUp || !deps.online()) return;
    const missing = MAX_RESERVE - reserve(d).length - inFlight;
    if (missing < 1) return;
    toppingUp = true;
    deps.http
      .request('POST /api/clinics/:clinicId/number-blocks', {
        params,
        body: { device: deps.device, day: d, size: missing },
      })
      .catch(() => {})
      .finally(() => {
        toppingUp = false;
      });
  }

  function giveBack(): Promise<void> {
    const d = sameDay();
    if (d === null || returning || !deps.online()) return Promise.resolve();
    // Commit first: from here on this device never issues them.
    const fresh = reserve(d);
    const all = new Set([...held.pending, ...fresh]);
    // Still granted to us and unused (our own tickets are in our doc at once).
    const granted = new Set(reserveNumbers(deps.queueDoc, deps.device, d));
    const numbers = [...all].filter((n) => granted.has(n)).sort((a, b) => a - b);
    held = {
      day: d,
      withheld: [...new Set([...held.withheld, ...fresh])],
      pending: numbers,
    };
    save();
    if (numbers.length === 0) return Promise.resolve();
    returning = true;
    return deps.http
      .request('POST /api/clinics/:clinicId/number-blocks/return', {
        params,
        body: { device: deps.device, day: d, numbers },
      })
      .then(
        () => {
          if (held.day === d) {
            held = { ...held, pending: held.pending.filter((n) => !numbers.includes(n)) };
            save();
          }
        },
        () => {
          // Retried when idle again or back online; the numbers stay withheld.
        },
      )
      .finally(() => {
        returning = false;
      });
  }

  function armIdle(): void {
    if (idleTimer !== null) clearTimeout(idleTimer);
    idleDue = false;
    const fire = () => {
      idleTimer = null;
      // Still in trouble: keep the reserve, look again when the trouble is over.
      if (inTrouble()) {
        idleTimer = setTimeout(fire, Math.max(1_000, troubleUntil - deps.now()));
        return;
      }
      idleDue = true;
      if (deps.online()) {
        idleDue = false;
        void giveBack();
      }
    };
    idleTimer = setTimeout(fire, idleMs);
  }

  const offOnline = deps.onOnlineChange(() => {
    if (destroyed) return;
    const online = deps.online();
    // A lost connection is trouble, counted from when it comes back too.
    if (wasOnline !== online) trouble();
    wasOnline = online;
    if (!online) return;
    ensureTag();
    if (idleDue || held.pending.length > 0) {
      idleDue = false;
      void giveBack();
    }
  });
  ensureTag();

  return {
    async take() {
      const d = sameDay();
      if (d === null || !deps.online()) return null;
      let timer: ReturnType<typeof setTimeout> | undefined;
      inFlight++;
      const late = new Promise<null>((resolve) => {
        timer = setTimeout(() => resolve(null), budget);
      });
      const asked = deps.http
        .request('POST /api/clinics/:clinicId/number-blocks', {
          params,
          body: { device: deps.device, day: d, size: 1 },
        })
        .then(
          (r) => {
            const n = r.grant.day === d ? r.grant.start : null;
            if (n !== null && held.day === d && withheldSet.has(n)) {
              // Given back earlier and granted to us again: ours now (a late
              // answer joins the reserve), no longer withheld.
              held = {
                ...held,
                withheld: held.withheld.filter((x) => x !== n),
                pending: held.pending.filter((x) => x !== n),
              };
              save();
            }
            return n;
          },
          () => {
            trouble();
            return null;
          },
        )
        .finally(() => {
          inFlight--;
        });
      const n = await Promise.race([asked, late]);
      clearTimeout(timer);
      if (n === null) trouble();
      return n;
    },
    withheld: () => withheldSet,
    idle() {
      if (inTrouble()) return Promise.resolve();
      if (idleTimer !== null) clearTimeout(idleTimer);
      idleTimer = null;
      return giveBack();
    },
    added() {
      armIdle();
      if (inTrouble()) topUp();
    },
    destroy() {
      destroyed = true;
      offOnline();
      if (idleTimer !== null) clearTimeout(idleTimer);
      // Signing out: hand the reserve back while we still can.
      void giveBack();
    },
  };
}
