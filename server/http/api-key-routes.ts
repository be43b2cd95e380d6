/**
 * API keys per clinic, for integrations such as an EHR: list, create (the
 * key is shown once), revoke. A key is a token of kind 'api-key' with the
 * receptionist role — staff-level writes on its clinic's queue and staff
 * docs, never admin — stored as its SHA-256 only (the key is 256 random
 * bits, so a slow hash would add nothing). Admins of the clinic only.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { NewApiKey, type ApiKeyView } from '../../shared/api.js';
import { CloseCode } from '../../shared/protocol.js';
import type { TokenRecord } from '../auth/tokens.js';
import { actorOf, ADMIN, requireClinicRole } from './access.js';
import type { ApiDeps } from './deps.js';
import { HttpError, parseWith } from './errors.js';

const clinicParam = (req: FastifyRequest): string => (req.params as { clinicId: string }).clinicId;

export function registerApiKeyRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const base = '/api/clinics/:clinicId/api-keys';

  app.get(base, async (req): Promise<{ apiKeys: ApiKeyView[] }> => {
    const clinicId = requireClinicRole(req, clinicParam(req), ADMIN);
    const records = await deps.tokens.listForClinic(clinicId, 'api-key');
    return { apiKeys: records.map(viewOf) };
  });

  app.post(base, async (req, reply): Promise<{ apiKey: ApiKeyView; key: string }> => {
    const clinicId = requireClinicRole(req, clinicParam(req), ADMIN);
    const { label } = parseWith(NewApiKey, req.body);
    const { token, record } = await deps.tokens.create(
      { kind: 'api-key', clinicId, role: 'receptionist', label },
      deps.now(),
    );
    req.log.info({ clinicId, keyId: record.id, actor: actorOf(req) }, 'api key created');
    void reply.status(201);
    return { apiKey: viewOf(record), key: token };
  });

  app.delete(`${base}/:keyId`, async (req, reply) => {
    const clinicId = requireClinicRole(req, clinicParam(req), ADMIN);
    const { keyId } = req.params as { keyId: string };
    const record = await deps.tokens.get(keyId);
    // Another clinic's key, or another kind of token, is as unknown as a missing one.
    if (!record || record.kind !== 'api-key' || record.clinicId !== clinicId) {
      throw new HttpError(404, 'not-found', `no API key ${keyId}`);
    }
    if (await deps.tokens.revokeById(record.id, deps.now())) {
      deps.relay.closeCredential(record.id, CloseCode.unauthenticated);
      req.log.info({ clinicId, keyId: record.id, actor: actorOf(req) }, 'api key revoked');
    }
    return reply.status(204).send();
  });
}

const viewOf = (r: TokenRecord): ApiKeyView => ({
  id: r.id,
  label: r.label ?? '',
  createdAt: r.createdAt,
  revoked: r.revokedAt !== null,
});
