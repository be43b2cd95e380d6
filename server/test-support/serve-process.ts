/**
 * A real `queuemed serve` process (TypeScript sources through tsx) on port 0
 * and its own data directory, for tests of the CLI and of crash durability.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..', '..');
/** Node arguments that run the CLI from source: `[...CLI_ENTRY, 'token', 'create', …]`. */
export const CLI_ENTRY = ['--import', 'tsx', path.join(root, 'server', 'main.ts')];
export const REPO_ROOT = root;
/** No DATABASE_URL, PORT, DATA_DIR or PUBLIC_URL from the developer's shell leaks in. */
export const CLI_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  LOG_LEVEL: 'warn',
  DATABASE_URL: '',
  PORT: '',
  DATA_DIR: '',
  PUBLIC_URL: '',
};

export interface ServeProcess {
  readonly child: ChildProcess;
  readonly port: number;
  /** Everything printed on stdout up to the banner (demo accounts, tokens). */
  readonly banner: string;
}

/** Where a serve process keeps its data: a SQLite directory, or other CLI flags and environment. */
export type ServeTarget =
  string | { readonly args: readonly string[]; readonly env?: NodeJS.ProcessEnv };

/** The CLI flags that select a target's database (`--data DIR` for a directory). */
export const targetArgs = (target: ServeTarget): readonly string[] =>
  typeof target === 'string' ? ['--data', target] : target.args;

/**
 * Starts `serve` and resolves once stdout matches `ready` (default: the
 * "running on" line), so a test can wait for the demo seeding lines too.
 */
export function startServeProcess(
  target: ServeTarget,
  ready: RegExp = /running on http:\/\/localhost:\d+/,
): Promise<ServeProcess> {
  const child = spawn(
    process.execPath,
    [...CLI_ENTRY, 'serve', '--port', '0', '--host', '127.0.0.1', ...targetArgs(target)],
    {
      cwd: root,
      env: { ...CLI_ENV, ...(typeof target === 'string' ? {} : target.env) },
    },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const port = /running on http:\/\/localhost:(\d+)/.exec(out);
      if (port && ready.test(out)) resolve({ child, port: Number(port[1]), banner: out });
    });
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
  });
}
