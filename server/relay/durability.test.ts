/**
 * A real server process, killed with SIGKILL while a client writes: after a
 * restart, a fresh client sees every edit another client had seen before the
 * kill. Ten rounds on the same data directory.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { synced, until } from '../test-support/harness.js';
import { CLI_ENTRY, CLI_ENV, REPO_ROOT, startServeProcess } from '../test-support/serve-process.js';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'queuemed-kill-'));

function runCli(args: string[]): string {
  const r = spawnSync(process.execPath, [...CLI_ENTRY, ...args, '--data', dataDir], {
    cwd: REPO_ROOT,
    env: CLI_ENV,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`queuemed ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout.trim();
}

const startServer = () => startServeProcess(dataDir);

function connect(port: number, token: string, doc = new Y.Doc()): WebsocketProvider {
  return new WebsocketProvider(`ws://127.0.0.1:${port}/ws`, 'staff:demo', doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: { token },
    disableBc: true,
  });
}

const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('durability', () => {
  it('loses nothing a client has seen when the server is killed with SIGKILL (10 rounds)', async () => {
    runCli(['clinic', 'add', 'demo', '--name', 'Kill test']);
    const token = runCli(['token', 'create', '--clinic', 'demo', '--role', 'receptionist']);
    expect(token).toMatch(/^qm_/);
    const seenBeforeKill = new Set<string>();

    for (let round = 0; round < 10; round++) {
      const { child, port } = await startServer();
      children.push(child);
      // A fresh client must see everything any client saw before the previous kill.
      const fresh = connect(port, token);
      await synced(fresh);
      const have = fresh.doc.getMap('edits');
      const missing = [...seenBeforeKill].filter((k) => !have.has(k));
      expect(missing, `round ${round}: lost edits`).toEqual([]);
      fresh.destroy();

      const writer = connect(port, token);
      const reader = connect(port, token);
      await Promise.all([synced(writer), synced(reader)]);
      const seen = reader.doc.getMap('edits');
      // Write continuously and kill at an arbitrary moment mid-stream.
      let i = 0;
      const timer = setInterval(() => {
        writer.doc.transact(() => {
          for (let k = 0; k < 5; k++) writer.doc.getMap('edits').set(`r${round}-${i++}`, round);
        });
      }, 2);
      await until(
        () => seen.size > seenBeforeKill.size + 50 + round * 7,
        15_000,
        'reader sees edits',
      );
      child.kill('SIGKILL');
      clearInterval(timer);
      for (const k of seen.keys()) seenBeforeKill.add(k);
      await new Promise<void>((resolve) =>
        child.exitCode !== null ? resolve() : child.once('exit', () => resolve()),
      );
      writer.destroy();
      reader.destroy();
    }

    const { child, port } = await startServer();
    children.push(child);
    const last = connect(port, token);
    await synced(last);
    expect([...seenBeforeKill].filter((k) => !last.doc.getMap('edits').has(k))).toEqual([]);
    last.destroy();
    child.kill('SIGTERM');
  }, 120_000);
});
