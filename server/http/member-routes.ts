/**
 * The clinic's colleagues, for every staff member of it (issue 14: assigning
 * a board card to someone who is not online):
 *   GET /api/clinics/:clinicId/members → { members: ClinicMember[] }
 * Only what a colleague may see: id, display name, role — of accounts that
 * work in the clinic and are not disabled. Emails and the disabled flag stay
 * on the admin's staff list (staff-routes.ts). A staff session, or a staff
 * token from the CLI; API keys (integrations), displays and patients are
 * refused: none of them assigns cards.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ClinicMember } from '../../shared/api.js';
import { requireClinicRole, STAFF } from './access.js';
import type { ApiDeps } from './deps.js';
import { HttpError } from './errors.js';

const clinicParam = (req: FastifyRequest): string => (req.params as { clinicId: string }).clinicId;

export function registerMemberRoutes(app: FastifyInstance, deps: Pick<ApiDeps, 'users'>): void {
  app.get('/api/clinics/:clinicId/members', async (req): Promise<{ members: ClinicMember[] }> => {
    const clinicId = requireClinicRole(req, clinicParam(req), STAFF);
    // An API key carries a staff role (receptionist) but acts for an integration, not a person.
    if (req.bearer && req.bearer.kind !== 'cli') {
      throw new HttpError(403, 'forbidden', `a ${req.bearer.kind} token may not list the staff`);
    }
    const staff = await deps.users.listForClinic(clinicId);
    return {
      members: staff
        .filter((m) => m.disabledAt === null)
        .map((m) => ({ id: m.id, name: m.name, role: m.role })),
    };
  });
}
