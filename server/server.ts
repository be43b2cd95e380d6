/**
 * Composes the whole server on one port: database, document store with
 * group commit, relay, HTTP app. `start` resolves when listening; `stop` is
 * memoized and drains → closes sockets (1012) → flushes → closes the store.
 */
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { colorFor, type Role } from '../shared/presence.js';
import { CloseCode } from '../shared/protocol.js';
import { createClinicRepo, type ClinicRepo } from './auth/clinics.js';
import { createDisplayPairingRepo } from './auth/displays.js';
import { createJoinLinkRepo } from './auth/join-links.js';
import type { AuthRefusal, Identity } from './auth/identity.js';
import { createRevocationFeed } from './auth/revocations.js';
import { createLoginThrottle, type LoginThrottleLimits } from './auth/login-throttle.js';
import type { OriginPolicy } from './auth/origin.js';
import type { ScryptParams } from './auth/password.js';
import { authenticateSessionUpgrade } from './auth/session-upgrade.js';
import { createSessionRepo, DEFAULT_SESSION_TTL_MS, type SessionRepo } from './auth/sessions.js';
import { createTokenRepo, type TokenRepo } from './auth/tokens.js';
import { createUserRepo, type UserRepo } from './auth/users.js';
import { startBoardAccessSweep } from './boards/board-access-sweep.js';
import { createBoardLookup } from './boards/board-lookup.js';
import { createBoardService, type BoardService } from './boards/board-service.js';
import { createBoardRepo } from './boards/boards.js';
import { readTlsFiles, type Config } from './config.js';
import { openDatabase } from './db/open.js';
import type { Database } from './db/types.js';
import { createHttpApp } from './http/app.js';
import { createMetrics, type Metrics } from './metrics.js';
import { createNumberSequence } from './queue/number-sequence.js';
import { createQueueService } from './queue/queue-service.js';
import { createSqlClientRegistry } from './relay/client-registry.js';
import { observeRelay } from './relay/observe.js';
import { createRelay, type Relay } from './relay/relay.js';
import { createRelayStats } from './relay/stats.js';
import { createGroupCommit } from './store/group-commit.js';
import { createSqlDocStore } from './store/sql-store.js';
import type { DocStore } from './store/types.js';

export interface RunningServer {
  readonly port: number;
  readonly url: string;
  readonly db: Database;
  readonly store: DocStore;
  readonly clinics: ClinicRepo;
  readonly tokens: TokenRepo;
  readonly users: UserRepo;
  readonly sessions: SessionRepo;
  readonly relay: Relay;
  readonly metrics: Metrics;
  readonly boards: BoardService;
  stop(): Promise<void>;
}

const ROLE_NAMES: Record<Role, string> = {
  admin: 'Admin',
  receptionist: 'Accueil',
  doctor: 'Médecin',
  display: 'Écran',
  patient: 'Patient',
};

/** Knobs for tests and benchmarks, not settings: production uses the defaults. */
export interface ServerOptions {
  /** scrypt cost of new password hashes (tests use a cheap one). */
  readonly scrypt?: ScryptParams;
  readonly loginLimits?: LoginThrottleLimits;
  /** The server's clock (tests shift it to show that nothing depends on clocks agreeing). */
  readonly now?: () => number;
}

export async function startServer(
  config: Config,
  logger: Logger,
  options: ServerOptions = {},
): Promise<RunningServer> {
  const now = options.now ?? (() => Date.now());
  const db = await openDatabase(config);
  const store = createSqlDocStore(db);
  const stats = createRelayStats();
  const metrics = createMetrics(stats);
  const commit = createGroupCommit(store, {
    onBatch: (size: number) => metrics.storeBatchSize.observe(size),
  });
  const clinics = createClinicRepo(db);
  const tokens = createTokenRepo(db);
  const users = createUserRepo(db, options.scrypt ? { scrypt: options.scrypt } : {});
  const sessions = createSessionRepo(db);
  const revocations = createRevocationFeed(db);
  const origin: OriginPolicy = { publicUrl: config.publicUrl, trustProxy: config.trustProxy };
  const boards = createBoardRepo(db);
  // Every upgrade onto a board asks which clinic it is and whether it is archived.
  const boardLookup = createBoardLookup(boards, { now });
  const board = boardLookup.lookup;

  const relay = createRelay({
    store,
    append: async (doc, update) => {
      const end = metrics.storeAppendSeconds.startTimer();
      try {
        return await commit.append(doc, update);
      } finally {
        end();
      }
    },
    limits: config.limits,
    logger,
    stats,
    now,
    async authenticate(req, url): Promise<Identity | AuthRefusal | null> {
      const token = url.searchParams.get('token');
      // No ?token=: a staff browser, authenticated by its session cookie.
      if (!token)
        return authenticateSessionUpgrade({ sessions, users, origin, board, now }, req, url);
      const record = await tokens.verify(token, now());
      if (!record) return null;
      const userId = `token:${record.id}`;
      return {
        credential: { kind: 'token', id: record.id, tokenKind: record.kind },
        clinicId: record.clinicId,
        role: record.role,
        user: {
          id: userId,
          name: record.label ?? ROLE_NAMES[record.role],
          role: record.role,
          color: colorFor(userId),
        },
        expiresAt: record.expiresAt,
      };
    },
    board,
    revocations,
    revokedAfter: await revocations.head(),
    clientRegistry: createSqlClientRegistry(db),
  });

  observeRelay(relay.events, metrics, logger);

  const boardService = createBoardService({ boards, lookup: boardLookup, relay, clinics, now });
  // Archives made by another instance reach this one's open sockets too.
  const stopBoardSweep = startBoardAccessSweep({ relay, boards, lookup: boardLookup, logger });
  // The staff docs' board lists follow the table (repairs a mirror write that failed).
  try {
    await boardService.backfillMirrors();
  } catch (err) {
    logger.error({ err }, 'board list mirror backfill failed');
  }

  let listeningPort = config.port;
  const app = await createHttpApp({
    logger,
    metrics,
    appDir: config.appDir,
    tls: config.tls ? readTlsFiles(config.tls) : undefined,
    health: () => ({ docs: relay.roomCount, connections: relay.connectionCount }),
    auth: {
      users,
      sessions,
      clinics,
      throttle: createLoginThrottle(db, options.loginLimits),
      sessionTtlMs: DEFAULT_SESSION_TTL_MS,
      secureCookies: !!config.tls || (config.publicUrl?.startsWith('https://') ?? false),
      origin,
      now,
      onSessionsRevoked: (ids) => {
        for (const id of ids) relay.closeCredential(id, CloseCode.unauthenticated);
      },
    },
    api: {
      clinics,
      joinLinks: createJoinLinkRepo(db),
      displayPairings: createDisplayPairingRepo(db),
      tokens,
      users,
      relay,
      queue: createQueueService({ relay, sequence: createNumberSequence(db), now }),
      boards: boardService,
      publicUrl: {
        publicUrl: config.publicUrl,
        trustProxy: config.trustProxy,
        tls: !!config.tls,
        port: () => listeningPort,
      },
      logger,
      now,
    },
  });
  app.server.on('upgrade', (req, socket, head) => {
    if (!relay.handleUpgrade(req, socket, head)) socket.destroy();
  });

  // A deep accept queue: a hundred displays reconnecting at once must not be dropped.
  await app.listen({ port: config.port, host: config.host, backlog: 4096 });
  const port = (app.server.address() as AddressInfo).port;
  listeningPort = port;

  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      const step = async (name: string, fn: () => Promise<unknown>) => {
        try {
          await fn();
        } catch (err) {
          logger.error({ err, step: name }, 'shutdown step failed');
        }
      };
      stopBoardSweep();
      await step('relay', () => relay.stop());
      await step('commit', () => commit.flush());
      await step('http', () => app.close());
      await step('store', () => store.close());
      await step('db', () => db.close());
    })());

  return {
    port,
    url: `${config.tls ? 'https' : 'http'}://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`,
    db,
    store,
    clinics,
    tokens,
    users,
    sessions,
    relay,
    metrics,
    boards: boardService,
    stop,
  };
}
