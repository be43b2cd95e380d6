/**
 * A relay on a memory store, reached through socket pairs: what most relay
 * tests need, without a port, a database file or a sleep. Tokens are
 * `<role>@<clinic>[#label]`, e.g. `receptionist@c1#Alice`.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { vi } from 'vitest';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { parseClinicId, parseDocName } from '../../../shared/ids.js';
import { colorFor, ROLES, type Role } from '../../../shared/presence.js';
import type { Identity } from '../../auth/identity.js';
import { createGroupCommit } from '../../store/group-commit.js';
import { createMemoryDocStore } from '../../store/memory-store.js';
import type { DocStore } from '../../store/types.js';
import { createMetrics, type Metrics } from '../../metrics.js';
import { defaultRelayLimits, type RelayLimits } from '../limits.js';
import { observeRelay } from '../observe.js';
import { createRelay, type Relay } from '../relay.js';
import { MemoryNetwork, type SocketPair } from './socket-pair.js';

/** A client speaking raw frames over a pair (crafted, broken or replayed messages). */
export interface RawClient {
  readonly pair: SocketPair;
  /** Every frame the relay sent it, in order (delivered by flushes). */
  readonly received: Uint8Array[];
  /** The close the client saw (code 1006: terminated), or null while open. */
  readonly closed: { code: number; reason: string } | null;
  /** Queues a frame; a string goes as a text frame. */
  send(frame: Uint8Array | string): void;
  /** The client goes away. */
  close(): void;
}

export interface MemoryRelay {
  readonly relay: Relay;
  readonly store: DocStore;
  readonly network: MemoryNetwork;
  /** JSON log lines of the relay and of its observer (`observe.ts`), as the server writes them. */
  readonly logs: Record<string, unknown>[];
  /** The stock y-websocket client over a socket pair (connects on the next settle). */
  provider(docName: string, token: string, doc?: Y.Doc): WebsocketProvider;
  /** A raw client on `docName` (token null: none), opened at once. */
  raw(docName: string, token: string | null): RawClient;
  /** What the store holds for a doc now, as a fresh Y.Doc. */
  storedDoc(docName: string): Promise<Y.Doc>;
  settle(): Promise<void>;
  /**
   * Lets `ms` of fake time pass (after `useRelayClock()`), in steps of
   * `stepMs`, settling the network after each: timers fire (keepalives,
   * acknowledgements, idle unloads, backlog drains) and what they send arrives.
   */
  elapse(ms: number, stepMs?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Fake timers and clock for relay tests; call before `startMemoryRelay` (the
 * relay's sweeps are set up there) and undo with `vi.useRealTimers()`.
 * `setImmediate` stays real: `settle()` turns on it.
 */
export function useRelayClock(): void {
  vi.useFakeTimers({
    toFake: ['setTimeout', 'setInterval', 'clearTimeout', 'clearInterval', 'Date'],
  });
}

export function identityFor(token: string): Identity | null {
  const m = /^([a-z]+)@([a-z0-9-]+)(?:#(.+))?$/.exec(token);
  if (!m || !(ROLES as readonly string[]).includes(m[1]!)) return null;
  const role = m[1] as Role;
  const userId = `token:${token}`;
  return {
    credential: { kind: 'token', id: token },
    clinicId: parseClinicId(m[2]!),
    role,
    user: { id: userId, name: m[3] ?? role, role, color: colorFor(userId) },
    expiresAt: null,
  };
}

/** The socket pair under a provider's current connection, or null between connections. */
export function pairOf(provider: WebsocketProvider): SocketPair | null {
  return (provider.ws as unknown as { pair?: SocketPair } | null)?.pair ?? null;
}

/** One metrics set for every memory relay of a test process (only the logs are looked at). */
let sharedMetrics: Metrics | null = null;

export function startMemoryRelay(
  opts: { limits?: Partial<RelayLimits>; store?: DocStore; now?: () => number } = {},
): MemoryRelay {
  const store = opts.store ?? createMemoryDocStore();
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString().split('\n'))
        if (line) logs.push(JSON.parse(line) as Record<string, unknown>);
      cb();
    },
  });
  const logger = pino({ level: 'info' }, sink);
  const commit = createGroupCommit(store);
  const relay = createRelay({
    store,
    // Group commit in front of the store, as in the server.
    append: (doc, update) => commit.append(doc, update),
    limits: { ...defaultRelayLimits, ...opts.limits },
    logger,
    now: opts.now ?? Date.now,
    authenticate: async () => null,
    board: async () => null,
    revocations: { head: async () => 0, since: async (seq) => ({ ids: [], seq }) },
    revokedAfter: 0,
  });
  observeRelay(relay.events, (sharedMetrics ??= createMetrics()), logger);
  const network = new MemoryNetwork(relay, { identify: identityFor });
  const providers: WebsocketProvider[] = [];
  return {
    relay,
    store,
    network,
    logs,
    provider(docName, token, doc = new Y.Doc()) {
      const p = new WebsocketProvider('ws://memory.invalid/ws', docName, doc, {
        WebSocketPolyfill: network.WebSocket,
        params: { token },
        disableBc: true,
      });
      providers.push(p);
      return p;
    },
    raw(docName, token) {
      const pair = network.open(
        `ws://memory.invalid/ws/${docName}${token ? `?token=${encodeURIComponent(token)}` : ''}`,
      );
      const received: Uint8Array[] = [];
      let closed: { code: number; reason: string } | null = null;
      pair.onClientFrame = (data) => received.push(data);
      pair.onClientClose = (code, reason) => (closed = { code, reason });
      return {
        pair,
        received,
        get closed() {
          return closed;
        },
        send: (frame) => pair.clientSend(frame),
        close: () => pair.clientClose(),
      };
    },
    async storedDoc(docName) {
      const stored = await store.load(parseDocName(docName).name);
      const doc = new Y.Doc();
      if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
      for (const u of stored.updates) Y.applyUpdate(doc, u);
      return doc;
    },
    settle: () => network.settle(),
    async elapse(ms, stepMs = 10) {
      await network.settle();
      for (let done = 0; done < ms; done += stepMs) {
        await vi.advanceTimersByTimeAsync(Math.min(stepMs, ms - done));
        await network.settle();
      }
    },
    async close() {
      for (const p of providers) p.destroy();
      await network.settle().catch(() => {});
      await relay.stop();
    },
  };
}
