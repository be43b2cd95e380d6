/** API keys per clinic: list, create (shown once), revoke. */
import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from './deps.js';

export function registerApiKeyRoutes(_app: FastifyInstance, _deps: ApiDeps): void {}
