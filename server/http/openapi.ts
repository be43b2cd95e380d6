/** The OpenAPI description of the HTTP API at GET /api/docs. */
import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from './deps.js';

export function registerOpenApi(_app: FastifyInstance, _deps: ApiDeps): void {}
