/** The integration API under /api/clinics/:clinicId/queue (routes fixed by issue 4). */
import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from './deps.js';

export function registerQueueApiRoutes(_app: FastifyInstance, _deps: ApiDeps): void {}
