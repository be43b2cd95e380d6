/**
 * The QR join link:
 *   GET  /api/clinics/:clinicId/join-link              → JoinLinkView   (admin)
 *   POST /api/clinics/:clinicId/join-link/regenerate   → JoinLinkView   (admin)
 *   POST /api/clinics/:clinicId/join-link/printable/regenerate → JoinLinkView (admin)
 *   GET  /api/join/:secret                             → JoinInfo | 404 | 410
 * (`:secret` is today's QR secret or the printable poster's one, `/join/p/<secret>`.)
 *   POST /api/join/:secret            JoinRequest      → 201 JoinResponse | 400 | 404 | 409 | 410 | 413 | 415 | 429
 * A join issues a ticket through the shared domain operation (stored before
 * we answer, live on every screen) and mints a patient token: read-only on
 * the clinic's public queue doc, expiring at the end of the clinic day.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  JoinRequest,
  type JoinInfo,
  type JoinLinkView,
  type JoinResponse,
} from '../../shared/api.js';
import { isClinicId, queueDocName } from '../../shared/ids.js';
import {
  httpApiOrigin,
  isServiceId,
  QUEUE_ERROR_HTTP_STATUS,
  readClinic,
  readServices,
  serverOrigin,
  setJoinLinkVersion,
} from '../../shared/queue/index.js';
import type { Clinic } from '../auth/clinics.js';
import {
  clinicDayEnd,
  joinSecretState,
  joinUrl,
  printableJoinUrl,
  type JoinLink,
} from '../auth/join-links.js';
import { StoreUnavailableError } from '../relay/relay.js';
import { actorOf, ADMIN, PUBLIC_SECRET_ROUTE, requireClinicRole } from './access.js';
import type { ApiDeps } from './deps.js';
import { lanUrls, publicAddress } from './public-url.js';
import { errorBody, HttpError, parseWith } from './errors.js';
import { createRateLimiter, sendRateLimited } from './rate-limit.js';

/**
 * Joins per client address. A waiting room's patients often share one NAT
 * address (the clinic's Wi-Fi), so the burst is a room's worth: 30 people
 * scanning at once, then one join every 2 s (30 a minute) — far above what a
 * real waiting room sees, far below what fills a queue with junk.
 */
export const JOIN_IP_LIMIT = { capacity: 30, refillPerSec: 0.5, maxKeys: 20_000 };
/**
 * Joins per clinic, whatever the address: caps what a botnet (or one
 * attacker with many addresses behind a trusted proxy) can add to one queue
 * — a burst of 300, then 5 a second — while a busy clinic's morning rush
 * (a few joins a minute) never comes close.
 */
export const JOIN_CLINIC_LIMIT = { capacity: 300, refillPerSec: 5, maxKeys: 10_000 };
/** Join page loads per client address (reads only; generous). */
export const JOIN_INFO_IP_LIMIT = { capacity: 60, refillPerSec: 1, maxKeys: 20_000 };
/** A join body is a name, a phone and a service id: a few hundred bytes. */
export const JOIN_BODY_LIMIT = 4096;

const ClinicParams = z.object({ clinicId: z.string().refine(isClinicId, 'not a clinic id') });
const SecretParams = z.object({ secret: z.string().max(128) });

export function registerJoinRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const links = deps.joinLinks;
  const joinsByIp = createRateLimiter(JOIN_IP_LIMIT);
  const joinsByClinic = createRateLimiter(JOIN_CLINIC_LIMIT);
  const infoByIp = createRateLimiter(JOIN_INFO_IP_LIMIT);

  /** What Admin shows: both links on the address phones will use, and what is wrong with it. */
  const view = async (req: FastifyRequest, link: JoinLink): Promise<JoinLinkView> => {
    const base = publicAddress(req, deps.publicUrl);
    const poster = await links.printable(link.clinicId, deps.now());
    return {
      url: joinUrl(base.url, link.secret),
      secret: link.secret,
      validUntil: link.validUntil,
      base: {
        ...base,
        lanUrls: base.loopback ? lanUrls(deps.publicUrl.port(), deps.publicUrl.tls) : [],
      },
      printable: { url: printableJoinUrl(base.url, poster.secret), createdAt: poster.createdAt },
    };
  };

  /** Tells every open display (through the public doc: a number, never the secret) to fetch the new link. */
  async function announceNewLink(req: FastifyRequest, clinicId: Clinic['id'], version: number) {
    try {
      const r = await deps.relay.change(queueDocName(clinicId), (doc) =>
        setJoinLinkVersion(doc, version, { origin: serverOrigin }),
      );
      if (!r.ok)
        req.log.warn({ clinic: clinicId, code: r.error.code }, 'join link version not published');
    } catch (err) {
      // The link is regenerated either way; displays then pick it up at their next refresh.
      req.log.warn({ err, clinic: clinicId }, 'join link version not published');
    }
  }

  async function adminClinic(req: FastifyRequest): Promise<Clinic> {
    const clinicId = requireClinicRole(req, parseWith(ClinicParams, req.params).clinicId, ADMIN);
    const clinic = await deps.clinics.get(clinicId);
    if (!clinic) throw new HttpError(404, 'not-found', 'no such clinic');
    return clinic;
  }

  /** The clinic of a live secret; 404 unknown, 410 expired or retired. */
  async function clinicOfSecret(req: FastifyRequest, now: number): Promise<Clinic> {
    const { secret } = parseWith(SecretParams, req.params);
    const record = await links.lookup(secret);
    const clinic = record && (await deps.clinics.get(record.clinicId));
    if (!record || !clinic) throw new HttpError(404, 'not-found', 'unknown join link');
    const state = joinSecretState(record, clinic, now);
    if (state !== 'valid') {
      throw new HttpError(
        410,
        'expired',
        state === 'retired'
          ? record.printable
            ? 'this poster’s link was replaced: scan the QR code on the waiting room screen'
            : 'this join link was replaced: scan the QR code in the waiting room again'
          : 'this join link was for another day: scan the QR code in the waiting room again',
      );
    }
    return clinic;
  }

  app.get('/api/clinics/:clinicId/join-link', async (req, reply) => {
    const clinic = await adminClinic(req);
    void reply.header('cache-control', 'no-store');
    return view(req, await links.current(clinic, deps.now()));
  });

  app.post('/api/clinics/:clinicId/join-link/regenerate', async (req, reply) => {
    const clinic = await adminClinic(req);
    const link = await links.regenerate(clinic, deps.now());
    req.log.info({ clinic: clinic.id, by: actorOf(req) }, 'join link regenerated');
    await announceNewLink(req, clinic.id, link.createdAt);
    void reply.header('cache-control', 'no-store');
    return view(req, link);
  });

  app.post('/api/clinics/:clinicId/join-link/printable/regenerate', async (req, reply) => {
    const clinic = await adminClinic(req);
    const now = deps.now();
    await links.regeneratePrintable(clinic.id, now);
    req.log.info({ clinic: clinic.id, by: actorOf(req) }, 'printable join link regenerated');
    void reply.header('cache-control', 'no-store');
    return view(req, await links.current(clinic, now));
  });

  app.get('/api/join/:secret', PUBLIC_SECRET_ROUTE, async (req, reply) => {
    const now = deps.now();
    const taken = infoByIp.take(req.ip, now);
    if (!taken.ok) return sendRateLimited(reply, taken.retryAfterSec);
    const clinic = await clinicOfSecret(req, now);
    const doc = await deps.relay.read(queueDocName(clinic.id), (d) => ({
      open: readClinic(d)?.open ?? false,
      services: readServices(d)
        .filter((s) => s.open)
        .map((s) => ({ id: s.id, name: s.name })),
    }));
    void reply.header('cache-control', 'no-store');
    const body: JoinInfo = {
      clinic: { id: clinic.id, name: clinic.name, locale: clinic.locale },
      open: doc.open,
      services: doc.services,
    };
    return body;
  });

  app.post(
    '/api/join/:secret',
    {
      ...PUBLIC_SECRET_ROUTE,
      bodyLimit: JOIN_BODY_LIMIT,
      // Before the body is read: a flood costs neither parsing nor a lookup.
      onRequest: async (req, reply) => {
        const taken = joinsByIp.take(req.ip, deps.now());
        if (!taken.ok) return sendRateLimited(reply, taken.retryAfterSec);
        if (hasBody(req) && !isJson(req.headers['content-type'])) {
          return reply
            .status(415)
            .send(errorBody('unsupported-media-type', 'send application/json'));
        }
      },
    },
    async (req, reply) => {
      const now = deps.now();
      const clinic = await clinicOfSecret(req, now);
      const body = parseWith(JoinRequest, req.body);
      if (body.service !== undefined && !isServiceId(body.service)) {
        throw new HttpError(400, 'unknown-service', `no service ${body.service} here`);
      }
      const taken = joinsByClinic.take(clinic.id, now);
      if (!taken.ok) return sendRateLimited(reply, taken.retryAfterSec);

      let issued;
      try {
        issued = await deps.queue.issueTicket(
          clinic.id,
          {
            source: 'qr',
            ...(body.service !== undefined && isServiceId(body.service)
              ? { service: body.service }
              : {}),
            ...(body.name ? { name: body.name } : {}),
            ...(body.phone ? { phone: body.phone } : {}),
          },
          httpApiOrigin(req.id),
        );
      } catch (err) {
        if (err instanceof StoreUnavailableError) {
          void reply.header('retry-after', '5');
          throw new HttpError(503, 'unavailable', 'could not save your ticket; try again');
        }
        throw err;
      }
      if (!issued.ok) {
        const { code, message } = issued.error;
        if (code === 'not-found' && body.service !== undefined) {
          throw new HttpError(400, 'unknown-service', `no service ${body.service} here`);
        }
        throw new HttpError(QUEUE_ERROR_HTTP_STATUS[code], code, message);
      }

      const { entry } = issued;
      const { token } = await deps.tokens.create(
        {
          kind: 'patient',
          clinicId: clinic.id,
          role: 'patient',
          ttlMs: clinicDayEnd(now, clinic) - now,
          label: `ticket ${entry.label}`,
        },
        now,
      );
      // No name, phone or address here: the log says what happened, not to whom.
      req.log.info(
        { clinic: clinic.id, entryId: entry.id, ticket: entry.label, service: entry.service },
        'patient joined',
      );
      const response: JoinResponse = {
        ticket: entry.label,
        entryId: entry.id,
        position: issued.position,
        estimatedWaitMinutes: issued.estimatedWaitMinutes,
        patientToken: token,
        url: `${publicAddress(req, deps.publicUrl).url}/ticket/${clinic.id}/${entry.id}#${token}`,
      };
      return reply.status(201).header('cache-control', 'no-store').send(response);
    },
  );
}

const hasBody = (req: FastifyRequest): boolean =>
  req.headers['transfer-encoding'] !== undefined ||
  (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');

const isJson = (contentType: string | undefined): boolean =>
  contentType !== undefined && /^application\/json\s*(;|$)/i.test(contentType);
