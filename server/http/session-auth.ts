/**
 * Credentials on the HTTP API. For every /api request: an
 * `Authorization: Bearer` token resolves into `req.bearer` (and the cookie
 * is then ignored: a request acts for one principal); otherwise the
 * `qm_session` cookie resolves into `req.auth`. Every cookie-authenticated
 * mutation is guarded against CSRF — the `x-csrf-token` header must equal
 * the session's secret (synchronizer token), and an Origin header, when
 * present, must be ours. Bearer requests need no CSRF guard: a browser never
 * attaches an Authorization header on its own, and a cross-site page cannot
 * set one without a CORS preflight we never grant.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SESSION_COOKIE, readCookie } from '../auth/cookies.js';
import { originAllowed, type OriginPolicy } from '../auth/origin.js';
import type { SessionRecord, SessionRepo } from '../auth/sessions.js';
import type { TokenRepo } from '../auth/tokens.js';
import type { User, UserRepo } from '../auth/users.js';
import './access.js';
import { HttpError, sendError } from './errors.js';

export interface RequestAuth {
  readonly session: SessionRecord;
  readonly user: User;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The logged-in staff member, when the request carries a valid session cookie. */
    auth: RequestAuth | null;
  }
}

export interface SessionAuthDeps {
  readonly sessions: SessionRepo;
  readonly users: UserRepo;
  readonly tokens: TokenRepo;
  readonly origin: OriginPolicy;
  readonly now: () => number;
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Login has no session yet (its Origin is still checked, against login CSRF). */
const LOGIN_PATH = '/api/auth/login';

export function installSessionAuth(app: FastifyInstance, deps: SessionAuthDeps): void {
  app.decorateRequest('auth', null);
  app.decorateRequest('bearer', null);
  app.decorateRequest('bearerInvalid', false);

  app.addHook('onRequest', async (req, reply) => {
    const path = pathOf(req);
    if (!path.startsWith('/api/')) return;
    const authorization = req.headers.authorization;
    if (authorization !== undefined) {
      const m = /^Bearer\s+(\S+)$/i.exec(authorization);
      req.bearer = m ? await deps.tokens.verify(m[1]!, deps.now()) : null;
      req.bearerInvalid = req.bearer === null;
      return;
    }
    if (req.routeOptions.config.publicRoute) return;
    req.auth = await resolveSession(deps, req);
    if (!MUTATING.has(req.method)) return;
    const isLogin = req.routeOptions.url === LOGIN_PATH;
    if ((req.auth || isLogin) && originAllowed(req.headers, deps.origin) === false) {
      return sendError(reply, 403, 'csrf', 'cross-origin request refused');
    }
    if (req.auth && !isLogin) {
      const header = req.headers['x-csrf-token'];
      if (typeof header !== 'string' || header.length === 0) {
        return sendError(reply, 403, 'csrf', 'missing x-csrf-token header');
      }
      if (!safeEqual(header, req.auth.session.csrfSecret)) {
        return sendError(reply, 403, 'csrf', 'x-csrf-token does not match the session');
      }
    }
  });
}

/** The request's staff member, or 401. */
export function requireAuth(req: FastifyRequest): RequestAuth {
  if (!req.auth) throw new HttpError(401, 'unauthenticated', 'log in first');
  return req.auth;
}

async function resolveSession(
  deps: SessionAuthDeps,
  req: FastifyRequest,
): Promise<RequestAuth | null> {
  const token = readCookie(req.headers.cookie, SESSION_COOKIE);
  if (token === null) return null;
  const session = await deps.sessions.verify(token, deps.now());
  if (!session) return null;
  const user = await deps.users.get(session.userId);
  if (!user || user.disabledAt !== null) return null;
  return { session, user };
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const pathOf = (req: FastifyRequest): string => {
  const q = req.url.indexOf('?');
  return q < 0 ? req.url : req.url.slice(0, q);
};
