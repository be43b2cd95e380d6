/**
 * Staff login: POST /api/auth/login, POST /api/auth/logout, GET /api/auth/me.
 * A successful login sets the httpOnly `qm_session` cookie and returns the
 * CSRF token the app sends back in `x-csrf-token` on every mutation.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { LoginRequest, type SessionView } from '../../shared/api.js';
import type { ClinicRepo } from '../auth/clinics.js';
import { clearedSessionCookie, sessionCookie } from '../auth/cookies.js';
import type { LoginThrottle } from '../auth/login-throttle.js';
import type { SessionRecord, SessionRepo } from '../auth/sessions.js';
import type { User, UserRepo } from '../auth/users.js';
import { parseWith, sendError } from './errors.js';
import { requireAuth } from './session-auth.js';

export interface AuthRoutesDeps {
  readonly users: UserRepo;
  readonly sessions: SessionRepo;
  readonly clinics: ClinicRepo;
  readonly throttle: LoginThrottle;
  readonly sessionTtlMs: number;
  /** Secure cookies (PUBLIC_URL is https). */
  readonly secureCookies: boolean;
  readonly now: () => number;
  /** Closes the sockets of revoked sessions in this process at once (other instances poll). */
  readonly onSessionsRevoked: (sessionIds: readonly string[]) => void;
}

export function registerAuthRoutes(app: FastifyInstance, deps: AuthRoutesDeps): void {
  async function view(user: User, session: SessionRecord): Promise<SessionView> {
    const clinics = await Promise.all(
      user.clinics.map(async (m) => ({
        id: m.clinicId,
        name: (await deps.clinics.get(m.clinicId))?.name ?? m.clinicId,
        role: m.role,
      })),
    );
    return {
      user: { id: user.id, name: user.name, email: user.email },
      clinics,
      csrfToken: session.csrfSecret,
    };
  }

  app.post('/api/auth/login', async (req, reply) => {
    const body = parseWith(LoginRequest, req.body);
    const now = deps.now();
    const lockedMs = await deps.throttle.lockedFor(body.email, req.ip, now);
    if (lockedMs > 0) return tooManyAttempts(reply, lockedMs);

    const user = await deps.users.checkPassword(body.email, body.password);
    if (!user) {
      await deps.throttle.recordFailure(body.email, req.ip, now);
      req.log.info({ ip: req.ip }, 'login failed');
      return sendError(reply, 401, 'invalid-credentials', 'wrong email or password');
    }
    if (user.disabledAt !== null) {
      return sendError(reply, 403, 'account-disabled', 'this account is disabled');
    }
    if (body.clinicId !== undefined && !user.clinics.some((m) => m.clinicId === body.clinicId)) {
      return sendError(reply, 403, 'forbidden', `not staff of clinic ${body.clinicId}`);
    }
    await deps.throttle.recordSuccess(body.email);

    // A new login replaces the browser's previous session (no session fixation).
    if (req.auth) await revoke(req.auth.session.id, now);
    const { token, session } = await deps.sessions.create(user.id, now, deps.sessionTtlMs);
    req.log.info({ user: user.id, session: session.id }, 'login');
    void reply.header(
      'set-cookie',
      sessionCookie(token, { secure: deps.secureCookies, maxAgeMs: deps.sessionTtlMs }),
    );
    void reply.header('cache-control', 'no-store');
    return view(user, session);
  });

  app.post('/api/auth/logout', async (req, reply) => {
    if (req.auth) {
      await revoke(req.auth.session.id, deps.now());
      req.log.info({ user: req.auth.user.id, session: req.auth.session.id }, 'logout');
    }
    void reply.header('set-cookie', clearedSessionCookie({ secure: deps.secureCookies }));
    return reply.status(204).send();
  });

  app.get('/api/auth/me', async (req, reply) => {
    const auth = requireAuth(req);
    void reply.header('cache-control', 'no-store');
    return view(auth.user, auth.session);
  });

  async function revoke(sessionId: string, now: number): Promise<void> {
    if (await deps.sessions.revoke(sessionId, now)) deps.onSessionsRevoked([sessionId]);
  }
}

function tooManyAttempts(reply: FastifyReply, lockedMs: number) {
  const seconds = Math.max(1, Math.ceil(lockedMs / 1000));
  void reply.header('retry-after', String(seconds));
  return sendError(
    reply,
    429,
    'too-many-attempts',
    `too many failed logins; try again in ${Math.ceil(seconds / 60)} min`,
  );
}
