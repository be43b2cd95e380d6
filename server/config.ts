/**
 * Configuration: explicit flags win over environment variables, which win
 * over defaults. Only the CLI entry reads process.env and passes it here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { defaultRelayLimits, type RelayLimits } from './relay/limits.js';

export type Synchronous = 'off' | 'normal' | 'full';

export interface StorageConfig {
  /** SQLite directory (the database file is <dataDir>/queuemed.db); ignored when databaseUrl is set. */
  dataDir: string;
  /** postgres:// URL, or null for the embedded SQLite file. */
  databaseUrl: string | null;
  /** SQLite fsync level: normal survives a killed process, full survives power loss. */
  synchronous: Synchronous;
}

export interface Config extends StorageConfig {
  port: number;
  host: string;
  /** The external address used in links and QR codes; null: http://localhost:<port>. */
  publicUrl: string | null;
  /**
   * Behind one reverse proxy: client addresses come from the address it adds to
   * X-Forwarded-For, and the forwarded host counts as our origin. Off by
   * default (the headers are forgeable without a proxy).
   */
  trustProxy: boolean;
  /** Serve https and wss on the port (certificate and key files, PEM), or null for plain http. */
  tls?: TlsFiles | null;
  logLevel: string;
  /** Directory of the built app (index.html and assets). */
  appDir: string;
  limits: RelayLimits;
}

export interface TlsFiles {
  readonly certFile: string;
  readonly keyFile: string;
}

export interface StorageFlags {
  data?: string | undefined;
  'database-url'?: string | undefined;
}

export interface ServeFlags extends StorageFlags {
  port?: string | undefined;
  host?: string | undefined;
  'tls-cert'?: string | undefined;
  'tls-key'?: string | undefined;
  'public-url'?: string | undefined;
}

export type Env = Readonly<Record<string, string | undefined>>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

function int(name: string, value: string | undefined, fallback: number, min = 0): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new ConfigError(`${name} must be an integer ≥ ${min}, got ${JSON.stringify(value)}`);
  return n;
}

function bool(name: string, value: string | undefined): boolean {
  if (value === undefined || value === '') return false;
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  throw new ConfigError(`${name} must be true or false, got ${JSON.stringify(value)}`);
}

export function resolveStorage(flags: StorageFlags, env: Env, cwd: string): StorageConfig {
  if (flags.data !== undefined && flags['database-url'] !== undefined) {
    throw new ConfigError('give either --data or --database-url, not both');
  }
  // An explicit --data wins over DATABASE_URL from the environment, and vice versa.
  const databaseUrl =
    flags['database-url'] ?? (flags.data !== undefined ? undefined : env.DATABASE_URL) ?? null;
  if (databaseUrl !== null && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('--database-url must be a postgres:// URL (use --data DIR for SQLite)');
  }
  const synchronous = (env.QUEUEMED_SYNC ?? 'normal') as Synchronous;
  if (!['off', 'normal', 'full'].includes(synchronous)) {
    throw new ConfigError(
      `QUEUEMED_SYNC must be off, normal or full, got ${JSON.stringify(synchronous)}`,
    );
  }
  return {
    dataDir: path.resolve(cwd, flags.data ?? env.DATA_DIR ?? 'data'),
    databaseUrl: databaseUrl || null,
    synchronous,
  };
}

export function resolveConfig(
  flags: ServeFlags,
  env: Env,
  opts: { cwd: string; appDir: string },
): Config {
  const port = int('port', flags.port ?? env.PORT, 8080);
  if (port > 65535) throw new ConfigError(`port must be ≤ 65535, got ${port}`);
  const host = flags.host ?? env.HOST ?? '0.0.0.0';
  const limits: RelayLimits = {
    ...defaultRelayLimits,
    maxUpdateBytes: int(
      'QUEUEMED_MAX_UPDATE_BYTES',
      env.QUEUEMED_MAX_UPDATE_BYTES,
      defaultRelayLimits.maxUpdateBytes,
      1024,
    ),
    maxFrameBytes: int(
      'QUEUEMED_MAX_FRAME_BYTES',
      env.QUEUEMED_MAX_FRAME_BYTES,
      defaultRelayLimits.maxFrameBytes,
      1024,
    ),
    idleUnloadMs: int(
      'QUEUEMED_IDLE_UNLOAD_MS',
      env.QUEUEMED_IDLE_UNLOAD_MS,
      defaultRelayLimits.idleUnloadMs,
    ),
  };
  return {
    ...resolveStorage(flags, env, opts.cwd),
    port,
    host,
    publicUrl: resolvePublicUrl(flags['public-url'] ?? env.PUBLIC_URL),
    trustProxy: bool('QUEUEMED_TRUST_PROXY', env.QUEUEMED_TRUST_PROXY),
    tls: resolveTls(flags, env, opts.cwd),
    logLevel: env.LOG_LEVEL ?? 'info',
    appDir: opts.appDir,
    limits,
  };
}

/** PUBLIC_URL as an origin without a trailing slash; null when unset. */
export function resolvePublicUrl(value: string | undefined): string | null {
  if (value === undefined || value.trim() === '') return null;
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new ConfigError(`PUBLIC_URL must be an absolute URL, got ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(
      `PUBLIC_URL must start with http:// or https://, got ${JSON.stringify(value)}`,
    );
  }
  return value.trim().replace(/\/+$/, '');
}

function resolveTls(flags: ServeFlags, env: Env, cwd: string): TlsFiles | null {
  const cert = flags['tls-cert'] ?? env.TLS_CERT_FILE;
  const key = flags['tls-key'] ?? env.TLS_KEY_FILE;
  if (!cert && !key) return null;
  if (!cert || !key) {
    throw new ConfigError(
      'https needs both --tls-cert and --tls-key (env TLS_CERT_FILE, TLS_KEY_FILE)',
    );
  }
  return { certFile: path.resolve(cwd, cert), keyFile: path.resolve(cwd, key) };
}

/** The certificate and key, read once at start; a missing or unreadable file is a ConfigError naming it. */
export function readTlsFiles(tls: TlsFiles): { cert: Buffer; key: Buffer } {
  const read = (what: string, file: string) => {
    try {
      return fs.readFileSync(file);
    } catch (err) {
      throw new ConfigError(`cannot read the TLS ${what} ${file}: ${(err as Error).message}`);
    }
  };
  return { cert: read('certificate', tls.certFile), key: read('key', tls.keyFile) };
}
