/**
 * `npm run bench` (through bench/run.sh, which raises the open-file limit):
 * QueueMed's relay against the reference y-websocket server, one after the
 * other under the same load, each scenario on a fresh server pinned to
 * core 0 while this process (the load generator) runs on core 1.
 *
 *   BENCH_SIZES=100,1000       reader counts (default 100,1000,5000,10000)
 *   BENCH_SECONDS=12           steady writing window per scenario
 *   BENCH_DRAIN_SECONDS=10     how long late updates may still arrive
 *   BENCH_STORM=2000           clients of the connect storm (0 skips it)
 *   BENCH_RATE=20              writer updates per second
 *   BENCH_SERVERS=reference,queuemed   (queuemed-board: the same load on a board doc, through the forged-write guard)
 *   BENCH_QUEUEMED_DIR=/path   another checkout's server (e.g. to compare a fix); default this repo
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { connectReaders, connectStorm, ReaderPool, runSteady, Writer } from './load.js';
import { cpuMeter, cpuSeconds, otherLoadMeter, pinSelf, rssKb } from './proc.js';
import { renderReport, type ScenarioRow, type StormRow } from './report.js';
import {
  Children,
  freePort,
  prepareQueuemed,
  registerBenchBoard,
  startQueuemed,
  startReference,
  type BenchServer,
  type QueuemedSetup,
  type ServerKind,
} from './servers.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const resultsDir = path.join(repo, 'bench/results');

function intList(name: string, fallback: number[]): number[] {
  const raw = process.env[name];
  if (!raw) return fallback;
  const list = raw.split(',').map((s) => Number(s.trim()));
  if (list.some((n) => !Number.isInteger(n) || n < 1 || n > 50_000))
    throw new Error(`${name}: integers 1..50000, got ${raw}`);
  return list;
}

function numberIn(name: string, fallback: number, max: number): number {
  const raw = process.env[name];
  const n = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isFinite(n) || n < 0 || n > max)
    throw new Error(`${name}: a number of 0..${max}, got ${raw}`);
  return n;
}

const sizes = intList('BENCH_SIZES', [100, 1000, 5000, 10000]);
const seconds = numberIn('BENCH_SECONDS', 12, 600);
const drainSeconds = numberIn('BENCH_DRAIN_SECONDS', 10, 600);
const stormClients = Math.round(numberIn('BENCH_STORM', 2000, 15_000));
const kinds = (process.env.BENCH_SERVERS ?? 'reference,queuemed').split(',') as ServerKind[];
const queuemedDir = path.resolve(process.env.BENCH_QUEUEMED_DIR ?? repo);
/** Writer updates per second (raise it to see a write path's CPU cost, e.g. the board guard's). */
const RATE = numberIn('BENCH_RATE', 20, 2000) || 20;
const CONNECT_BATCH = 250;
/** Lets the server finish the connects' work (and some garbage collection) before RSS is read. */
const RSS_SETTLE_MS = 2000;

const children = new Children();
let queuemed: QueuemedSetup | null = null;
const cleanup = () => {
  children.killAll();
  if (queuemed) rmSync(queuemed.template, { recursive: true, force: true });
};
process.on('exit', cleanup);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    cleanup();
    process.exit(130);
  });
}

const firstLine = (err: unknown) =>
  (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? 'error';
const log = (text: string) => process.stderr.write(`[bench] ${text}\n`);

async function start(kind: ServerKind, label: string): Promise<BenchServer> {
  const port = await freePort();
  const logFile = path.join(resultsDir, `${kind}-${label}.log`);
  if (kind === 'reference') return startReference(children, repo, port, logFile);
  queuemed ??= prepareQueuemed(queuemedDir);
  if (kind === 'queuemed') return startQueuemed(children, queuemedDir, queuemed, port, logFile);
  registerBenchBoard(queuemed);
  return startQueuemed(children, queuemedDir, queuemed, port, logFile, 'board:bench');
}

async function scenario(kind: ServerKind, n: number): Promise<ScenarioRow> {
  const row: ScenarioRow = {
    kind,
    n,
    synced: 0,
    connectMs: NaN,
    rssPerConnKb: NaN,
    serverCpuPct: NaN,
    otherLoadPct: [NaN, NaN],
    steady: null,
    error: null,
  };
  let server: BenchServer;
  try {
    server = await start(kind, `n${n}`);
  } catch (err) {
    row.error = firstLine(err);
    log(`${kind} N=${n}: ${(err as Error).message}`);
    return row;
  }
  const pool = new ReaderPool();
  let writer: Writer | null = null;
  try {
    writer = await Writer.connect(server.url);
    await sleep(500);
    const rssBefore = rssKb(server.pid);
    row.connectMs = await connectReaders(pool, server.url, n, {
      batch: CONNECT_BATCH,
      timeoutMs: 120_000,
    });
    row.synced = pool.synced;
    await sleep(RSS_SETTLE_MS);
    row.rssPerConnKb = (rssKb(server.pid) - rssBefore) / n;
    log(
      `${kind} N=${n}: ${pool.synced} synced in ${(row.connectMs / 1000).toFixed(1)} s, writing ${seconds} s`,
    );
    const cpu = cpuMeter(server.pid);
    const other0 = otherLoadMeter(0, () => cpuSeconds(server.pid));
    const other1 = otherLoadMeter(1, () => cpuSeconds(process.pid));
    row.steady = await runSteady(
      writer,
      pool,
      { seconds, rate: RATE, drainMs: drainSeconds * 1000 },
      {
        start() {
          cpu.start();
          other0.start();
          other1.start();
        },
        stop() {
          row.serverCpuPct = cpu.stop();
          row.otherLoadPct = [other0.stop(), other1.stop()];
        },
      },
    );
    const s = row.steady;
    log(
      `${kind} N=${n}: p50 ${s.p50.toFixed(1)} p99 ${s.p99.toFixed(1)} max ${s.max.toFixed(0)} ms, lost ${s.lost}, ` +
        `server CPU ${row.serverCpuPct.toFixed(0)} %, writer got ${s.writerFramesIn} frames (${s.writerStep1In} sync step 1)`,
    );
  } catch (err) {
    row.error = firstLine(err);
    log(`${kind} N=${n}: ${row.error}`);
  } finally {
    pool.terminateAll();
    writer?.close();
    await server.stop();
  }
  return row;
}

async function storm(kind: ServerKind, clients: number): Promise<StormRow> {
  let server: BenchServer | null = null;
  try {
    server = await start(kind, 'storm');
    const r = await connectStorm(server.url, clients, 60_000);
    log(
      `${kind} storm: ${r.synced}/${clients} synced in ${r.allSyncedMs.toFixed(0)} ms, ${r.failed} failed`,
    );
    return { kind, ...r, error: r.timedOut ? 'timed out after 60 s' : null };
  } catch (err) {
    log(`${kind} storm: ${(err as Error).message}`);
    return { kind, clients, synced: 0, failed: clients, allSyncedMs: NaN, error: firstLine(err) };
  } finally {
    await server?.stop();
  }
}

async function main(): Promise<void> {
  pinSelf('1');
  mkdirSync(resultsDir, { recursive: true });
  const startedAt = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const rows: ScenarioRow[] = [];
  for (const n of sizes) for (const kind of kinds) rows.push(await scenario(kind, n));
  const storms: StormRow[] = [];
  if (stormClients > 0) for (const kind of kinds) storms.push(await storm(kind, stormClients));
  const report = renderReport(
    {
      startedAt,
      node: process.version,
      queuemedBuild:
        (queuemed?.build === 'dist' ? 'compiled dist/' : 'TypeScript via tsx') +
        (queuemedDir === repo ? '' : ` from ${queuemedDir}`),
      seconds,
      rate: RATE,
      drainSeconds,
      nice: process.env.BENCH_NICE_APPLIED ?? '0',
    },
    rows,
    storms,
  );
  writeFileSync(path.join(resultsDir, 'latest.md'), report);
  process.stdout.write(report);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    log(`failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
