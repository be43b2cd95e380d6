/**
 * A seeded fuzz test through the relay, over the in-memory socket pair on a
 * fake clock: stock y-websocket clients edit a map, a text and an array at
 * random, go offline and come back, lose their connection, and a raw client
 * sends bad frames, while frames are delivered in random interleavings (some
 * pairs flushed, others not) and, in some runs, the store is slow and
 * sometimes refuses an append. At the end every client reconnects and:
 *  - every writer's doc equals the stored doc, and the relay's live doc too;
 *  - no doc holds pending structs;
 *  - nothing a client wrote is lost — not even by a client that left for
 *    good, once the relay had acknowledged it;
 *  - a bad frame closed only its own connection, with the expected code;
 *  - read-only connections changed nothing.
 *
 * RELAY_FUZZ_SEED (default fixed) and RELAY_FUZZ_ITERATIONS (default short)
 * choose the runs; `npm run soak` runs many. A failure names its seed:
 * reproduce with RELAY_FUZZ_SEED=<seed> RELAY_FUZZ_ITERATIONS=1, and pin it
 * below as a named regression test.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as prng from 'lib0/prng';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { parseDocName, type DocName } from '../../shared/ids.js';
import { CloseCode, MessageType, SyncMessageType } from '../../shared/protocol.js';
import { createMemoryDocStore } from '../store/memory-store.js';
import type { AppendItem, DocStore } from '../store/types.js';
import {
  pairOf,
  startMemoryRelay,
  useRelayClock,
  type MemoryRelay,
  type RawClient,
} from './test-support/memory-relay.js';

const BASE_SEED = Number(process.env.RELAY_FUZZ_SEED ?? 20_250_611);
const ITERATIONS = Number(process.env.RELAY_FUZZ_ITERATIONS ?? 24);
const STEPS = 70;
const MAX_UPDATE = 16 * 1024;

type Gen = prng.PRNG;

interface Client {
  readonly name: string;
  readonly doc: Y.Doc;
  readonly provider: WebsocketProvider;
  readonly docName: 'staff:c1' | 'queue:c1';
  readonly writes: boolean;
  /** Highest clock of its own the relay acknowledged (a sync step 1 it received). */
  acked: number;
  gone: boolean;
}

interface BadFrame {
  readonly raw: RawClient;
  readonly kind: string;
  /** Close codes it may get; empty: it may stay open (the bytes happened to be valid). */
  readonly codes: readonly number[];
  readonly mayStayOpen: boolean;
}

function msg(type: number, sub: number | null, payload: Uint8Array | null): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, type);
  if (sub !== null) encoding.writeVarUint(e, sub);
  if (payload) encoding.writeVarUint8Array(e, payload);
  return encoding.toUint8Array(e);
}

function updateOf(gen: Gen, size: number): Uint8Array {
  const d = new Y.Doc();
  d.clientID = prng.uint32(gen, 1_000_000, 2_000_000);
  d.getMap('m').set(`raw-${prng.word(gen, 3, 6)}`, 'r'.repeat(size));
  return Y.encodeStateAsUpdate(d);
}

const decodes = (update: Uint8Array): boolean => {
  if (update.byteLength < 2) return false;
  try {
    Y.decodeUpdate(update);
    return true;
  } catch {
    return false;
  }
};

/** A frame the relay must refuse, and the codes it may close with. */
function badFrame(gen: Gen): { kind: string; frame: Uint8Array | string; codes: number[] } {
  switch (prng.int32(gen, 0, 9)) {
    case 0:
      return { kind: 'text', frame: prng.word(gen, 1, 30), codes: [CloseCode.unsupportedData] };
    case 1:
      return {
        kind: 'unknown type',
        frame: msg(prng.int32(gen, 4, 120), null, null),
        codes: [CloseCode.unsupportedData],
      };
    case 2:
      return { kind: 'empty', frame: new Uint8Array(0), codes: [CloseCode.invalidPayload] };
    case 3: {
      const u = updateOf(gen, prng.int32(gen, 10, 200));
      return {
        kind: 'truncated update',
        frame: msg(
          MessageType.sync,
          SyncMessageType.update,
          u.slice(0, u.length - prng.int32(gen, 1, 7)),
        ),
        codes: [CloseCode.invalidPayload],
      };
    }
    case 4: {
      const f = msg(MessageType.sync, SyncMessageType.update, updateOf(gen, 20));
      return {
        kind: 'truncated frame',
        frame: f.slice(0, prng.int32(gen, 2, f.length - 1)),
        codes: [CloseCode.invalidPayload],
      };
    }
    case 5:
      return {
        kind: 'oversize update',
        frame: msg(MessageType.sync, SyncMessageType.update, updateOf(gen, MAX_UPDATE + 100)),
        codes: [CloseCode.messageTooBig],
      };
    case 6: {
      const f = msg(MessageType.sync, SyncMessageType.update, updateOf(gen, 10));
      return {
        kind: 'trailing bytes',
        frame: Uint8Array.from([...f, ...prng.uint8Array(gen, prng.int32(gen, 1, 5))]),
        codes: [CloseCode.invalidPayload],
      };
    }
    case 7:
      return {
        kind: 'unknown sync type',
        frame: msg(MessageType.sync, prng.int32(gen, 3, 100), Uint8Array.of(0)),
        codes: [CloseCode.unsupportedData],
      };
    case 8:
      return {
        kind: 'malformed awareness',
        frame: msg(MessageType.awareness, null, Uint8Array.of(3, 1, 1)),
        codes: [CloseCode.invalidPayload],
      };
    default: {
      // Garbage as an update's payload; if it happens to decode it is just an update.
      let payload = prng.uint8Array(gen, prng.int32(gen, 2, 40));
      for (let i = 0; i < 10 && decodes(payload); i++)
        payload = prng.uint8Array(gen, prng.int32(gen, 2, 40));
      return {
        kind: 'garbage update',
        frame: msg(MessageType.sync, SyncMessageType.update, payload),
        codes: decodes(payload) ? [] : [CloseCode.invalidPayload],
      };
    }
  }
}

/** One random edit of a client's doc (offline ones included: they sync on reconnect). */
function edit(gen: Gen, c: Client): string {
  const doc = c.doc;
  if (!c.writes) {
    doc.getMap('evil').set(prng.word(gen, 1, 4), prng.int32(gen, 0, 99));
    return 'evil write';
  }
  const m = doc.getMap<unknown>('m');
  const t = doc.getText('t');
  const a = doc.getArray<number>('a');
  switch (prng.int32(gen, 0, 5)) {
    case 0:
      m.set(`k${prng.int32(gen, 0, 9)}`, prng.bool(gen) ? prng.int32(gen, 0, 999) : prng.word(gen));
      return 'map set';
    case 1:
      m.delete(`k${prng.int32(gen, 0, 9)}`);
      return 'map delete';
    case 2:
      t.insert(prng.int32(gen, 0, t.length), prng.word(gen, 1, 8));
      return 'text insert';
    case 3: {
      if (t.length === 0) return 'text delete (empty)';
      const at = prng.int32(gen, 0, t.length - 1);
      t.delete(at, prng.int32(gen, 1, Math.min(5, t.length - at)));
      return 'text delete';
    }
    case 4:
      a.insert(
        prng.int32(gen, 0, a.length),
        Array.from({ length: prng.int32(gen, 1, 3) }, () => prng.int32(gen, 0, 99)),
      );
      return 'array insert';
    default: {
      if (a.length === 0) return 'array delete (empty)';
      const at = prng.int32(gen, 0, a.length - 1);
      a.delete(at, prng.int32(gen, 1, Math.min(3, a.length - at)));
      return 'array delete';
    }
  }
}

/** A store that answers appends after a (fake) delay and sometimes refuses one. */
function faultyStore(gen: Gen, failRate: number): { store: DocStore; failures: () => number } {
  const inner = createMemoryDocStore();
  let failures = 0;
  const store: DocStore = {
    ...inner,
    appendMany: (items) =>
      new Promise((resolve, reject) => {
        const fail = prng.real53(gen) < failRate;
        if (fail) failures++;
        setTimeout(
          () =>
            fail ? reject(new Error('injected append failure')) : resolve(inner.appendMany(items)),
          prng.int32(gen, 0, 20),
        );
      }),
  };
  return { store, failures: () => failures };
}

const contents = (doc: Y.Doc) =>
  JSON.stringify({
    // Sorted: a map's key order is its local insertion order, not part of its state.
    m: Object.entries(doc.getMap('m').toJSON()).sort(([a], [b]) => (a < b ? -1 : 1)),
    t: doc.getText('t').toString(),
    a: doc.getArray('a').toJSON(),
  });

const svOf = (doc: Y.Doc) => [...Y.decodeStateVector(Y.encodeStateVector(doc))].sort();

interface RunOptions {
  /**
   * Known relay bug (see the pinned tests below): once an append fails, a
   * later change's append already in flight still commits, so the store can
   * hold an update whose dependency it lacks (pending structs on every load,
   * until a compaction). While it stands, runs where an append failed accept
   * pending structs in the stored doc; everything else is still checked.
   */
  readonly tolerateStoreGapAfterFailedAppend: boolean;
}

async function run(
  seed: number,
  opts: RunOptions = { tolerateStoreGapAfterFailedAppend: false },
): Promise<void> {
  const gen = prng.create(seed);
  const faults = prng.int32(gen, 0, 2) === 0;
  const faulty = faults ? faultyStore(gen, 0.04) : null;
  useRelayClock();
  const m: MemoryRelay = startMemoryRelay({
    store: faulty?.store,
    limits: {
      maxUpdateBytes: MAX_UPDATE,
      messageBurst: 1_000_000,
      messagesPerSecond: 1_000_000,
      awarenessBurst: 1_000_000,
      awarenessPerSecond: 1_000_000,
      ackDebounceMs: prng.int32(gen, 0, 50),
      keepaliveMs: prng.int32(gen, 100, 1000),
      compactAfterUpdates: prng.int32(gen, 3, 40),
      idleUnloadMs: prng.int32(gen, 30, 500),
    },
  });
  const trace: string[] = [];
  const clients: Client[] = [];
  const bad: BadFrame[] = [];
  const log = (line: string) => trace.push(line);

  function addClient(docName: Client['docName'], token: string, writes: boolean): Client {
    const doc = new Y.Doc();
    doc.clientID = clients.length + 1;
    const provider = new WebsocketProvider('ws://memory.invalid/ws', docName, doc, {
      WebSocketPolyfill: m.network.WebSocket,
      params: { token },
      disableBc: true,
      connect: false,
    });
    const c: Client = {
      name: `${docName}#${doc.clientID}`,
      doc,
      provider,
      docName,
      writes,
      acked: 0,
      gone: false,
    };
    // Every connection's frames: a sync step 1 from the relay acknowledges our clock.
    provider.on('status', ({ status }: { status: string }) => {
      if (status !== 'connecting') return;
      provider.ws!.addEventListener('message', (ev: MessageEvent) => {
        const d = decoding.createDecoder(new Uint8Array(ev.data as ArrayBuffer));
        if (decoding.readVarUint(d) !== MessageType.sync) return;
        if (decoding.readVarUint(d) !== SyncMessageType.step1) return;
        const sv = Y.decodeStateVector(decoding.readVarUint8Array(d));
        c.acked = Math.max(c.acked, sv.get(doc.clientID) ?? 0);
      });
    });
    provider.connect();
    clients.push(c);
    return c;
  }

  const writers = prng.int32(gen, 3, 6);
  for (let i = 0; i < writers; i++) addClient('staff:c1', `receptionist@c1#W${i}`, true);
  if (prng.bool(gen)) {
    addClient('queue:c1', 'receptionist@c1#Q', true);
    addClient('queue:c1', 'display@c1', false);
  }
  const honestPairs = () => m.network.pairs.filter((p) => !bad.some((b) => b.raw.pair === p));

  try {
    await m.settle();
    for (let step = 0; step < STEPS; step++) {
      const live = clients.filter((c) => !c.gone);
      const c = prng.oneOf(gen, live);
      const roll = prng.int32(gen, 0, 99);
      if (roll < 40) {
        log(`${c.name} ${edit(gen, c)}`);
      } else if (roll < 45) {
        log(`${c.name} awareness`);
        c.provider.awareness.setLocalStateField('cursor', prng.int32(gen, 0, 99));
      } else if (roll < 52) {
        log(`${c.name} disconnect`);
        c.provider.disconnect();
      } else if (roll < 60) {
        log(`${c.name} connect`);
        c.provider.connect();
      } else if (roll < 64) {
        const pair = pairOf(c.provider);
        log(`${c.name} drops its connection${pair ? '' : ' (none)'}`);
        pair?.clientClose();
      } else if (roll < 67 && live.length > 2) {
        log(`${c.name} leaves for good (acked ${c.acked})`);
        c.gone = true;
        c.provider.destroy();
      } else if (roll < 73) {
        const b = badFrame(gen);
        log(`raw client sends ${b.kind}`);
        const raw = m.raw(prng.bool(gen) ? 'staff:c1' : 'queue:c1', 'receptionist@c1#Raw');
        raw.send(b.frame);
        bad.push({ raw, kind: b.kind, codes: b.codes, mayStayOpen: b.codes.length === 0 });
      } else if (roll < 88) {
        const pairs = m.network.pairs.filter(() => prng.bool(gen));
        log(`flush ${pairs.length} of ${m.network.pairs.length} pairs`);
        for (const p of pairs) p.flush();
        await new Promise((r) => setImmediate(r));
      } else if (roll < 93) {
        log('settle');
        await m.settle();
      } else {
        const ms = prng.int32(gen, 5, 300);
        log(`elapse ${ms} ms`);
        await m.elapse(ms, 5);
      }
    }

    // Everyone comes back; reconnect backoffs, acks and slow appends run out.
    log('all reconnect');
    for (const c of clients) if (!c.gone) c.provider.connect();
    await m.elapse(4000, 50);
    await m.settle();

    for (const b of bad) {
      const code =
        b.raw.pair.closedBy === null ? null : (b.raw.pair.closedBy as { code?: number }).code;
      if (code === null) {
        expect(b.mayStayOpen, `${b.kind} left its connection open`).toBe(true);
      } else {
        // A room whose append failed closes everyone with 4503 first.
        const allowed = faults ? [...b.codes, CloseCode.storeFailed] : b.codes;
        expect(allowed, `${b.kind} closed with ${code}`).toContain(code);
      }
    }
    for (const p of honestPairs()) {
      if (p.closedBy === null) continue;
      const code = p.closedBy === 'terminated' ? 'terminated' : p.closedBy.code;
      expect(faults && code === CloseCode.storeFailed, `an honest connection closed: ${code}`).toBe(
        true,
      );
    }

    for (const name of ['staff:c1', 'queue:c1'] as const) {
      const docName: DocName = parseDocName(name).name;
      const stored = await m.storedDoc(name);
      const storeGapTolerated =
        opts.tolerateStoreGapAfterFailedAppend && (faulty?.failures() ?? 0) > 0;
      if (!storeGapTolerated)
        expect(
          stored.store.pendingStructs,
          `${name}: the stored doc has pending structs`,
        ).toBeNull();
      const live = await m.relay.read(docName, (doc) => ({
        sv: svOf(doc),
        contents: contents(doc),
        pending: doc.store.pendingStructs,
      }));
      expect(live.pending, `${name}: the relay's live doc has pending structs`).toBeNull();
      expect(live.sv, `${name}: the relay's live doc is the stored doc`).toEqual(svOf(stored));
      expect(live.contents).toBe(contents(stored));
      expect(stored.getMap('evil').size, `${name}: a read-only client's write was kept`).toBe(0);
      const storedSv = new Map(svOf(stored));
      for (const c of clients.filter((x) => x.docName === name)) {
        if (c.gone) {
          expect(
            storedSv.get(c.doc.clientID) ?? 0,
            `${c.name} left after an acknowledgement of clock ${c.acked}`,
          ).toBeGreaterThanOrEqual(c.acked);
          continue;
        }
        expect(c.provider.synced, `${c.name} is synced`).toBe(true);
        expect(c.doc.store.pendingStructs, `${c.name} has pending structs`).toBeNull();
        expect(contents(c.doc), `${c.name} converged on the stored doc`).toBe(contents(stored));
        if (c.writes) expect(svOf(c.doc), `${c.name} state vector`).toEqual(svOf(stored));
      }
    }
  } catch (err) {
    const message = `relay fuzz failed at seed ${seed} (faults ${faults}); reproduce with RELAY_FUZZ_SEED=${seed} RELAY_FUZZ_ITERATIONS=1\n${(err as Error).message}\nlast steps:\n  ${trace.slice(-25).join('\n  ')}`;
    console.error(message);
    throw new Error(message, { cause: err });
  } finally {
    for (const c of clients) if (!c.gone) c.provider.destroy();
    await m.elapse(100, 50).catch(() => {});
    await m.close();
    vi.useRealTimers();
  }
}

afterEach(() => {
  vi.useRealTimers();
});

describe('relay fuzz', () => {
  it(`converges, stores everything acknowledged and closes only bad connections (seeds ${BASE_SEED}…+${ITERATIONS - 1})`, async () => {
    for (let i = 0; i < ITERATIONS; i++) await run(BASE_SEED + i);
  }, 600_000);
});

/** A store whose appends wait until the test answers them, one by one. */
function heldStore() {
  const inner = createMemoryDocStore();
  const held: {
    items: AppendItem[];
    resolve: (s: number[]) => void;
    reject: (e: unknown) => void;
  }[] = [];
  const store: DocStore = {
    ...inner,
    appendMany: (items) =>
      new Promise((resolve, reject) => held.push({ items: [...items], resolve, reject })),
  };
  return {
    store,
    held,
    commit: async (i: number) => held[i]!.resolve(await inner.appendMany(held[i]!.items)),
    fail: (i: number) => held[i]!.reject(new Error('disk full')),
  };
}

/** The highest clock of `doc`'s own the relay told it it has (every sync step 1 received). */
function trackAcks(p: WebsocketProvider): () => number {
  let acked = 0;
  p.ws!.addEventListener('message', (ev: MessageEvent) => {
    const d = decoding.createDecoder(new Uint8Array(ev.data as ArrayBuffer));
    if (decoding.readVarUint(d) !== MessageType.sync) return;
    if (decoding.readVarUint(d) !== SyncMessageType.step1) return;
    const sv = Y.decodeStateVector(decoding.readVarUint8Array(d));
    acked = Math.max(acked, sv.get(p.doc.clientID) ?? 0);
  });
  return () => acked;
}

// Relay bugs the fuzz test found, fixed, and pinned as regression tests.
describe('relay fuzz regressions', () => {
  let m: MemoryRelay | null = null;
  afterEach(async () => {
    await m?.close();
    m = null;
  });

  // Seed 20250855 (faults): a writer's append failed while its next change
  // waited to be appended; that one was stored, and the stored doc held
  // structs depending on the lost change. Group commit now fails the appends
  // of a doc that waited behind its failed batch.
  it('seed 20250855: no pending structs in the store after a failed append', async () => {
    await run(20_250_855, { tolerateStoreGapAfterFailedAppend: false });
  });

  it('stores no change whose earlier dependency failed to append', async () => {
    const s = heldStore();
    m = startMemoryRelay({ store: s.store });
    const a = m.provider('staff:c1', 'receptionist@c1');
    await m.settle();
    a.doc.getText('t').insert(0, 'ab');
    await m.settle();
    a.doc.getText('t').insert(2, 'cd'); // depends on 'ab'
    await m.settle();
    // The second waits behind the first batch.
    expect(s.held).toHaveLength(1);
    s.fail(0);
    await m.settle();
    expect(s.held).toHaveLength(1);
    const stored = await m.storedDoc('staff:c1');
    expect(stored.store.pendingStructs).toBeNull();
    expect(stored.getText('t').toString()).toBe('');
  });

  // The keepalive (and the first frame of a connection) was the live doc's
  // state vector: it told a writer that a change whose append was still in
  // flight had reached the server, which the app counts as saved. It is now
  // the last state vector with nothing in flight.
  it('acknowledges no change before its append is durable', async () => {
    useRelayClock();
    const s = heldStore();
    try {
      m = startMemoryRelay({ store: s.store, limits: { keepaliveMs: 100 } });
      const a = m.provider('staff:c1', 'receptionist@c1');
      await m.settle();
      const acked = trackAcks(a);
      a.doc.getText('t').insert(0, 'ab');
      await m.settle();
      expect(s.held).toHaveLength(1);
      await m.elapse(300);
      expect(acked(), 'acknowledged while its append is in flight').toBe(0);
    } finally {
      await s.commit(0);
      await m?.close();
      m = null;
      vi.useRealTimers();
    }
  });
});
