/**
 * `queuemed` — the command line. This is the only module that reads the
 * environment; everything else gets its configuration passed in.
 *
 *   queuemed serve [--port N] [--host H] [--public-url URL] [--tls-cert FILE --tls-key FILE] [--data DIR | --database-url URL]
 *   queuemed clinic add <clinicId> --name "<name>"
 *   queuemed token create --clinic <clinicId> --role <role> [--ttl 1h]
 *   queuemed token revoke <token>
 *   queuemed user add <email> --clinic <clinicId>… --role <role> --password-stdin [--name "Name"]
 *   queuemed join-link <clinicId> [--printable] [--public-url URL]
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { pino } from 'pino';
import { InvalidIdError, parseClinicId } from '../shared/ids.js';
import { ROLES, type Role } from '../shared/presence.js';
import { createClinicRepo } from './auth/clinics.js';
import { createJoinLinkRepo, joinUrl, printableJoinUrl } from './auth/join-links.js';
import { createTokenRepo, UnknownClinicError } from './auth/tokens.js';
import { createUserRepo, InvalidUserInputError, isStaffRoleName } from './auth/users.js';
import { createClinic } from './clinic-setup.js';
import {
  ConfigError,
  resolveConfig,
  resolvePublicUrl,
  resolveStorage,
  type Env,
  type StorageFlags,
} from './config.js';
import { openDatabase } from './db/open.js';
import { describeUrl, lanUrls } from './http/public-url.js';
import { startServer } from './server.js';
import { createSqlDocStore } from './store/sql-store.js';

const here = path.dirname(fileURLToPath(import.meta.url));
/** dist/server/cli.js and server/cli.ts both sit two levels under the repo root. */
const repoRoot = path.resolve(here, '..', here.includes(`${path.sep}dist${path.sep}`) ? '..' : '');
const defaultAppDir = path.join(repoRoot, 'dist', 'app');

class UsageError extends Error {}

const STORAGE_OPTIONS = {
  data: { type: 'string' },
  'database-url': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

const STORAGE_HELP = `  --data DIR            SQLite data directory (env DATA_DIR, default ./data)
  --database-url URL    PostgreSQL instead of SQLite (env DATABASE_URL)`;

const HELP = {
  main: `queuemed — local-first waiting room for clinics

Usage:
  queuemed serve [--port N] [--host H] [--public-url URL] [--tls-cert FILE --tls-key FILE] [--data DIR | --database-url URL]
  queuemed clinic add <clinicId> --name "<name>"
  queuemed token create --clinic <clinicId> --role <admin|receptionist|doctor|display|patient> [--ttl 1h]
  queuemed token revoke <token>
  queuemed user add <email> --clinic <clinicId> [--clinic <other>…] --role <admin|receptionist|doctor> --password-stdin [--name "Name"]
  queuemed join-link <clinicId> [--printable] [--public-url URL]

Run \`queuemed <command> --help\` for details.`,
  serve: `Usage: queuemed serve [--port N] [--host H] [--public-url URL] [--tls-cert FILE --tls-key FILE] [--data DIR | --database-url URL]

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
server's origin).`,
  clinicAdd: `Usage: queuemed clinic add <clinicId> --name "<name>" [--timezone Europe/Paris] [--locale fr|en]

Creates a clinic and seeds its queue and staff documents.
${STORAGE_HELP}`,
  tokenCreate: `Usage: queuemed token create --clinic <clinicId> --role <admin|receptionist|doctor|display|patient> [--ttl 1h] [--label TEXT]

Prints a new access token, alone on stdout. --ttl accepts s, m, h, d (e.g. 90m, 7d).
${STORAGE_HELP}`,
  tokenRevoke: `Usage: queuemed token revoke <token>

Revokes a token; servers using the same database close its sockets within seconds.
${STORAGE_HELP}`,
  userAdd: `Usage: queuemed user add <email> --clinic <clinicId> [--clinic <other>…] --role <admin|receptionist|doctor> --password-stdin [--name "Name"]

Creates a staff account that logs in with its email and password, with the
same role in every clinic given. The password is read from stdin (one line,
at least 8 characters), e.g.  printf '%s' "$PW" | queuemed user add …
--name defaults to the part of the email before @.
${STORAGE_HELP}`,
  joinLink: `Usage: queuemed join-link <clinicId> [--printable] [--public-url URL]

Prints a join URL of the clinic, alone on stdout: by default today's QR link
(the one the displays show; it changes every clinic day), with --printable
the poster's link (/join/p/…, valid until an admin regenerates it).

  --printable           the printable poster's link instead of today's
  --public-url URL      the address phones open (env PUBLIC_URL). Without it,
                        the running server builds links on the address each
                        browser used, which this command cannot know: it
                        assumes this machine's LAN address and PORT (8080),
                        and says so on stderr.
${STORAGE_HELP}`,
};

export function parseTtl(text: string): number {
  const m = /^(\d+)\s*(s|m|h|d)$/.exec(text.trim());
  if (!m)
    throw new UsageError(
      `invalid --ttl ${JSON.stringify(text)}: use a number and s, m, h or d (e.g. 1h)`,
    );
  const unit = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 's' | 'm' | 'h' | 'd'];
  const ms = Number(m[1]) * unit;
  if (ms <= 0) throw new UsageError('--ttl must be positive');
  return ms;
}

interface Io {
  env: Env;
  cwd: string;
  out: (line: string) => void;
  err: (line: string) => void;
  /** All of stdin (for --password-stdin). */
  readStdin?: () => Promise<string>;
}

const defaultIo = (): Io => ({
  env: process.env,
  cwd: process.cwd(),
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
});

/** Runs the CLI; resolves with the exit code (serve resolves once stopped). */
export async function main(argv: string[], io: Io = defaultIo()): Promise<number> {
  try {
    return await run(argv, io);
  } catch (err) {
    if (
      err instanceof UsageError ||
      err instanceof ConfigError ||
      err instanceof InvalidIdError ||
      err instanceof InvalidUserInputError
    ) {
      io.err(`queuemed: ${err.message}`);
      return 2;
    }
    io.err(`queuemed: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

function parse<O extends ParseArgsConfig['options']>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

async function withStorage<T>(
  flags: StorageFlags,
  io: Io,
  fn: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>,
): Promise<T> {
  const db = await openDatabase(resolveStorage(flags, io.env, io.cwd));
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

async function run(argv: string[], io: Io): Promise<number> {
  const [command, sub, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.out(HELP.main);
    return command === undefined ? 2 : 0;
  }
  switch (command) {
    case 'serve':
      return serve(argv.slice(1), io);
    case 'clinic': {
      if (sub !== 'add') {
        io[sub === '--help' ? 'out' : 'err'](HELP.clinicAdd);
        return sub === '--help' ? 0 : 2;
      }
      const { values, positionals } = parse(rest, {
        ...STORAGE_OPTIONS,
        name: { type: 'string' },
        timezone: { type: 'string' },
        locale: { type: 'string' },
      });
      if (values.help) return (io.out(HELP.clinicAdd), 0);
      if (positionals.length !== 1) throw new UsageError('clinic add takes exactly one <clinicId>');
      if (!values.name?.trim()) throw new UsageError('clinic add needs --name "<name>"');
      const locale = values.locale ?? 'fr';
      if (locale !== 'fr' && locale !== 'en') throw new UsageError('--locale must be fr or en');
      const timezone = values.timezone ?? 'Europe/Paris';
      if (!isTimeZone(timezone))
        throw new UsageError(`unknown --timezone ${JSON.stringify(timezone)}`);
      const id = parseClinicId(positionals[0]);
      await withStorage(values, io, (db) =>
        createClinic(
          { clinics: createClinicRepo(db), store: createSqlDocStore(db) },
          { id, name: values.name!.trim(), timezone, locale },
          Date.now(),
        ),
      );
      io.out(`clinic ${id} created`);
      return 0;
    }
    case 'token': {
      if (sub === 'create') {
        const { values, positionals } = parse(rest, {
          ...STORAGE_OPTIONS,
          clinic: { type: 'string' },
          role: { type: 'string' },
          ttl: { type: 'string' },
          label: { type: 'string' },
        });
        if (values.help) return (io.out(HELP.tokenCreate), 0);
        if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
        if (!values.clinic) throw new UsageError('token create needs --clinic <clinicId>');
        if (!values.role || !(ROLES as readonly string[]).includes(values.role)) {
          throw new UsageError(`token create needs --role ${ROLES.join('|')}`);
        }
        const clinicId = parseClinicId(values.clinic);
        const ttlMs = values.ttl !== undefined ? parseTtl(values.ttl) : undefined;
        const token = await withStorage(values, io, async (db) => {
          if (!(await createClinicRepo(db).get(clinicId)))
            throw new UsageError(`no clinic ${clinicId} (create it with \`queuemed clinic add\`)`);
          const created = await createTokenRepo(db).create(
            {
              clinicId,
              role: values.role as Role,
              ...(ttlMs !== undefined ? { ttlMs } : {}),
              ...(values.label ? { label: values.label } : {}),
            },
            Date.now(),
          );
          return created.token;
        });
        io.out(token);
        return 0;
      }
      if (sub === 'revoke') {
        const { values, positionals } = parse(rest, STORAGE_OPTIONS);
        if (values.help) return (io.out(HELP.tokenRevoke), 0);
        if (positionals.length !== 1)
          throw new UsageError('token revoke takes exactly one <token>');
        const revoked = await withStorage(values, io, (db) =>
          createTokenRepo(db).revoke(positionals[0]!, Date.now()),
        );
        if (!revoked) {
          io.err('queuemed: no such token (or already revoked)');
          return 1;
        }
        io.out('token revoked');
        return 0;
      }
      const help = sub === '--help' || sub === '-h';
      io[help ? 'out' : 'err'](`${HELP.tokenCreate}\n\n${HELP.tokenRevoke}`);
      return help ? 0 : 2;
    }
    case 'user': {
      if (sub !== 'add') {
        const help = sub === '--help' || sub === '-h';
        io[help ? 'out' : 'err'](HELP.userAdd);
        return help ? 0 : 2;
      }
      return userAdd(rest, io);
    }
    case 'join-link':
      return joinLink(argv.slice(1), io);
    default:
      io.err(`queuemed: unknown command ${JSON.stringify(command)}\n\n${HELP.main}`);
      return 2;
  }
}

async function userAdd(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, {
    ...STORAGE_OPTIONS,
    clinic: { type: 'string', multiple: true },
    role: { type: 'string' },
    name: { type: 'string' },
    'password-stdin': { type: 'boolean' },
  });
  if (values.help) return (io.out(HELP.userAdd), 0);
  if (positionals.length !== 1) throw new UsageError('user add takes exactly one <email>');
  const email = positionals[0]!;
  if (!values.clinic?.length) throw new UsageError('user add needs --clinic <clinicId>');
  if (!isStaffRoleName(values.role)) {
    throw new UsageError('user add needs --role admin|receptionist|doctor');
  }
  const role = values.role;
  if (!values['password-stdin']) {
    throw new UsageError(
      'user add needs --password-stdin (the password is never a command-line argument)',
    );
  }
  const clinicIds = values.clinic.map(parseClinicId);
  const name = values.name?.trim() || email.trim().split('@')[0] || email;
  if (!io.readStdin) throw new UsageError('no stdin to read the password from');
  // One line: a trailing newline from `echo` or a terminal is not part of the password.
  const password = (await io.readStdin()).replace(/\r?\n$/, '');
  if (password.length === 0) throw new UsageError('empty password on stdin');
  if (/[\r\n]/.test(password)) throw new UsageError('the password must be a single line');

  const user = await withStorage(values, io, async (db) => {
    try {
      return await createUserRepo(db).add(
        { email, name, password, clinics: clinicIds.map((clinicId) => ({ clinicId, role })) },
        Date.now(),
      );
    } catch (err) {
      if (err instanceof UnknownClinicError) {
        throw new UsageError(`no clinic ${err.clinicId} (create it with \`queuemed clinic add\`)`);
      }
      throw err;
    }
  });
  io.out(`user ${user.email} created (${role} of ${clinicIds.join(', ')})`);
  return 0;
}

async function joinLink(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, {
    ...STORAGE_OPTIONS,
    printable: { type: 'boolean' },
    'public-url': { type: 'string' },
  });
  if (values.help) return (io.out(HELP.joinLink), 0);
  if (positionals.length !== 1) throw new UsageError('join-link takes exactly one <clinicId>');
  const clinicId = parseClinicId(positionals[0]);
  const base = assumedPublicUrl(values['public-url'], io);
  const secret = await withStorage(values, io, async (db) => {
    const clinic = await createClinicRepo(db).get(clinicId);
    if (!clinic)
      throw new UsageError(`no clinic ${clinicId} (create it with \`queuemed clinic add\`)`);
    const repo = createJoinLinkRepo(db);
    return values.printable
      ? (await repo.printable(clinic.id, Date.now())).secret
      : (await repo.current(clinic, Date.now())).secret;
  });
  io.out(values.printable ? printableJoinUrl(base, secret) : joinUrl(base, secret));
  return 0;
}

/**
 * The base `join-link` prints on: --public-url, PUBLIC_URL, else what a
 * server on this machine would most likely be reached at (its LAN address
 * and PORT) — said on stderr, with a warning when phones cannot open it.
 */
function assumedPublicUrl(flag: string | undefined, io: Io): string {
  const configured = resolvePublicUrl(flag ?? io.env.PUBLIC_URL);
  const port = Number(io.env.PORT) || 8080;
  const tls = !!io.env.TLS_CERT_FILE;
  const base =
    configured ?? lanUrls(port, tls)[0] ?? `${tls ? 'https' : 'http'}://localhost:${port}`;
  if (configured === null) {
    io.err(
      `queuemed: PUBLIC_URL is not set; assumed ${base} (this machine's address, port ${port}). ` +
        'The running server builds links on the address each browser used; pass --public-url to be exact.',
    );
  }
  for (const line of publicUrlWarnings(base)) io.err(`queuemed: ${line}`);
  return base;
}

/** What is wrong with an address phones are meant to open (empty when nothing). */
export function publicUrlWarnings(url: string): string[] {
  const { loopback, secure } = describeUrl(url);
  if (loopback) {
    return [
      `WARNING: ${url} is a loopback address: only this machine can open it, phones cannot join. ` +
        'Set PUBLIC_URL (or --public-url) to an address phones reach, e.g. http://<this machine’s LAN address>:<port>.',
    ];
  }
  if (!secure) {
    return [
      `note: ${url} is not https: phones cannot get notifications, push or the offline reload there ` +
        '(browsers keep them for secure origins). See README, "HTTPS".',
    ];
  }
  return [];
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

async function serve(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, {
    ...STORAGE_OPTIONS,
    port: { type: 'string' },
    host: { type: 'string' },
    'public-url': { type: 'string' },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
  });
  if (values.help) return (io.out(HELP.serve), 0);
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
  const config = resolveConfig(values, io.env, {
    cwd: io.cwd,
    appDir: io.env.QUEUEMED_APP_DIR ?? defaultAppDir,
  });
  const logger = pino({ level: config.logLevel, base: { service: 'queuemed' } });
  const server = await startServer(config, logger);

  const demo = await seedDemoIfEmpty(server);
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

  return new Promise<number>((resolve) => {
    const shutdown = (signal: string) => {
      logger.info({ signal }, 'shutting down');
      server.stop().then(
        () => resolve(0),
        () => resolve(1),
      );
    };
    process.once('SIGTERM', () => shutdown('SIGTERM'));
    process.once('SIGINT', () => shutdown('SIGINT'));
  });
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

export const DEMO_STAFF = [
  { email: 'admin@demo.queuemed.test', name: 'Camille Admin', role: 'admin' },
  { email: 'accueil@demo.queuemed.test', name: 'Alex Accueil', role: 'receptionist' },
  { email: 'medecin@demo.queuemed.test', name: 'Dr Morgan', role: 'doctor' },
] as const;

/**
 * `serve` seeds a demo clinic whenever the database has no clinic: three
 * staff accounts sharing one random password, and an admin API token.
 */
async function seedDemoIfEmpty(
  server: Awaited<ReturnType<typeof startServer>>,
): Promise<{ token: string; emails: string[]; password: string } | null> {
  if ((await server.clinics.count()) > 0) return null;
  const now = Date.now();
  await createClinic(
    { clinics: server.clinics, store: server.store },
    {
      id: parseClinicId('demo'),
      name: 'Clinique Démo',
      rooms: [
        { id: '1', name: 'Cabinet 1' },
        { id: '2', name: 'Cabinet 2' },
      ],
    },
    now,
  );
  const { token } = await server.tokens.create(
    { clinicId: parseClinicId('demo'), role: 'admin', label: 'Demo admin' },
    now,
  );
  const password = randomBytes(9).toString('base64url');
  for (const s of DEMO_STAFF) {
    await server.users.add(
      {
        email: s.email,
        name: s.name,
        password,
        clinics: [{ clinicId: parseClinicId('demo'), role: s.role }],
      },
      now,
    );
  }
  return { token, emails: DEMO_STAFF.map((s) => s.email), password };
}

// `tsx server/cli.ts …` works like `tsx server/main.ts …`.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  void import('./main.js');
}
