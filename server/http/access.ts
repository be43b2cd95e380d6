/**
 * Who a request acts for, and what it may do in a clinic. A request carries
 * either a staff session cookie (`req.auth`, see session-auth.ts) or an
 * `Authorization: Bearer <token>` (`req.bearer`): a CLI staff token, an API
 * key, a display's device token or a patient's token. Route handlers ask one
 * question — `requireClinicRole(req, clinicId, roles)` — and get the
 * clinic back, or a 401/403 HttpError.
 */
import type { FastifyRequest } from 'fastify';
import { isClinicId, type ClinicId } from '../../shared/ids.js';
import { STAFF_ROLES, type Role } from '../../shared/presence.js';
import type { TokenRecord } from '../auth/tokens.js';
import { HttpError } from './errors.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The route takes no credential (patients joining, displays pairing): a
     * staff cookie the browser happens to hold is ignored, so no CSRF token
     * is asked for, and the route never acts for that session.
     */
    publicRoute?: boolean;
    /** The path holds a secret (join secret, pairing id): logs show the route pattern instead. */
    secretPath?: boolean;
  }
  interface FastifyRequest {
    /** The verified bearer token, when the request sends one. */
    bearer: TokenRecord | null;
    /** An Authorization header was sent but is not a valid, live token. */
    bearerInvalid: boolean;
  }
}

/** Route options of a credential-less route whose path is a secret. */
export const PUBLIC_SECRET_ROUTE = { config: { publicRoute: true, secretPath: true } } as const;

export const STAFF: readonly Role[] = STAFF_ROLES;
export const ADMIN: readonly Role[] = ['admin'];

/** Who acted, for logs: a user id or a token id (never the token itself). */
export function actorOf(req: FastifyRequest): string {
  if (req.bearer) return `token:${req.bearer.id}`;
  if (req.auth) return req.auth.user.id;
  return 'anonymous';
}

/** The request's role in a clinic, or null when it holds none there. */
export function roleIn(req: FastifyRequest, clinicId: string): Role | null {
  if (req.bearer) return req.bearer.clinicId === clinicId ? req.bearer.role : null;
  if (req.auth) return req.auth.user.clinics.find((m) => m.clinicId === clinicId)?.role ?? null;
  return null;
}

/**
 * The clinic, when the request holds one of `roles` in it: 401 without a
 * valid credential, 403 with one that is not allowed there (404 never
 * leaks whether another clinic exists).
 */
export function requireClinicRole(
  req: FastifyRequest,
  clinicId: string,
  roles: readonly Role[],
): ClinicId {
  if (req.bearerInvalid) throw new HttpError(401, 'unauthenticated', 'invalid or expired token');
  if (!req.bearer && !req.auth) throw new HttpError(401, 'unauthenticated', 'sign in first');
  if (!isClinicId(clinicId)) throw new HttpError(400, 'bad-request', 'not a clinic id');
  const role = roleIn(req, clinicId);
  if (role === null || !roles.includes(role)) {
    throw new HttpError(
      403,
      'forbidden',
      role === null ? `no access to clinic ${clinicId}` : `a ${role} may not do this`,
    );
  }
  return clinicId;
}
