/**
 * The two servers under test, each started fresh per scenario and pinned to
 * core 0: QueueMed's relay (`queuemed serve`, SQLite store) and the reference
 * `@y/websocket-server` (in memory). Every child is registered so that it is
 * killed on exit, on errors and on SIGINT.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import {
  cpSync,
  createWriteStream,
  existsSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import BetterSqlite3 from 'better-sqlite3';

/**
 * `queuemed-board`: QueueMed with the same load on a board document
 * (`board:bench`), whose writes go through the forged-write guard.
 */
export type ServerKind = 'reference' | 'queuemed' | 'queuemed-board';

export interface BenchServer {
  readonly kind: ServerKind;
  readonly pid: number;
  /** WebSocket URL of the benchmark document. */
  readonly url: string;
  stop(): Promise<void>;
}

/** Children of this run; `killAll` is safe to call from exit handlers. */
export class Children {
  private readonly live = new Set<ChildProcess>();

  spawn(cmd: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): ChildProcess {
    const child = spawn(cmd, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    this.live.add(child);
    child.on('exit', () => this.live.delete(child));
    return child;
  }

  killAll(): void {
    for (const child of this.live) if (child.pid !== undefined) child.kill('SIGKILL');
  }
}

export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as { port: number };
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

/** Newest modification time of the .ts sources under `dir` (tests excluded). */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
      newest = Math.max(newest, statSync(p).mtimeMs);
    }
  }
  return newest;
}

export interface QueuemedSetup {
  /** `dist` when the compiled build is newer than the sources, else `tsx`. */
  readonly build: 'dist' | 'tsx';
  readonly cli: string[];
  /** A data dir holding the seeded clinic; each run gets a fresh copy. */
  readonly template: string;
  readonly token: string;
}

/** Creates the `bench` clinic and a receptionist token in a template data dir. */
export function prepareQueuemed(repo: string): QueuemedSetup {
  const dist = path.join(repo, 'dist/server/main.js');
  const fresh =
    existsSync(dist) &&
    statSync(dist).mtimeMs >
      Math.max(newestSource(path.join(repo, 'server')), newestSource(path.join(repo, 'shared')));
  const cli = fresh
    ? [path.join(repo, 'bin/queuemed.js')]
    : ['--import', 'tsx', path.join(repo, 'server/main.ts')];
  const template = mkdtempSync(path.join(tmpdir(), 'queuemed-bench-'));
  const run = (args: string[]) =>
    execFileSync(process.execPath, [...cli, ...args, '--data', template], {
      cwd: repo,
      encoding: 'utf8',
      env: { ...process.env, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim();
  run(['clinic', 'add', 'bench', '--name', 'Bench']);
  const token = run(['token', 'create', '--clinic', 'bench', '--role', 'receptionist']);
  if (!/^\S+$/.test(token)) throw new Error(`token create printed ${JSON.stringify(token)}`);
  return { build: fresh ? 'dist' : 'tsx', cli, template, token };
}

/**
 * Registers the board `bench` of the clinic `bench` in the template data dir
 * (the relay admits a board's writers only once it is in the boards table).
 * Idempotent. Needs a checkout with boards (migration 8).
 */
export function registerBenchBoard(setup: QueuemedSetup): void {
  const db = new BetterSqlite3(path.join(setup.template, 'queuemed.db'));
  try {
    db.prepare(
      `INSERT INTO boards (id, clinic_id, title, template, created_by, created_at)
       VALUES ('bench', 'bench', 'Bench', 'blank', 'bench', 0) ON CONFLICT (id) DO NOTHING`,
    ).run();
  } finally {
    db.close();
  }
}

/** Spawns a server pinned to core 0 and waits for its "listening" line. */
async function launch(
  children: Children,
  repo: string,
  kind: ServerKind,
  args: string[],
  env: NodeJS.ProcessEnv,
  ready: RegExp,
  logFile: string,
  url: string,
): Promise<BenchServer> {
  const child = children.spawn('taskset', ['-c', '0', process.execPath, ...args], env, repo);
  const log = createWriteStream(logFile);
  let tail = '';
  let isReady = false;
  const onData = (chunk: Buffer) => {
    log.write(chunk);
    if (!isReady) {
      tail = (tail + chunk.toString('utf8')).slice(-4000);
      isReady = ready.test(tail);
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  let exited: number | null = null;
  child.on('exit', (code, signal) => (exited = code ?? (signal ? 128 : 1)));

  const deadline = performance.now() + 60_000;
  while (!isReady) {
    if (exited !== null)
      throw new Error(`${kind} server exited (${exited}) before listening:\n${tail}`);
    if (performance.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${kind} server did not start within 60 s:\n${tail}`);
    }
    await sleep(20);
  }
  // taskset execs node, so the child's pid is the server's.
  const pid = child.pid!;
  const stop = async () => {
    if (exited === null) {
      child.kill('SIGTERM');
      const end = performance.now() + 5000;
      while (exited === null && performance.now() < end) await sleep(20);
      if (exited === null) child.kill('SIGKILL');
      while (exited === null) await sleep(20);
    }
    log.end();
  };
  return { kind, pid, url, stop };
}

export function startReference(children: Children, repo: string, port: number, logFile: string) {
  return launch(
    children,
    repo,
    'reference',
    [path.join(repo, 'node_modules/@y/websocket-server/src/server.js')],
    { ...process.env, HOST: '127.0.0.1', PORT: String(port) },
    /running at/,
    logFile,
    `ws://127.0.0.1:${port}/bench`,
  );
}

export async function startQueuemed(
  children: Children,
  repo: string,
  setup: QueuemedSetup,
  port: number,
  logFile: string,
  doc: 'staff:bench' | 'board:bench' = 'staff:bench',
) {
  const data = mkdtempSync(path.join(tmpdir(), 'queuemed-bench-run-'));
  cpSync(setup.template, data, { recursive: true });
  const server = await launch(
    children,
    repo,
    doc === 'board:bench' ? 'queuemed-board' : 'queuemed',
    [...setup.cli, 'serve', '--port', String(port), '--host', '127.0.0.1', '--data', data],
    { ...process.env, LOG_LEVEL: 'warn' },
    /running on http/,
    logFile,
    `ws://127.0.0.1:${port}/ws/${doc}?token=${encodeURIComponent(setup.token)}`,
  ).catch((err: unknown) => {
    rmSync(data, { recursive: true, force: true });
    throw err;
  });
  return {
    ...server,
    async stop() {
      await server.stop();
      rmSync(data, { recursive: true, force: true });
    },
  };
}
