/**
 * The load generator: one real Y.Doc writer and many raw `ws` readers.
 *
 * Readers are not Y.Docs (10 000 of them would not fit on one core): each
 * sends sync step 1 with an empty state vector, counts itself synced on the
 * first sync step 2, then only scans the bytes of every sync update frame
 * for the writer's markers `⟦u000123⟧`. A server may merge several updates
 * into one frame, so every marker in a frame counts. Readers never answer.
 * The writer records each marker's send time in this process, so latency is
 * one clock minus itself.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';

const MSG_SYNC = 0;
const SYNC_STEP1 = 0;
const SYNC_STEP2 = 1;
const SYNC_UPDATE = 2;

/** [sync, step 1, varUint8Array(state vector = varUint 0 entries)]: "send me everything". */
const EMPTY_STEP1 = Buffer.from([MSG_SYNC, SYNC_STEP1, 1, 0]);
const MARK_OPEN = Buffer.from('⟦u', 'utf8');
const MARK_DIGITS = 6;

export const marker = (i: number): string => `⟦u${String(i).padStart(MARK_DIGITS, '0')}⟧`;

const WS_OPTIONS = { perMessageDeflate: false, handshakeTimeout: 60_000 } as const;

/** Delivery record of one steady window: latency[reader * markers + marker], NaN until received. */
interface Recording {
  readonly markers: number;
  readonly sendTimes: Float64Array;
  readonly latency: Float32Array;
  received: number;
  duplicates: number;
}

/** Many readers; the per-reader state is a slot index, the rest lives in shared arrays. */
export class ReaderPool {
  private readonly sockets: WebSocket[] = [];
  private readonly isSynced: boolean[] = [];
  synced = 0;
  failed = 0;
  /** Readers the server closed after they had synced (slow consumer, overload…), by close code. */
  readonly closedAfterSync = new Map<number, number>();
  lastSyncedAt = 0;
  private rec: Recording | null = null;

  get size(): number {
    return this.sockets.length;
  }

  get settled(): number {
    return this.synced + this.failed;
  }

  open(url: string): void {
    const slot = this.sockets.length;
    const ws = new WebSocket(url, WS_OPTIONS);
    this.sockets.push(ws);
    this.isSynced.push(false);
    ws.on('open', () => ws.send(EMPTY_STEP1));
    ws.on('message', (data: Buffer) => {
      if (data[0] !== MSG_SYNC) return;
      if (data[1] === SYNC_UPDATE) this.onUpdate(slot, data);
      else if (data[1] === SYNC_STEP2 && !this.isSynced[slot]) {
        this.isSynced[slot] = true;
        this.synced++;
        this.lastSyncedAt = performance.now();
      }
    });
    ws.on('error', () => {}); // 'close' follows
    ws.on('close', (code: number) => {
      if (!this.isSynced[slot]) this.failed++;
      else this.closedAfterSync.set(code, (this.closedAfterSync.get(code) ?? 0) + 1);
    });
  }

  /** Starts recording a window of `markers` updates; returns the arrays the writer fills. */
  record(markers: number): Recording {
    const latency = new Float32Array(this.sockets.length * markers).fill(NaN);
    this.rec = {
      markers,
      sendTimes: new Float64Array(markers),
      latency,
      received: 0,
      duplicates: 0,
    };
    return this.rec;
  }

  private onUpdate(slot: number, data: Buffer): void {
    const rec = this.rec;
    if (rec === null) return;
    const t = performance.now();
    const base = slot * rec.markers;
    let i = data.indexOf(MARK_OPEN, 2);
    while (i !== -1) {
      const d = i + MARK_OPEN.length;
      let id = 0;
      for (let k = 0; k < MARK_DIGITS; k++) id = id * 10 + (data[d + k]! - 48);
      if (id >= 0 && id < rec.markers) {
        const at = base + id;
        if (Number.isNaN(rec.latency[at])) {
          rec.latency[at] = t - rec.sendTimes[id]!;
          rec.received++;
        } else rec.duplicates++;
      }
      i = data.indexOf(MARK_OPEN, d + MARK_DIGITS);
    }
  }

  terminateAll(): void {
    for (const ws of this.sockets) ws.terminate();
  }
}

/** Waits (polling, bounded) until `done()` or the timeout; returns whether it got done. */
async function until(done: () => boolean, timeoutMs: number, everyMs = 20): Promise<boolean> {
  const end = performance.now() + timeoutMs;
  while (!done()) {
    if (performance.now() > end) return false;
    await sleep(everyMs);
  }
  return true;
}

/** Opens `n` readers in batches, each batch waited for; resolves with the time taken. */
export async function connectReaders(
  pool: ReaderPool,
  url: string,
  n: number,
  opts: { batch: number; timeoutMs: number },
): Promise<number> {
  const t0 = performance.now();
  for (let opened = 0; opened < n;) {
    const k = Math.min(opts.batch, n - opened);
    for (let j = 0; j < k; j++) pool.open(url);
    opened += k;
    const left = opts.timeoutMs - (performance.now() - t0);
    if (!(await until(() => pool.settled >= opened, Math.max(0, left)))) break;
  }
  return performance.now() - t0;
}

/** All `n` clients at once; the time until the last is synced (or the timeout). */
export async function connectStorm(url: string, n: number, timeoutMs: number) {
  const pool = new ReaderPool();
  const t0 = performance.now();
  for (let j = 0; j < n; j++) pool.open(url);
  const complete = await until(() => pool.settled >= n, timeoutMs, 5);
  const result = {
    clients: n,
    synced: pool.synced,
    failed: pool.failed,
    timedOut: !complete,
    allSyncedMs: pool.synced === n ? pool.lastSyncedAt - t0 : NaN,
  };
  pool.terminateAll();
  return result;
}

const REMOTE = Symbol('remote');

/** The one writer: a real Y.Doc behaving like y-websocket's client (answers sync step 1). */
export class Writer {
  private readonly doc = new Y.Doc();
  private readonly list = this.doc.getArray<string>('bench');
  framesIn = 0;
  step1In = 0;

  private constructor(private readonly ws: WebSocket) {
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === REMOTE) return;
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, MSG_SYNC);
      syncProtocol.writeUpdate(encoder, update);
      ws.send(encoding.toUint8Array(encoder));
    });
  }

  static async connect(url: string, timeoutMs = 30_000): Promise<Writer> {
    const ws = new WebSocket(url, WS_OPTIONS);
    const writer = new Writer(ws);
    let synced = false;
    ws.on('open', () => {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, MSG_SYNC);
      syncProtocol.writeSyncStep1(encoder, writer.doc);
      ws.send(encoding.toUint8Array(encoder));
    });
    ws.on('message', (data: Buffer) => {
      writer.framesIn++;
      const decoder = decoding.createDecoder(
        new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      );
      if (decoding.readVarUint(decoder) !== MSG_SYNC) return;
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, MSG_SYNC);
      const sub = syncProtocol.readSyncMessage(decoder, encoder, writer.doc, REMOTE);
      if (sub === SYNC_STEP1) writer.step1In++;
      if (sub === SYNC_STEP2) synced = true;
      if (encoding.length(encoder) > 1) ws.send(encoding.toUint8Array(encoder));
    });
    let closed: number | null = null;
    ws.on('error', () => {});
    ws.on('close', (code: number) => (closed = code));
    if (!(await until(() => synced || closed !== null, timeoutMs)))
      throw new Error('writer: no sync step 2');
    if (!synced) throw new Error(`writer: closed with ${closed} before syncing`);
    return writer;
  }

  write(i: number): void {
    this.list.push([marker(i)]);
  }

  close(): void {
    this.ws.terminate();
    this.doc.destroy();
  }
}

export interface SteadyResult {
  readers: number;
  sent: number;
  expected: number;
  received: number;
  lost: number;
  duplicates: number;
  p50: number;
  p99: number;
  max: number;
  /** Generator health over the window: its CPU (% of one core) and event-loop delay. */
  genCpuPct: number;
  genLagP99: number;
  genLagMax: number;
  /** Readers the server closed during the run, by close code. */
  closed: Record<number, number>;
  /** Frames the writer received during the window (echoes, acks, keepalives). */
  writerFramesIn: number;
  writerStep1In: number;
}

/**
 * Writes `rate` markers per second for `seconds` (on a fixed schedule, not
 * drifting), then waits up to `drainMs` for every synced reader to have them all.
 * `window` brackets the writing period (the server CPU is measured there).
 */
export async function runSteady(
  writer: Writer,
  pool: ReaderPool,
  opts: { seconds: number; rate: number; drainMs: number },
  window: { start(): void; stop(): void },
): Promise<SteadyResult> {
  const markers = Math.max(1, Math.round(opts.seconds * opts.rate));
  const interval = 1000 / opts.rate;
  const readers = pool.synced;
  const rec = pool.record(markers);
  const expected = markers * readers;
  const framesIn0 = writer.framesIn;
  const step1In0 = writer.step1In;

  const lag = monitorEventLoopDelay({ resolution: 5 });
  lag.enable();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  window.start();
  for (let i = 0; i < markers; i++) {
    const wait = t0 + i * interval - performance.now();
    if (wait > 0) await sleep(wait);
    rec.sendTimes[i] = performance.now();
    writer.write(i);
  }
  await sleep(interval);
  window.stop();
  const cpu = process.cpuUsage(cpu0);
  const genCpuPct = ((cpu.user + cpu.system) / 1000 / (performance.now() - t0)) * 100;
  lag.disable();

  await until(() => rec.received >= expected, opts.drainMs, 50);

  const samples = new Float64Array(rec.received);
  let n = 0;
  for (const v of rec.latency) if (!Number.isNaN(v)) samples[n++] = v;
  samples.sort();
  const q = (p: number) => (n === 0 ? NaN : samples[Math.min(n - 1, Math.floor(p * n))]!);
  return {
    readers,
    sent: markers,
    expected,
    received: rec.received,
    lost: expected - rec.received,
    duplicates: rec.duplicates,
    p50: q(0.5),
    p99: q(0.99),
    max: n === 0 ? NaN : samples[n - 1]!,
    genCpuPct,
    genLagP99: lag.percentile(99) / 1e6,
    genLagMax: lag.max / 1e6,
    closed: Object.fromEntries(pool.closedAfterSync),
    writerFramesIn: writer.framesIn - framesIn0,
    writerStep1In: writer.step1In - step1In0,
  };
}
