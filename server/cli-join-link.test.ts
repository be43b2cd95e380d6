/**
 * `queuemed join-link` as a person or a script uses it: a real process on the
 * SQLite file of a running server, printing the same link the server uses.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_ENTRY, CLI_ENV, REPO_ROOT, startServeProcess } from './test-support/serve-process.js';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'queuemed-cli-join-'));
const root = REPO_ROOT;
const entry = CLI_ENTRY;
const env = CLI_ENV;

function cli(args: string[], extraEnv: Record<string, string> = {}) {
  return spawnSync(process.execPath, [...entry, ...args], {
    cwd: root,
    env: { ...env, ...extraEnv },
    encoding: 'utf8',
  });
}

let server: ChildProcess;
let port: number;
let adminToken: string;

beforeAll(async () => {
  const serve = await startServeProcess(dataDir, /Admin API token[^\n]*\n\s+qm_\S+/);
  server = serve.child;
  port = serve.port;
  adminToken = /Admin API token[^\n]*\n\s+(qm_\S+)/.exec(serve.banner)![1]!;
}, 30_000);

afterAll(() => {
  server.kill('SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const api = async (p: string, method = 'GET') => {
  const res = await fetch(`http://127.0.0.1:${port}${p}`, {
    method,
    headers: { authorization: `Bearer ${adminToken}` },
  });
  return { status: res.status, json: (await res.json()) as { secret: string; url: string } };
};

describe('queuemed join-link', () => {
  it('prints the absolute join URL alone on stdout, the same secret the running server uses', async () => {
    // Asked first from the command line: the server then finds and serves that secret.
    const r = cli([
      'join-link',
      'demo',
      '--data',
      dataDir,
      '--public-url',
      'http://192.168.1.20:8080',
    ]);
    expect(r.status).toBe(0);
    // An explicit address: nothing assumed; only the note that http is not a secure origin.
    expect(r.stderr).not.toContain('assumed');
    expect(r.stderr).toContain('is not https');
    const m = /^http:\/\/192\.168\.1\.20:8080\/join\/([A-Za-z0-9_-]{16})\n$/.exec(r.stdout);
    expect(m, r.stdout).not.toBeNull();
    const secret = m![1]!;
    const fromServer = await api('/api/clinics/demo/join-link');
    expect(fromServer.json.secret).toBe(secret);
    const info = await fetch(`http://127.0.0.1:${port}/api/join/${secret}`);
    expect(info.status).toBe(200);
    // And again: stable all day.
    expect(
      cli(['join-link', 'demo', '--data', dataDir], { PUBLIC_URL: 'http://192.168.1.20:8080' })
        .stdout,
    ).toBe(r.stdout);
  });

  it('says what address it assumed without PUBLIC_URL, and warns loudly when phones cannot open it', () => {
    const r = cli(['join-link', 'demo', '--data', dataDir], { PORT: '9090' });
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/PUBLIC_URL is not set; assumed http:\/\/\S+:9090/);
    expect(r.stdout).toMatch(/^http:\/\/\S+:9090\/join\/[A-Za-z0-9_-]{16}\n$/);
    const local = cli([
      'join-link',
      'demo',
      '--data',
      dataDir,
      '--public-url',
      'http://localhost:8080',
    ]);
    expect(local.status).toBe(0);
    expect(local.stderr).toContain('WARNING: http://localhost:8080 is a loopback address');
    const secure = cli(['join-link', 'demo', '--data', dataDir], {
      PUBLIC_URL: 'https://queue.clinic.example',
    });
    expect(secure.stderr).toBe('');
  });

  it('prints the printable poster link with --printable: the same the server shows, untouched by the daily regeneration', async () => {
    const base = { PUBLIC_URL: 'https://queue.clinic.example' };
    const r = cli(['join-link', 'demo', '--printable', '--data', dataDir], base);
    expect(r.status).toBe(0);
    const m = /^https:\/\/queue\.clinic\.example\/join\/p\/([A-Za-z0-9_-]{16})\n$/.exec(r.stdout);
    expect(m, r.stdout).not.toBeNull();
    const fromServer = await api('/api/clinics/demo/join-link');
    expect((fromServer.json as unknown as { printable: { url: string } }).printable.url).toMatch(
      new RegExp(`/join/p/${m![1]}$`),
    );
    await api('/api/clinics/demo/join-link/regenerate', 'POST');
    expect(cli(['join-link', 'demo', '--printable', '--data', dataDir], base).stdout).toBe(
      r.stdout,
    );
    expect((await fetch(`http://127.0.0.1:${port}/api/join/${m![1]}`)).status).toBe(200);
  });

  it('follows a regeneration by an admin and uses PUBLIC_URL as the base', async () => {
    const regenerated = await api('/api/clinics/demo/join-link/regenerate', 'POST');
    expect(regenerated.status).toBe(200);
    const r = cli(['join-link', 'demo', '--data', dataDir], {
      PUBLIC_URL: 'https://queue.clinic.example/',
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`https://queue.clinic.example/join/${regenerated.json.secret}\n`);
  });

  it('explains an unknown clinic or bad usage with exit code 2, and has --help', () => {
    const unknown = cli(['join-link', 'nowhere', '--data', dataDir]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('no clinic nowhere');
    expect(cli(['join-link', '--data', dataDir]).status).toBe(2);
    expect(cli(['join-link', 'Bad Id', '--data', dataDir]).status).toBe(2);
    const help = cli(['join-link', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: queuemed join-link <clinicId>');
    expect(cli(['--help']).stdout).toContain('queuemed join-link <clinicId>');
  });
});
