/** The QR join link: admin view/regenerate, and the public POST /api/join/:secret. */
import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from './deps.js';

export function registerJoinRoutes(_app: FastifyInstance, _deps: ApiDeps): void {}
