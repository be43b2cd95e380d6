/**
 * The HTTP side of the one port: health, metrics, the built app. The relay
 * takes upgrades under /ws/ on the same server.
 */
import fs from 'node:fs';
import fastifyStatic from '@fastify/static';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { SERVER_TIME_HEADER, type ServerTime } from '../../shared/api.js';
import { shellFor } from '../../shared/audiences.js';
import type { OriginPolicy } from '../auth/origin.js';
import type { Metrics } from '../metrics.js';
import { registerAuthRoutes, type AuthRoutesDeps } from './auth-routes.js';
import { installDrainBeforeEarlyAnswers } from './drain.js';
import { describeError, errorBody } from './errors.js';
import { installSessionAuth } from './session-auth.js';
import { registerStaffRoutes } from './staff-routes.js';
import { registerApiKeyRoutes } from './api-key-routes.js';
import { registerBoardRoutes } from './board-routes.js';
import { registerClinicRoutes } from './clinic-routes.js';
import type { ApiDeps } from './deps.js';
import { registerDisplayRoutes } from './display-routes.js';
import { registerJoinRoutes } from './join-routes.js';
import { registerMemberRoutes } from './member-routes.js';
import { collectApiRoutes, registerOpenApi } from './openapi.js';
import { registerQueueApiRoutes } from './queue-api-routes.js';

export interface HttpDeps {
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly appDir: string;
  readonly health: () => { docs: number; connections: number };
  /** Staff accounts and sessions (login, CSRF, staff management). */
  readonly auth: AuthRoutesDeps & {
    /** Same-origin rule for cookie-authenticated requests; trustProxy also makes req.ip come from X-Forwarded-For. */
    readonly origin: OriginPolicy;
  };
  readonly api: ApiDeps;
  /** Serve https (and wss for the relay) with this certificate and key (PEM); plain http when absent. */
  readonly tls?: { readonly cert: Buffer; readonly key: Buffer } | undefined;
}

export { errorBody, type ErrorBody } from './errors.js';

export async function createHttpApp(deps: HttpDeps) {
  // Typed as the plain-http instance whichever it is: routes see the same
  // request and reply API, and the relay's 'upgrade' listener works on both.
  const app = Fastify({
    ...(deps.tls ? { https: { cert: deps.tls.cert, key: deps.tls.key } } : {}),
    // Typed as Fastify's logger so route modules take a plain FastifyInstance.
    loggerInstance: deps.logger as FastifyBaseLogger,
    // Request lines are logged below without their query string: tokens travel there.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1024 * 1024,
    // Client addresses (login rate limits) come from X-Forwarded-For only behind a
    // trusted proxy, and only its one hop: trusting every hop would take the
    // left-most address, which the client itself can write.
    trustProxy: deps.auth.origin.trustProxy ? (_address: string, hop: number) => hop < 1 : false,
  }) as unknown as FastifyInstance;

  // First, so the OpenAPI description knows every /api route registered below.
  const apiRoutes = collectApiRoutes(app);
  // An answer sent before the body arrived (413, 415, 429) must not end in a connection reset.
  installDrainBeforeEarlyAnswers(app);

  // Every answer, errors and static files included, says what time it is
  // here, taken as it leaves: the app's clocks sample it (app/src/sync/clock.ts).
  app.addHook('onSend', async (_req, reply, payload) => {
    void reply.header(SERVER_TIME_HEADER, String(deps.api.now()));
    return payload;
  });

  app.addHook('onResponse', async (req, reply) => {
    const q = req.url.indexOf('?');
    req.log.info(
      {
        method: req.method,
        // Paths holding a secret (join links, pairing ids) are logged as their pattern.
        path: req.routeOptions.config.secretPath
          ? req.routeOptions.url
          : q < 0
            ? req.url
            : req.url.slice(0, q),
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      'request',
    );
  });

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply) => {
    const { status, code, message, retryAfterSec } = describeError(err);
    if (status >= 500) req.log.error({ err }, 'request failed');
    if (retryAfterSec !== undefined) void reply.header('retry-after', String(retryAfterSec));
    void reply.status(status).send(errorBody(code, message));
  });

  // No credential, nothing read: a screen that makes no other HTTP call measures its clock here.
  app.get('/api/time', async (_req, reply): Promise<ServerTime> => {
    void reply.header('cache-control', 'no-store');
    return { serverTime: deps.api.now() };
  });

  app.get('/healthz', async () => ({ status: 'ok', ...deps.health() }));

  app.get('/metrics', async (_req, reply) => {
    void reply.header('content-type', deps.metrics.registry.contentType);
    return deps.metrics.registry.metrics();
  });

  // On the root instance, not in a plugin scope: every /api route, including
  // those added later, gets the session and the CSRF guard.
  installSessionAuth(app, { ...deps.auth, tokens: deps.api.tokens });
  registerAuthRoutes(app, deps.auth);
  registerStaffRoutes(app, deps.auth);
  registerMemberRoutes(app, deps.api);
  registerClinicRoutes(app, deps.api);
  registerQueueApiRoutes(app, deps.api);
  registerApiKeyRoutes(app, deps.api);
  registerBoardRoutes(app, deps.api);
  registerDisplayRoutes(app, deps.api);
  registerJoinRoutes(app, deps.api);
  registerOpenApi(app, deps.api, apiRoutes);

  app.all('/api/*', async (_req, reply) =>
    reply.status(404).send(errorBody('no-route', 'no such API route')),
  );

  if (fs.existsSync(deps.appDir)) {
    await app.register(fastifyStatic, { root: deps.appDir, wildcard: false });
    // Client-side routes start their audience's page: /display… the display,
    // /join/… and /ticket/… the patient's, every other one the staff app.
    app.setNotFoundHandler(async (req, reply) => {
      if (req.method !== 'GET' || req.url.startsWith('/api/') || req.url.startsWith('/ws/')) {
        return reply.status(404).send(errorBody('not-found', 'not found'));
      }
      return reply.sendFile(shellFor(req.url.split('?', 1)[0]!).slice(1));
    });
  } else {
    deps.logger.warn({ appDir: deps.appDir }, 'app not built; run `npm run build`');
  }
  return app;
}
