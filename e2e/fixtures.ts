/**
 * E2E fixtures: a real server process (the built app and server, as
 * `npm start` runs them) on port 0 with its own data directory.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect as baseExpect, test as base, type Page } from '@playwright/test';
import type { STAFF_ROLES } from '../shared/presence.js';

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
  /** Runs a CLI command with `input` on stdin (e.g. for --password-stdin); returns stdout. */
  cliInput(input: string, ...args: string[]): string;
  /** Creates a clinic with a fresh unique id (`<prefix>-<n>`) and returns the id. */
  addClinic(prefix?: string, name?: string): string;
  /** Creates a staff account; returns its email and password. */
  addStaff(
    email: string,
    role: StaffRole,
    opts?: { clinic?: string | string[]; name?: string; password?: string },
  ): StaffAccount;
}

export type StaffRole = (typeof STAFF_ROLES)[number];
export interface StaffAccount {
  readonly email: string;
  readonly password: string;
  readonly name: string;
}

let clinicCounter = 0;

export const test = base.extend<object, { server: QueueMedServer }>({
  // Relative URLs (page.goto('/login')) resolve against this worker's server.
  baseURL: async ({ server }, use) => use(server.url),
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
      const run = (input: string | undefined, args: string[]) => {
        const r = spawnSync(process.execPath, [bin, ...args, '--data', dataDir], {
          cwd: root,
          env,
          encoding: 'utf8',
          ...(input === undefined ? {} : { input }),
        });
        if (r.status !== 0) throw new Error(`queuemed ${args.join(' ')}: ${r.stderr}`);
        return r.stdout.trim();
      };
      const cli = (...args: string[]) => run(undefined, args);
      const cliInput = (input: string, ...args: string[]) => run(input, args);
      await use({
        url,
        dataDir,
        cli,
        cliInput,
        token: (role, clinic = 'demo') =>
          cli('token', 'create', '--clinic', clinic, '--role', role),
        addClinic(prefix = 'clinic', name) {
          const id = `${prefix}-${process.pid}-${++clinicCounter}`;
          cli('clinic', 'add', id, '--name', name ?? `Clinique ${id}`);
          return id;
        },
        addStaff(email, role, opts = {}) {
          const password = opts.password ?? `pw-${Math.random().toString(36).slice(2)}-E2e!`;
          const name = opts.name ?? email.split('@')[0]!;
          const clinics = [opts.clinic ?? 'demo'].flat();
          cliInput(
            password,
            'user',
            'add',
            email,
            ...clinics.flatMap((c) => ['--clinic', c]),
            '--role',
            role,
            '--name',
            name,
            '--password-stdin',
          );
          return { email, password, name };
        },
      });
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
    { scope: 'worker' },
  ],
});

/** Signs in through the login page and waits until the app has left it. */
export async function login(page: Page, email: string, password: string): Promise<void> {
  if (!page.url().includes('/login')) await page.goto('/login'); // relative: see baseURL above
  await page.getByLabel(/Adresse e-mail|Email address/).fill(email);
  await page.getByLabel(/Mot de passe|Password/).fill(password);
  await page.getByRole('button', { name: /Se connecter|Sign in/ }).click();
  await baseExpect(page).not.toHaveURL(/\/login/, { timeout: 15_000 });
}

export { expect } from '@playwright/test';
