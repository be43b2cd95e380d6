/**
 * Two real `queuemed serve` processes on one database (a SQLite directory or
 * a PostgreSQL URL), raw writers on both that record which of their edits
 * the server acknowledged, both stopped with SIGTERM at once, one restarted
 * alone: returns the acknowledged edits the restarted server does not have.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import WebSocket from 'ws';
import { expect } from 'vitest';
import * as Y from 'yjs';
import { readMessage, syncStep1Frame, updateFrame } from '../../shared/protocol.js';
import {
  CLI_ENTRY,
  CLI_ENV,
  REPO_ROOT,
  startServeProcess,
  targetArgs,
  type ServeTarget,
} from './serve-process.js';

export function runCli(target: ServeTarget, args: string[]): string {
  const r = spawnSync(process.execPath, [...CLI_ENTRY, ...args, ...targetArgs(target)], {
    cwd: REPO_ROOT,
    env: { ...CLI_ENV, ...(typeof target === 'string' ? {} : target.env) },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`queuemed ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout.trim();
}

/** A clinic "mp" and a receptionist token on the target's database. */
export function setUpClinic(target: ServeTarget): string {
  runCli(target, ['clinic', 'add', 'mp', '--name', 'Multi-process']);
  return runCli(target, ['token', 'create', '--clinic', 'mp', '--role', 'receptionist']);
}

/**
 * A writer speaking the relay's protocol directly: each edit sets one key
 * (one Yjs item, so edit i has clock i), and the relay's acknowledgements —
 * its state vector — say how many of them are durable.
 */
export class AckedWriter {
  readonly doc = new Y.Doc();
  readonly keys: string[] = [];
  acked = 0;
  readonly closed: Promise<void>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => this.onMessage(new Uint8Array(data)));
    this.closed = new Promise((resolve) => ws.once('close', () => resolve()));
  }

  static connect(url: string): Promise<AckedWriter> {
    const ws = new WebSocket(url);
    const writer = new AckedWriter(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(writer));
      ws.once('error', reject);
    });
  }

  write(key: string): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    const before = Y.encodeStateVector(this.doc);
    this.doc.getMap('edits').set(key, this.keys.length);
    this.keys.push(key);
    this.ws.send(updateFrame(Y.encodeStateAsUpdate(this.doc, before)));
  }

  /** Keys whose edit the server acknowledged as durable. */
  ackedKeys(): string[] {
    return this.keys.slice(0, this.acked);
  }

  private onMessage(bytes: Uint8Array): void {
    const message = readMessage(bytes);
    if (message.type !== 'sync-step1') return;
    const sv = Y.decodeStateVector(message.stateVector);
    this.acked = Math.max(this.acked, sv.get(this.doc.clientID) ?? 0);
  }
}

/** Everything a fresh connection to the doc receives in its first sync, as a Y.Doc. */
export async function readThroughRelay(url: string): Promise<Y.Doc> {
  const doc = new Y.Doc();
  const ws = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    ws.once('error', reject);
    ws.once('open', () => ws.send(syncStep1Frame(Y.encodeStateVector(doc))));
    ws.on('message', (data: Buffer) => {
      const message = readMessage(new Uint8Array(data));
      if (message.type !== 'sync-step2') return;
      Y.applyUpdate(doc, message.update);
      resolve();
    });
  });
  ws.close();
  return doc;
}

const exited = (child: ChildProcess): Promise<number | null> =>
  new Promise((resolve) =>
    child.exitCode !== null || child.signalCode !== null
      ? resolve(child.exitCode)
      : child.once('exit', (code) => resolve(code)),
  );

export interface RoundResult {
  readonly acked: number;
  readonly written: number;
  /** Acknowledged edits that the restarted server does not have. */
  readonly lost: string[];
  readonly exitCodes: (number | null)[];
}

/**
 * One round: two servers, `writersPerProcess` writers on each writing every
 * `intervalMs` for `writeMs`, SIGTERM to both at once while they write,
 * then one server restarted alone and read through its relay.
 */
export async function twoProcessRound(
  target: ServeTarget,
  token: string,
  round: number,
  opts: { writersPerProcess?: number; intervalMs?: number; writeMs?: number } = {},
): Promise<RoundResult> {
  const { writersPerProcess = 2, intervalMs = 5, writeMs = 1500 } = opts;
  const doc = 'staff:mp';
  const url = (port: number) => `ws://127.0.0.1:${port}/ws/${doc}?token=${token}`;
  const servers = await Promise.all([startServeProcess(target), startServeProcess(target)]);
  const children = servers.map((s) => s.child);
  try {
    const writers = await Promise.all(
      servers.flatMap((s, p) =>
        Array.from({ length: writersPerProcess }, () => AckedWriter.connect(url(s.port))).map((w) =>
          w.then((writer) => ({ writer, p })),
        ),
      ),
    );
    let i = 0;
    const timer = setInterval(() => {
      i++;
      writers.forEach(({ writer, p }, w) => writer.write(`r${round}-p${p}-w${w}-${i}`));
    }, intervalMs);
    await new Promise((resolve) => setTimeout(resolve, writeMs));
    // Both at once, mid-stream: each flushes, compacts and closes its sockets.
    for (const c of children) c.kill('SIGTERM');
    const exitCodes = await Promise.all(children.map(exited));
    clearInterval(timer);
    await Promise.all(writers.map(({ writer }) => writer.closed));

    const restarted = await startServeProcess(target);
    children.push(restarted.child);
    const stored = (await readThroughRelay(url(restarted.port))).getMap('edits');
    restarted.child.kill('SIGTERM');
    await exited(restarted.child);

    const acked = writers.flatMap(({ writer }) => writer.ackedKeys());
    return {
      acked: acked.length,
      written: writers.reduce((n, { writer }) => n + writer.keys.length, 0),
      lost: acked.filter((k) => !stored.has(k)),
      exitCodes,
    };
  } finally {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  }
}

/**
 * The whole scenario, `rounds` times on one database: every acknowledged
 * edit must be there after each round (each failure names its round).
 */
export async function expectNothingLostOverRounds(
  target: ServeTarget,
  rounds: number,
): Promise<void> {
  const token = setUpClinic(target);
  for (let round = 0; round < rounds; round++) {
    const result = await twoProcessRound(target, token, round);
    expect(result.exitCodes, `round ${round}: clean exits`).toEqual([0, 0]);
    expect(result.acked, `round ${round}: edits acknowledged`).toBeGreaterThan(100);
    expect(
      result.lost,
      `round ${round}: ${result.lost.length} of ${result.acked} acknowledged edits lost`,
    ).toEqual([]);
  }
}
