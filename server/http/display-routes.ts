/**
 * Display pairing (code → device token), the display's own info, and the
 * admin's list of displays:
 *   POST   /api/displays/pairing                        → 201 PairingStart        (no credential)
 *   GET    /api/displays/pairing/:pairingId             → PairingStatus | 404 | 410
 *   POST   /api/displays/pair             PairRequest   → 201 { display }          (admin)
 *   GET    /api/displays/self                           → DisplaySelf             (display token)
 *   GET    /api/clinics/:clinicId/displays              → { displays }            (admin)
 *   DELETE /api/clinics/:clinicId/displays/:displayId   → 204                     (admin)
 * A display's id is its device token's record id; a display paired by an
 * admin that has not collected its token yet is listed as `pending-…`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  PairRequest,
  type DisplaySelf,
  type DisplayView,
  type PairingStart,
  type PairingStatus,
} from '../../shared/api.js';
import { isClinicId } from '../../shared/ids.js';
import { CloseCode } from '../../shared/protocol.js';
import { isPendingDisplayId, pendingDisplayId, type PairingRecord } from '../auth/displays.js';
import { joinUrl } from '../auth/join-links.js';
import type { TokenRecord } from '../auth/tokens.js';
import { actorOf, ADMIN, PUBLIC_SECRET_ROUTE, requireClinicRole } from './access.js';
import type { ApiDeps } from './deps.js';
import { publicAddress } from './public-url.js';
import { HttpError, parseWith } from './errors.js';
import { createRateLimiter, sendRateLimited } from './rate-limit.js';

/**
 * Starting a pairing writes a row, so it is limited per client address. A
 * display starts one every ten minutes while unpaired (or after a failed
 * poll); a burst of 20 and one more every 10 s lets a room of displays
 * behind one address restart at once, while capping a flood at 6 rows a
 * minute per address.
 */
export const PAIRING_START_LIMIT = { capacity: 20, refillPerSec: 0.1, maxKeys: 10_000 };

/**
 * Codes typed per admin (user or token): a person pairing a wall of screens
 * never types 20 codes in a row, while guessing another clinic's pending
 * codes (31^6 of them) becomes hopeless.
 */
export const PAIR_LIMIT = { capacity: 20, refillPerSec: 0.2, maxKeys: 10_000 };

const ClinicParams = z.object({ clinicId: z.string().refine(isClinicId, 'not a clinic id') });
const DisplayParams = ClinicParams.extend({ displayId: z.string().min(1).max(64) });
const PairingParams = z.object({ pairingId: z.string().max(128) });

export function registerDisplayRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const pairings = deps.displayPairings;
  const joinLinks = deps.joinLinks;
  const startLimiter = createRateLimiter(PAIRING_START_LIMIT);
  const pairLimiter = createRateLimiter(PAIR_LIMIT);

  app.post('/api/displays/pairing', { config: { publicRoute: true } }, async (req, reply) => {
    const now = deps.now();
    const taken = startLimiter.take(req.ip, now);
    if (!taken.ok) return sendRateLimited(reply, taken.retryAfterSec);
    const started = await pairings.start(now);
    const body: PairingStart = started;
    return reply.status(201).header('cache-control', 'no-store').send(body);
  });

  app.get('/api/displays/pairing/:pairingId', PUBLIC_SECRET_ROUTE, async (req, reply) => {
    const { pairingId } = parseWith(PairingParams, req.params);
    const now = deps.now();
    void reply.header('cache-control', 'no-store');
    const polled = await pairings.poll(pairingId, now);
    switch (polled.status) {
      case 'unknown':
        throw new HttpError(404, 'not-found', 'no such pairing');
      case 'gone':
        throw new HttpError(410, 'gone', 'this pairing has expired or was already used');
      case 'pending': {
        const body: PairingStatus = { status: 'pending', expiresAt: polled.expiresAt };
        return body;
      }
      case 'ready': {
        const { pairing } = polled;
        const clinicId = pairing.clinicId!;
        // Minted now, so the plaintext only ever exists in this response.
        const { token, record } = await deps.tokens.create(
          {
            kind: 'display',
            clinicId,
            role: 'display',
            label: pairing.displayName ?? 'Display',
          },
          now,
        );
        if (!(await pairings.claim(pairingId, record.id, now))) {
          // Another poll of the same pairing won: this token must never work.
          await deps.tokens.revokeById(record.id, now);
          throw new HttpError(410, 'gone', 'this pairing was already used');
        }
        req.log.info({ clinic: clinicId, display: record.id }, 'display paired');
        const body: PairingStatus = {
          status: 'paired',
          token,
          clinicId,
          displayId: record.id,
        };
        return body;
      }
    }
  });

  app.post('/api/displays/pair', async (req, reply) => {
    if (!req.bearer && !req.auth) {
      throw new HttpError(
        401,
        'unauthenticated',
        req.bearerInvalid ? 'invalid token' : 'sign in first',
      );
    }
    const body = parseWith(PairRequest, req.body);
    const clinicId = requireClinicRole(req, body.clinicId, ADMIN);
    const now = deps.now();
    const taken = pairLimiter.take(actorOf(req), now);
    if (!taken.ok) return sendRateLimited(reply, taken.retryAfterSec);
    const outcome = await pairings.pair(body.code, clinicId, body.name ?? null, now);
    switch (outcome.status) {
      case 'unknown':
        throw new HttpError(404, 'not-found', 'no display shows this code');
      case 'expired':
        throw new HttpError(410, 'expired', 'this code has expired: the display shows a new one');
      case 'already-paired':
        throw new HttpError(409, 'already-paired', 'this code was already used');
      case 'paired':
        req.log.info({ clinic: clinicId, by: actorOf(req) }, 'display pairing approved');
        return reply.status(201).send({ display: pendingView(outcome.pairing) });
    }
  });

  app.get('/api/displays/self', async (req, reply) => {
    const token = requireDisplay(req);
    const clinic = await deps.clinics.get(token.clinicId);
    if (!clinic) throw new HttpError(401, 'unauthenticated', 'this display’s clinic is gone');
    const link = await joinLinks.current(clinic, deps.now());
    const body: DisplaySelf = {
      displayId: token.id,
      name: token.label ?? 'Display',
      clinicId: token.clinicId,
      // The address this display's browser used, unless PUBLIC_URL says otherwise.
      joinUrl: joinUrl(publicAddress(req, deps.publicUrl).url, link.secret),
      joinUrlValidUntil: link.validUntil,
      joinLinkVersion: link.createdAt,
    };
    void reply.header('cache-control', 'no-store');
    return body;
  });

  app.get('/api/clinics/:clinicId/displays', async (req) => {
    const clinicId = requireClinicRole(req, parseWith(ClinicParams, req.params).clinicId, ADMIN);
    const now = deps.now();
    const [tokens, pending] = await Promise.all([
      deps.tokens.listForClinic(clinicId, 'display'),
      pairings.listPending(clinicId, now),
    ]);
    const displays: DisplayView[] = [
      ...pending.map(pendingView),
      ...tokens.map((t) => ({
        id: t.id,
        name: t.label ?? 'Display',
        createdAt: t.createdAt,
        revoked: t.revokedAt !== null,
        online: t.revokedAt === null && deps.relay.isOnline(t.id),
      })),
    ];
    return { displays };
  });

  app.delete('/api/clinics/:clinicId/displays/:displayId', async (req, reply) => {
    const params = parseWith(DisplayParams, req.params);
    const clinicId = requireClinicRole(req, params.clinicId, ADMIN);
    const now = deps.now();
    if (isPendingDisplayId(params.displayId)) {
      if (!(await pairings.cancelPending(clinicId, params.displayId, now))) {
        throw new HttpError(404, 'not-found', 'no such display');
      }
      req.log.info({ clinic: clinicId, by: actorOf(req) }, 'display pairing cancelled');
      return reply.status(204).send();
    }
    const token = await deps.tokens.get(params.displayId);
    if (!token || token.kind !== 'display' || token.clinicId !== clinicId) {
      throw new HttpError(404, 'not-found', 'no such display');
    }
    await deps.tokens.revokeById(token.id, now);
    // Here at once; other instances close it on their next revocation poll.
    const closed = deps.relay.closeCredential(token.id, CloseCode.unauthenticated);
    req.log.info(
      { clinic: clinicId, display: token.id, sockets: closed, by: actorOf(req) },
      'display revoked',
    );
    return reply.status(204).send();
  });
}

/** The request's display token, or 401/403. */
function requireDisplay(req: FastifyRequest): TokenRecord {
  if (req.bearerInvalid) throw new HttpError(401, 'unauthenticated', 'invalid or revoked token');
  if (!req.bearer) throw new HttpError(401, 'unauthenticated', 'a display token is required');
  // A device token from pairing, or one made with `token create --role display`.
  if (req.bearer.role !== 'display')
    throw new HttpError(403, 'forbidden', 'only a paired display may ask this');
  return req.bearer;
}

const pendingView = (p: PairingRecord): DisplayView => ({
  id: pendingDisplayId(p),
  name: p.displayName ?? 'Display',
  createdAt: p.pairedAt ?? p.createdAt,
  revoked: false,
  online: false,
});
