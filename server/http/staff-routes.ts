/**
 * Staff management for clinic admins, scoped to their own clinics:
 *   GET   /api/clinics/:clinicId/staff
 *   POST  /api/clinics/:clinicId/staff          {email, name, role, password}
 *   PATCH /api/clinics/:clinicId/staff/:userId  {name?, role?, disabled?}
 * A role is per clinic; a name and the disabled flag belong to the account,
 * so changing them needs admin rights in every clinic the person works in.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { isClinicId, type ClinicId } from '../../shared/ids.js';
import { NewStaff, StaffPatch, type StaffView } from '../../shared/api.js';
import type { SessionRepo } from '../auth/sessions.js';
import {
  DuplicateEmailError,
  InvalidUserInputError,
  type StaffMember,
  type UserRepo,
} from '../auth/users.js';
import { HttpError, parseWith } from './errors.js';
import { actorOf, ADMIN, requireClinicRole, roleIn } from './access.js';

export interface StaffRoutesDeps {
  readonly users: UserRepo;
  readonly sessions: SessionRepo;
  readonly now: () => number;
  readonly onSessionsRevoked: (sessionIds: readonly string[]) => void;
}

const ClinicParams = z.object({
  clinicId: z.string().refine(isClinicId, 'not a clinic id'),
});
const StaffParams = ClinicParams.extend({ userId: z.string().min(1).max(64) });

const view = (m: StaffMember): StaffView => ({
  id: m.id,
  email: m.email,
  name: m.name,
  role: m.role,
  disabled: m.disabledAt !== null,
});

export function registerStaffRoutes(app: FastifyInstance, deps: StaffRoutesDeps): void {
  app.get('/api/clinics/:clinicId/staff', async (req) => {
    const clinicId = adminOf(req, parseWith(ClinicParams, req.params).clinicId);
    return { staff: (await deps.users.listForClinic(clinicId)).map(view) };
  });

  app.post('/api/clinics/:clinicId/staff', async (req, reply) => {
    const clinicId = adminOf(req, parseWith(ClinicParams, req.params).clinicId);
    const body = parseWith(NewStaff, req.body);
    try {
      const user = await deps.users.add(
        {
          email: body.email,
          name: body.name,
          password: body.password,
          clinics: [{ clinicId, role: body.role }],
        },
        deps.now(),
      );
      req.log.info(
        { by: actorOf(req), user: user.id, clinic: clinicId, role: body.role },
        'staff added',
      );
      return reply.status(201).send(view({ ...user, role: body.role }));
    } catch (err) {
      if (err instanceof DuplicateEmailError) {
        throw new HttpError(409, 'email-taken', 'an account with this email already exists');
      }
      if (err instanceof InvalidUserInputError)
        throw new HttpError(400, 'bad-request', err.message);
      throw err;
    }
  });

  app.patch('/api/clinics/:clinicId/staff/:userId', async (req) => {
    const params = parseWith(StaffParams, req.params);
    const clinicId = adminOf(req, params.clinicId);
    const patch = parseWith(StaffPatch, req.body);
    const target = await deps.users.get(params.userId);
    const membership = target?.clinics.find((m) => m.clinicId === clinicId);
    if (!target || !membership)
      throw new HttpError(404, 'not-found', 'no such staff member in this clinic');

    if (patch.name !== undefined || patch.disabled !== undefined) {
      const elsewhere = target.clinics.filter((m) => roleIn(req, m.clinicId) !== 'admin');
      if (elsewhere.length > 0) {
        throw new HttpError(
          403,
          'forbidden',
          'this person also works in clinics you do not administer; only a role can be changed here',
        );
      }
    }
    if (target.id === req.auth?.user.id) {
      if (patch.disabled === true)
        throw new HttpError(409, 'self', 'you cannot disable your own account');
      if (patch.role !== undefined && patch.role !== 'admin' && membership.role === 'admin') {
        const admins = (await deps.users.listForClinic(clinicId)).filter(
          (m) => m.role === 'admin' && m.disabledAt === null,
        );
        if (admins.length <= 1) {
          throw new HttpError(409, 'last-admin', 'a clinic keeps at least one admin');
        }
      }
    }

    try {
      if (patch.name !== undefined) await deps.users.updateName(target.id, patch.name);
    } catch (err) {
      if (err instanceof InvalidUserInputError)
        throw new HttpError(400, 'bad-request', err.message);
      throw err;
    }
    if (patch.role !== undefined) await deps.users.setRole(target.id, clinicId, patch.role);
    if (patch.disabled !== undefined) {
      const now = deps.now();
      await deps.users.setDisabled(target.id, patch.disabled, now);
      if (patch.disabled) {
        // Sessions go with the account: its sockets close now here, and
        // within the revocation poll on every other instance.
        const revoked = await deps.sessions.revokeAllForUser(target.id, now);
        deps.onSessionsRevoked(revoked);
      }
    }
    req.log.info(
      { by: actorOf(req), user: target.id, clinic: clinicId, ...patch },
      'staff updated',
    );
    const updated = (await deps.users.listForClinic(clinicId)).find((m) => m.id === target.id);
    if (!updated) throw new HttpError(404, 'not-found', 'no such staff member in this clinic');
    return view(updated);
  });
}

/** The clinic when the request (staff session or admin token) is its admin; 401 or 403 otherwise. */
const adminOf = (req: FastifyRequest, clinicId: string): ClinicId =>
  requireClinicRole(req, clinicId, ADMIN);
