/**
 * E2E fixtures: a real server process (the built app and server, as
 * `npm start` runs them) on port 0 with its own data directory.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test as base } from '@playwright/test';

const root = path.resolve(import.meta.dirname, '..');
const bin = path.join(root, 'bin', 'queuemed.js');
const env = {
  ...process.env,
  LOG_LEVEL: 'warn',
  DATABASE_URL: '',
  DATA_DIR: '',
  PORT: '',
  PUBLIC_URL: '',
};

export interface QueueMedServer {
  readonly url: string;
  readonly dataDir: string;
  /** Runs a CLI command against this server's database; returns stdout. */
  cli(...args: string[]): string;
  token(role: string, clinic?: string): string;
}

export const test = base.extend<object, { server: QueueMedServer }>({
  server: [
    // Playwright requires the destructuring pattern for fixtures without dependencies.
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'queuemed-e2e-'));
      const child: ChildProcess = spawn(
        process.execPath,
        [bin, 'serve', '--port', '0', '--host', '127.0.0.1', '--data', dataDir],
        { cwd: root, env },
      );
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /running on (http:\/\/localhost:\d+)/.exec(out);
          if (m) resolve(m[1]!.replace('localhost', '127.0.0.1'));
        });
        child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
        child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
      });
      const cli = (...args: string[]) => {
        const r = spawnSync(process.execPath, [bin, ...args, '--data', dataDir], {
          cwd: root,
          env,
          encoding: 'utf8',
        });
        if (r.status !== 0) throw new Error(`queuemed ${args.join(' ')}: ${r.stderr}`);
        return r.stdout.trim();
      };
      await use({
        url,
        dataDir,
        cli,
        token: (role, clinic = 'demo') =>
          cli('token', 'create', '--clinic', clinic, '--role', role),
      });
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
    { scope: 'worker' },
  ],
});

export { expect } from '@playwright/test';
