/** Turns scenario results into the one markdown table (and the target verdicts) the bench prints. */
import type { SteadyResult } from './load.js';
import type { ServerKind } from './servers.js';

export interface ScenarioRow {
  kind: ServerKind;
  n: number;
  /** Readers synced before writing started, and how long connecting them took. */
  synced: number;
  connectMs: number;
  rssPerConnKb: number;
  serverCpuPct: number;
  /** CPU % other processes took on core 0 (server's) and core 1 (generator's) during the window. */
  otherLoadPct: [number, number];
  steady: SteadyResult | null;
  error: string | null;
}

export interface StormRow {
  kind: ServerKind;
  clients: number;
  synced: number;
  failed: number;
  allSyncedMs: number;
  error: string | null;
}

export interface RunInfo {
  startedAt: string;
  node: string;
  queuemedBuild: string;
  seconds: number;
  rate: number;
  drainSeconds: number;
  nice: string;
}

/** A generator that used most of its core, or whose event loop stalled, measured itself too. */
const SATURATED_CPU = 90;
const SATURATED_LAG_MS = 100;

const num = (v: number, digits = 0) => (Number.isFinite(v) ? v.toFixed(digits) : '—');

function closedText(closed: Record<number, number>): string {
  const parts = Object.entries(closed).map(([code, count]) => `${count}×${code}`);
  return parts.length === 0 ? '0' : parts.join(' ');
}

const serverName = (kind: ServerKind): string =>
  kind === 'queuemed' ? 'QueueMed' : kind === 'queuemed-board' ? 'QueueMed board' : 'reference';

function scenarioLine(r: ScenarioRow): string {
  const s = r.steady;
  const name = serverName(r.kind);
  if (s === null) return `| ${name} | ${r.n} | ${r.synced} | error: ${r.error ?? '?'} |||||||||||`;
  const saturated = s.genCpuPct > SATURATED_CPU || s.genLagP99 > SATURATED_LAG_MS;
  return (
    `| ${name} | ${r.n} | ${r.synced}/${r.n} (${num(r.connectMs / 1000, 1)} s) | ${num(s.p50, 1)} | ${num(s.p99, 1)} | ` +
    `${num(s.max, 0)} | ${s.lost}${s.duplicates ? ` (+${s.duplicates} dup)` : ''} | ${closedText(s.closed)} | ` +
    `${num(r.serverCpuPct)} | ${num(r.rssPerConnKb, 1)} | ${num(s.genCpuPct)}${saturated ? ' ⚠' : ''} / ${num(s.genLagP99)} / ${num(s.genLagMax)} | ${num(r.otherLoadPct[0])} / ${num(r.otherLoadPct[1])} | ${s.writerFramesIn} (${s.writerStep1In}) |`
  );
}

export function verdicts(rows: ScenarioRow[]): string[] {
  const find = (kind: ServerKind, n: number) => rows.find((r) => r.kind === kind && r.n === n);
  const ours = rows.filter((r) => r.kind === 'queuemed');
  const line = (ok: boolean | null, text: string) =>
    `- ${ok === null ? 'SKIP' : ok ? 'PASS' : 'FAIL'} — ${text}`;
  const out: string[] = [];

  const lost = ours.map((r) => (r.steady ? r.steady.lost : Infinity));
  out.push(
    line(
      ours.length === 0 ? null : lost.every((l) => l === 0),
      `no update lost at any N (QueueMed: ${ours.map((r, i) => `N=${r.n}: ${lost[i]}`).join(', ') || 'not run'})`,
    ),
  );

  const q1 = find('queuemed', 1000)?.steady;
  const r1 = find('reference', 1000)?.steady;
  out.push(
    line(
      q1 && r1 ? q1.p99 <= r1.p99 : null,
      `N=1000: QueueMed p99 ≤ reference p99 (${num(q1?.p99 ?? NaN, 1)} ms vs ${num(r1?.p99 ?? NaN, 1)} ms)`,
    ),
  );

  const q10 = find('queuemed', 10000);
  out.push(
    line(
      q10 ? (q10.steady ? q10.steady.p99 < 300 && q10.steady.readers === 10000 : false) : null,
      `N=10000: QueueMed p99 < 300 ms (${num(q10?.steady?.p99 ?? NaN, 1)} ms)`,
    ),
  );

  // RSS per connection is most precise at the largest N both servers ran.
  const both = rows
    .filter((r) => r.kind === 'queuemed' && find('reference', r.n))
    .map((r) => r.n)
    .sort((a, b) => b - a)[0];
  const qm = both === undefined ? undefined : find('queuemed', both);
  const rf = both === undefined ? undefined : find('reference', both);
  out.push(
    line(
      qm && rf && Number.isFinite(qm.rssPerConnKb) && Number.isFinite(rf.rssPerConnKb)
        ? qm.rssPerConnKb <= rf.rssPerConnKb
        : null,
      `RSS per idle connection ≤ reference's, at N=${both ?? '—'} (${num(qm?.rssPerConnKb ?? NaN, 1)} KB vs ${num(rf?.rssPerConnKb ?? NaN, 1)} KB)`,
    ),
  );
  return out;
}

export function renderReport(info: RunInfo, rows: ScenarioRow[], storms: StormRow[]): string {
  const saturated = rows.some(
    (r) =>
      r.steady && (r.steady.genCpuPct > SATURATED_CPU || r.steady.genLagP99 > SATURATED_LAG_MS),
  );
  const lines = [
    `## Relay benchmark — ${info.startedAt}`,
    '',
    `1 writer (real Y.Doc) + N raw-\`ws\` readers on one doc, ${info.rate} updates/s for ${info.seconds} s after all readers synced, ` +
      `then up to ${info.drainSeconds} s drain. Server on core 0, load generator (one process) on core 1` +
      `${info.nice !== '0' ? `, both at ${info.nice}` : ''}. Node ${info.node}. ` +
      '"other load" is CPU that other processes took on those cores during the window (a shared machine disturbs the numbers).',
    `QueueMed (${info.queuemedBuild}) stores every update durably before relaying it (SQLite WAL, group commit, synchronous=normal); ` +
      'the reference `@y/websocket-server` 0.1.1 keeps everything in memory. Each scenario starts a fresh server.',
    saturated
      ? '**⚠ The load generator was saturated in some runs (CPU > 90 % of its core or event-loop p99 > 100 ms): their latencies include generator delay.**'
      : 'Load generator not saturated in any run (CPU ≤ 90 % of its core and event-loop p99 ≤ 100 ms).',
    '',
    '| server | N | readers synced (connect time) | p50 ms | p99 ms | max ms | lost | closed by server | server CPU % | RSS/conn KB | gen CPU % / loop p99 / max ms | other load core 0 / 1 % | writer frames in (sync step 1) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---:|',
    ...rows.map(scenarioLine),
    '',
    '| connect storm | clients | all synced in | synced | failed |',
    '|---|---:|---:|---:|---:|',
    ...storms.map(
      (s) =>
        `| ${serverName(s.kind)} | ${s.clients} | ` +
        `${s.error ? `error: ${s.error}` : Number.isFinite(s.allSyncedMs) ? `${num(s.allSyncedMs)} ms` : 'not all'} | ${s.synced} | ${s.failed} |`,
    ),
    '',
    'Targets:',
    ...verdicts(rows),
    '',
  ];
  return lines.join('\n');
}
