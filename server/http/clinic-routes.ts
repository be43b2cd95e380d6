/** Clinic settings (GET/PATCH /api/clinics/:clinicId) and ticket number blocks (POST /api/clinics/:clinicId/number-blocks). */
import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from './deps.js';

export function registerClinicRoutes(_app: FastifyInstance, _deps: ApiDeps): void {}
