/**
 * The CLI as other tooling uses it: real processes on one data directory,
 * while a server runs on it.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CloseCode } from '../shared/protocol.js';
import { parseTtl } from './cli/token.js';
import { CLI_ENTRY, CLI_ENV, REPO_ROOT, startServeProcess } from './test-support/serve-process.js';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'queuemed-cli-'));
const root = REPO_ROOT;
const entry = CLI_ENTRY;
const env = CLI_ENV;

function cli(...args: string[]) {
  return spawnSync(process.execPath, [...entry, ...args], { cwd: root, env, encoding: 'utf8' });
}

function cliWithStdin(input: string, ...args: string[]) {
  return spawnSync(process.execPath, [...entry, ...args], {
    cwd: root,
    env,
    encoding: 'utf8',
    input,
  });
}

let server: ChildProcess;
let port: number;
let demoToken: string;
let demoPassword: string;

beforeAll(async () => {
  const serve = await startServeProcess(dataDir, /Admin API token[^\n]*\n\s+qm_\S+/);
  server = serve.child;
  port = serve.port;
  demoPassword = /password: (\S+)/.exec(serve.banner)![1]!;
  demoToken = /Admin API token[^\n]*\n\s+(qm_\S+)/.exec(serve.banner)![1]!;
}, 30_000);

afterAll(() => {
  server.kill('SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function open(doc: string, token: string): Promise<{ ws: WebSocket; closed: Promise<number> }> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws/${doc}?token=${token}`);
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    ws.once('message', () => resolve({ ws, closed }));
    ws.once('error', reject);
  });
}

describe('queuemed CLI', () => {
  it('seeds a demo clinic with an admin token that opens its documents', async () => {
    expect(demoToken).toMatch(/^qm_/);
    const { ws } = await open('staff:demo', demoToken);
    ws.close();
  });

  it('seeds demo staff accounts that can sign in with the printed password', async () => {
    for (const email of ['admin@demo.queuemed.test', 'medecin@demo.queuemed.test']) {
      const res = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: demoPassword }),
      });
      expect(res.status).toBe(200);
    }
  });

  it('prints the token alone on stdout', () => {
    const r = cli(
      'token',
      'create',
      '--clinic',
      'demo',
      '--role',
      'display',
      '--ttl',
      '1h',
      '--data',
      dataDir,
    );
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^qm_[A-Za-z0-9_-]{43}\n$/);
  });

  it('adds a clinic while the server runs on the same database, and refuses a duplicate', async () => {
    expect(cli('clinic', 'add', 'north', '--name', 'Centre Nord', '--data', dataDir).status).toBe(
      0,
    );
    const token = cli(
      'token',
      'create',
      '--clinic',
      'north',
      '--role',
      'receptionist',
      '--data',
      dataDir,
    ).stdout.trim();
    const { ws } = await open('queue:north', token);
    ws.close();
    const dup = cli('clinic', 'add', 'north', '--name', 'Again', '--data', dataDir);
    expect(dup.status).not.toBe(0);
    expect(dup.stderr).toMatch(/north/);
  });

  it('closes the sockets of a token revoked from another process within 5 s', async () => {
    const token = cli(
      'token',
      'create',
      '--clinic',
      'demo',
      '--role',
      'receptionist',
      '--data',
      dataDir,
    ).stdout.trim();
    const { closed } = await open('queue:demo', token);
    const started = Date.now();
    const r = cli('token', 'revoke', token, '--data', dataDir);
    expect(r.status).toBe(0);
    expect(await closed).toBe(CloseCode.unauthenticated);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('adds a staff user from the command line, password on stdin, who then logs in on the running server', async () => {
    const r = cliWithStdin(
      's3cret-enough\n',
      'user',
      'add',
      'Zoe@Example.org',
      '--clinic',
      'demo',
      '--clinic',
      'north',
      '--role',
      'doctor',
      '--name',
      'Dr Zoé',
      '--password-stdin',
      '--data',
      dataDir,
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/zoe@example\.org/);
    const login = (password: string) =>
      fetch(`http://127.0.0.1:${port}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'zoe@example.org', password }),
      });
    const res = await login('s3cret-enough');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      user: { name: 'Dr Zoé', email: 'zoe@example.org' },
      clinics: [
        { id: 'demo', role: 'doctor' },
        { id: 'north', role: 'doctor' },
      ],
    });
    // The trailing newline was not part of the password.
    expect((await login('s3cret-enough\n')).status).toBe(401);

    // The session cookie opens the clinic's documents over WebSocket.
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws/staff:demo`, {
      headers: { cookie, origin: `http://127.0.0.1:${port}` },
    });
    await new Promise((resolve, reject) => {
      ws.once('message', resolve);
      ws.once('close', (code) => reject(new Error(`closed ${code}`)));
    });
    ws.close();

    const dup = cliWithStdin(
      'another-pass\n',
      'user',
      'add',
      'zoe@example.org',
      '--clinic',
      'demo',
      '--role',
      'admin',
      '--password-stdin',
      '--data',
      dataDir,
    );
    expect(dup.status).toBe(1);
    expect(dup.stderr).toMatch(/already exists/);
  });

  it('refuses user add with exit code 2 for an empty or short password, no --password-stdin or a non-staff role', () => {
    const base = ['user', 'add', 'yan@example.org', '--clinic', 'demo', '--data', dataDir];
    // Each case is a process start (~3 s): one per kind of refusal.
    const cases: [string, string[], RegExp][] = [
      ['\n', [...base, '--role', 'admin', '--password-stdin'], /empty password/],
      ['short\n', [...base, '--role', 'admin', '--password-stdin'], /password/],
      ['long enough\n', [...base, '--role', 'admin'], /--password-stdin/],
      ['long enough\n', [...base, '--role', 'display', '--password-stdin'], /--role/],
    ];
    for (const [input, args, message] of cases) {
      const r = cliWithStdin(input, ...args);
      expect(r.status, `${JSON.stringify(input)} ${args.join(' ')}`).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });

  it('explains bad usage with a clear error and exit code 2', () => {
    const cases = [
      ['token', 'create', '--clinic', 'demo', '--role', 'janitor'],
      ['token', 'create', '--clinic', 'demo', '--role', 'admin', '--ttl', 'forever'],
      ['clinic', 'add', 'Bad Id', '--name', 'x'],
      ['clinic', 'add', 'ok-id'],
      ['serve', '--data', 'x', '--database-url', 'postgres://x'],
      ['frobnicate'],
    ];
    for (const args of cases) {
      const r = cli(...args, ...(args[0] === 'serve' ? [] : ['--data', dataDir]));
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr.length, args.join(' ')).toBeGreaterThan(0);
    }
  });

  it('has --help for every command', () => {
    for (const args of [
      ['--help'],
      ['serve', '--help'],
      ['clinic', 'add', '--help'],
      ['token', 'create', '--help'],
      ['token', 'revoke', '--help'],
      ['user', 'add', '--help'],
    ]) {
      const r = cli(...args);
      expect(r.status, args.join(' ')).toBe(0);
      expect(r.stdout).toMatch(/Usage/);
    }
  });

  it('parses TTLs', () => {
    expect(parseTtl('1h')).toBe(3_600_000);
    expect(parseTtl('90m')).toBe(5_400_000);
    expect(parseTtl('7d')).toBe(604_800_000);
    expect(() => parseTtl('1 week')).toThrow(/ttl/);
  });

  it('shuts down on SIGTERM, closing sockets with 1012', async () => {
    const { closed } = await open('queue:demo', demoToken);
    const exited = new Promise<number | null>((resolve) =>
      server.once('exit', (code) => resolve(code)),
    );
    server.kill('SIGTERM');
    expect(await closed).toBe(CloseCode.restart);
    expect(await exited).toBe(0);
  });
});
