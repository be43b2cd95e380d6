/** Display pairing (code → device token), the display's own info, and the admin's list of displays. */
import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from './deps.js';

export function registerDisplayRoutes(_app: FastifyInstance, _deps: ApiDeps): void {}
