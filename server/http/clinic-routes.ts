/**
 * Clinic settings (GET/PATCH /api/clinics/:clinicId) and ticket numbers for
 * staff devices (POST /api/clinics/:clinicId/number-blocks, …/number-blocks/return,
 * …/device-tag; see server/queue/queue-service.ts). Settings live in the clinics
 * table and are mirrored into the public queue doc (configureClinic, through
 * the relay's write path), so displays have them offline.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  ClinicPatch,
  DeviceTagRequest,
  NumberBlockRequest,
  NumberReturnRequest,
  type ClinicSettings,
  type DeviceTagResponse,
  type NumberBlockResponse,
  type NumberReturnResponse,
} from '../../shared/api.js';
import { queueDocName, type ClinicId } from '../../shared/ids.js';
import {
  configureClinic,
  LOCALES,
  parseDay,
  serverOrigin,
  type Day,
  type Locale,
} from '../../shared/queue/index.js';
import { InvalidClinicError, type Clinic } from '../auth/clinics.js';
import { actorOf, ADMIN, requireClinicRole, STAFF } from './access.js';
import type { ApiDeps } from './deps.js';
import { HttpError, parseWith, queueHttpError } from './errors.js';

const clinicParam = (req: FastifyRequest): string => (req.params as { clinicId: string }).clinicId;

export function registerClinicRoutes(app: FastifyInstance, deps: ApiDeps): void {
  async function clinicOr404(clinicId: ClinicId): Promise<Clinic> {
    const clinic = await deps.clinics.get(clinicId);
    if (!clinic) throw new HttpError(404, 'not-found', `no clinic ${clinicId}`);
    return clinic;
  }

  app.get('/api/clinics/:clinicId', async (req): Promise<ClinicSettings> => {
    const clinicId = requireClinicRole(req, clinicParam(req), STAFF);
    return settingsOf(await clinicOr404(clinicId));
  });

  app.patch('/api/clinics/:clinicId', async (req): Promise<ClinicSettings> => {
    const clinicId = requireClinicRole(req, clinicParam(req), ADMIN);
    const patch = parseWith(ClinicPatch, req.body);
    let clinic: Clinic | null;
    try {
      clinic = await deps.clinics.update(clinicId, patch);
    } catch (e) {
      if (e instanceof InvalidClinicError) throw new HttpError(400, 'bad-request', e.message);
      throw e;
    }
    if (!clinic) throw new HttpError(404, 'not-found', `no clinic ${clinicId}`);
    // The whole row, not just the patch: a mirror that failed before is repaired here.
    const mirrored = await deps.relay.change(queueDocName(clinicId), (doc) =>
      configureClinic(
        doc,
        {
          name: clinic.name,
          timezone: clinic.timezone,
          resetTime: clinic.resetTime,
          ...((LOCALES as readonly string[]).includes(clinic.locale)
            ? { locale: clinic.locale as Locale }
            : {}),
        },
        { now: deps.now(), origin: serverOrigin },
      ),
    );
    if (!mirrored.ok) throw queueHttpError(mirrored.error);
    req.log.info({ clinicId, actor: actorOf(req) }, 'clinic settings changed');
    return settingsOf(clinic);
  });

  app.post(
    '/api/clinics/:clinicId/number-blocks',
    async (req, reply): Promise<NumberBlockResponse> => {
      const clinicId = requireClinicRole(req, clinicParam(req), STAFF);
      const body = parseWith(NumberBlockRequest, req.body);
      let day;
      if (body.day !== undefined) {
        day = parseDay(body.day);
        if (day === null) throw new HttpError(400, 'bad-request', `day: not a date ${body.day}`);
      }
      const granted = await deps.queue.grantBlock(clinicId, {
        device: body.device,
        ...(day ? { day } : {}),
        ...(body.size !== undefined ? { size: body.size } : {}),
      });
      if (!granted.ok) throw queueHttpError(granted.error);
      void reply.status(201);
      return { grant: granted.grant, tag: granted.tag };
    },
  );

  app.post(
    '/api/clinics/:clinicId/number-blocks/return',
    async (req): Promise<NumberReturnResponse> => {
      const clinicId = requireClinicRole(req, clinicParam(req), STAFF);
      const body = parseWith(NumberReturnRequest, req.body);
      const day = body.day === undefined ? undefined : dayOr400(body.day);
      const r = await deps.queue.returnNumbers(clinicId, {
        device: body.device,
        numbers: body.numbers,
        ...(day ? { day } : {}),
      });
      if (!r.ok) throw queueHttpError(r.error);
      return { day: r.day, returned: r.returned };
    },
  );

  app.post('/api/clinics/:clinicId/device-tag', async (req): Promise<DeviceTagResponse> => {
    const clinicId = requireClinicRole(req, clinicParam(req), STAFF);
    const body = parseWith(DeviceTagRequest, req.body);
    const day = body.day === undefined ? undefined : dayOr400(body.day);
    const r = await deps.queue.deviceTag(clinicId, {
      device: body.device,
      ...(day ? { day } : {}),
    });
    if (!r.ok) throw queueHttpError(r.error);
    return { day: r.day, tag: r.tag };
  });
}

function dayOr400(value: string): Day {
  const day = parseDay(value);
  if (day === null) throw new HttpError(400, 'bad-request', `day: not a date ${value}`);
  return day;
}

const settingsOf = (c: Clinic): ClinicSettings => ({
  id: c.id,
  name: c.name,
  timezone: c.timezone,
  locale: c.locale,
  resetTime: c.resetTime,
});
