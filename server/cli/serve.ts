/** `queuemed serve …`: the whole product on one port, until SIGTERM or SIGINT. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { resolveConfig } from '../config.js';
import { seedDemoIfEmpty } from '../demo-clinic.js';
import { lanUrls } from '../http/public-url.js';
import { startServer } from '../server.js';
import { publicUrlWarnings } from './join-link.js';
import { parse, STORAGE_HELP, STORAGE_OPTIONS, UsageError, type Io } from './io.js';

const here = path.dirname(fileURLToPath(import.meta.url));
/** dist/server/cli/ and server/cli/ both sit two levels under the repo root's server/. */
const repoRoot = path.resolve(
  here,
  '..',
  '..',
  here.includes(`${path.sep}dist${path.sep}`) ? '..' : '',
);
const defaultAppDir = path.join(repoRoot, 'dist', 'app');

export const SERVE_HELP = `Usage: queuemed serve [--port N] [--host H] [--public-url URL] [--tls-cert FILE --tls-key FILE] [--data DIR | --database-url URL]

Serves the app, the HTTP API and the sync relay on one port. Seeds a demo
clinic "demo" (and prints an admin token once) when the database is empty.

  --port N              (env PORT, default 8080)
  --host H              (env HOST, default 0.0.0.0)
  --public-url URL      the address phones open, used in links and QR codes
                        (env PUBLIC_URL; default: the address each browser
                        used to reach this server — never use localhost)
  --tls-cert FILE       serve https and wss with this certificate (PEM, full
  --tls-key FILE        chain) and key (env TLS_CERT_FILE, TLS_KEY_FILE);
                        phones need https for notifications and offline reload
${STORAGE_HELP}

Environment: LOG_LEVEL, QUEUEMED_SYNC (off|normal|full: SQLite fsync
level; normal survives a killed process, full survives power loss),
QUEUEMED_TRUST_PROXY (true behind one reverse proxy: client addresses from the
address it appends to X-Forwarded-For, and X-Forwarded-Host counts as this
server's origin).`;

/** Resolves with the exit code once the server has stopped. */
export async function serveCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, {
    ...STORAGE_OPTIONS,
    port: { type: 'string' },
    host: { type: 'string' },
    'public-url': { type: 'string' },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
  });
  if (values.help) return (io.out(SERVE_HELP), 0);
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
  if (!io.stopRequested) throw new UsageError('serve needs a process that can be stopped');
  const config = resolveConfig(values, io.env, {
    cwd: io.cwd,
    appDir: io.env.QUEUEMED_APP_DIR ?? defaultAppDir,
  });
  const logger = pino({ level: config.logLevel, base: { service: 'queuemed' } });
  const server = await startServer(config, logger);

  const demo = await seedDemoIfEmpty(server, Date.now());
  const scheme = config.tls ? 'https' : 'http';
  const base = config.publicUrl ?? `${scheme}://localhost:${server.port}`;
  io.out(
    `QueueMed is running on ${base} (storage: ${config.databaseUrl ? 'PostgreSQL' : path.join(config.dataDir, 'queuemed.db')})`,
  );
  for (const line of phoneAddressLines(config.publicUrl, server.port, !!config.tls)) io.err(line);
  if (demo) {
    // Signing in at an address phones can reach makes the QR codes right from the start.
    const signIn = config.publicUrl ?? lanUrls(server.port, !!config.tls)[0] ?? base;
    io.out(`Demo clinic "demo" created. Sign in at ${signIn}/login (shown once, keep it):`);
    for (const email of demo.emails) io.out(`  ${email}`);
    io.out(`  password: ${demo.password}`);
    io.out(`Admin API token (shown once, keep it):\n  ${demo.token}`);
  }
  io.out(
    `More tokens:  npx queuemed token create --clinic demo --role receptionist${values.data ? ` --data ${values.data}` : ''}`,
  );

  const signal = await io.stopRequested();
  logger.info({ signal }, 'shutting down');
  try {
    await server.stop();
    return 0;
  } catch {
    return 1;
  }
}

/** What the start-up says about the address phones will use (stderr: warnings stand out there). */
function phoneAddressLines(publicUrl: string | null, port: number, tls: boolean): string[] {
  if (publicUrl !== null) {
    return [
      `Phones: links and QR codes use PUBLIC_URL ${publicUrl}`,
      ...publicUrlWarnings(publicUrl),
    ];
  }
  const lan = lanUrls(port, tls);
  return [
    'Phones: PUBLIC_URL is not set, so links and QR codes use the address each browser opened.',
    lan.length > 0
      ? `WARNING: open Admin and the displays at an address phones can reach — ${lan.join(' or ')} — not localhost, or set PUBLIC_URL.`
      : 'WARNING: this machine has no LAN address: phones cannot reach it. Set PUBLIC_URL to the address they use.',
    ...(tls ? [] : publicUrlWarnings(lan[0] ?? `http://<LAN address>:${port}`)),
  ];
}
