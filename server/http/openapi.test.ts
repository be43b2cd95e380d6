import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiRoute } from '../../shared/api.js';
import { startTestServer, type TestServer } from '../test-support/harness.js';
import { buildOpenApi, ROUTES } from './openapi.js';
import { apiClient } from './test-support/api-client.js';

let t: TestServer;
let call: ReturnType<typeof apiClient>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let doc: any;

beforeAll(async () => {
  t = await startTestServer();
  call = apiClient(t.httpUrl);
  const r = await call('/api/docs');
  expect(r.status).toBe(200);
  doc = r.json;
});
afterAll(async () => {
  await t?.close();
});

const METHODS = ['get', 'post', 'patch', 'put', 'delete'];
const operations = (): { method: string; path: string; op: Record<string, unknown> }[] =>
  Object.entries(doc.paths as Record<string, Record<string, Record<string, unknown>>>).flatMap(
    ([path, ops]) =>
      Object.entries(ops)
        .filter(([m]) => METHODS.includes(m))
        .map(([method, op]) => ({ method, path, op })),
  );

describe('OpenAPI description at /api/docs', () => {
  it('is OpenAPI 3.1 with bearer and cookie security schemes, served without a credential', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.securitySchemes).toEqual({
      bearer: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
      cookie: expect.objectContaining({ type: 'apiKey', in: 'cookie', name: 'qm_session' }),
    });
  });

  it('describes every route registered under /api', () => {
    const undocumented = operations()
      .filter((o) => o.op['x-undocumented'])
      .map((o) => `${o.method.toUpperCase()} ${o.path}`);
    expect(undocumented).toEqual([]);
    // The registered routes reached the description at all (not an empty list).
    expect(operations().length).toBeGreaterThanOrEqual(25);
  });

  it('lists only routes that exist (the catch-all never answers them)', async () => {
    for (const { method, path } of operations()) {
      const url = path.replace(/\{[^}]+\}/g, 'x1');
      const r = await call(url, {
        method: method.toUpperCase(),
        ...(method === 'get' || method === 'delete' ? {} : { body: {} }),
      });
      expect(r.json?.error?.message, `${method} ${path}`).not.toBe('no such API route');
    }
  });

  it('builds request and response schemas from the shared zod schemas', () => {
    const add = doc.paths['/api/clinics/{clinicId}/queue/entries'].post;
    const body = add.requestBody.content['application/json'].schema;
    expect(body.type).toBe('object');
    expect(Object.keys(body.properties).sort()).toEqual(['name', 'phone', 'priority', 'service']);
    expect(body.properties.priority.enum).toEqual(['urgent', 'priority', 'normal']);
    expect(body.additionalProperties).toBe(false);
    expect(add.responses['201'].content['application/json'].schema.required).toEqual([
      'entryId',
      'ticket',
      'position',
    ]);
    for (const status of ['400', '401', '403', '409', '413', '415', '429']) {
      expect(add.responses[status].content['application/json'].schema).toEqual({
        $ref: '#/components/schemas/Error',
      });
    }
    expect(add.security).toContainEqual({ bearer: [] });
    expect(add.parameters).toContainEqual(
      expect.objectContaining({ name: 'clinicId', in: 'path', required: true }),
    );
    const patch = doc.paths['/api/clinics/{clinicId}/queue/entries/{entryId}'].patch;
    expect(patch.requestBody.content['application/json'].schema.properties.status.enum).toContain(
      'no-show',
    );
  });

  it('marks a registered route missing from the list as undocumented', () => {
    const built = buildOpenApi([{ method: 'GET', url: '/api/new-thing/:id' }]);
    expect(built.paths['/api/new-thing/{id}']?.get).toMatchObject({ 'x-undocumented': true });
  });
});

/** Every key of the route table the app's client is typed by (the compiler checks it is all of them). */
const ROUTE_TABLE: Record<ApiRoute, true> = {
  'GET /api/time': true,
  'POST /api/auth/login': true,
  'POST /api/auth/logout': true,
  'GET /api/auth/me': true,
  'GET /api/clinics/:clinicId': true,
  'PATCH /api/clinics/:clinicId': true,
  'GET /api/clinics/:clinicId/staff': true,
  'POST /api/clinics/:clinicId/staff': true,
  'PATCH /api/clinics/:clinicId/staff/:userId': true,
  'GET /api/clinics/:clinicId/members': true,
  'POST /api/clinics/:clinicId/number-blocks': true,
  'POST /api/clinics/:clinicId/number-blocks/return': true,
  'POST /api/clinics/:clinicId/device-tag': true,
  'GET /api/clinics/:clinicId/displays': true,
  'DELETE /api/clinics/:clinicId/displays/:displayId': true,
  'POST /api/displays/pair': true,
  'GET /api/clinics/:clinicId/join-link': true,
  'POST /api/clinics/:clinicId/join-link/regenerate': true,
  'POST /api/clinics/:clinicId/join-link/printable/regenerate': true,
  'GET /api/clinics/:clinicId/api-keys': true,
  'POST /api/clinics/:clinicId/api-keys': true,
  'DELETE /api/clinics/:clinicId/api-keys/:keyId': true,
  'GET /api/clinics/:clinicId/boards': true,
  'POST /api/clinics/:clinicId/boards': true,
  'PATCH /api/clinics/:clinicId/boards/:boardId': true,
  'POST /api/displays/pairing': true,
  'GET /api/displays/pairing/:pairingId': true,
  'GET /api/displays/self': true,
  'GET /api/join/:secret': true,
  'POST /api/join/:secret': true,
  'GET /api/clinics/:clinicId/queue': true,
  'POST /api/clinics/:clinicId/queue/open': true,
  'POST /api/clinics/:clinicId/queue/close': true,
  'POST /api/clinics/:clinicId/queue/entries': true,
  'POST /api/clinics/:clinicId/queue/call-next': true,
  'PATCH /api/clinics/:clinicId/queue/entries/:entryId': true,
};

describe('the route table of shared/api.ts (ApiRoutes)', () => {
  it('names exactly the documented routes, but for the description itself', () => {
    // The description itself and file downloads (a link, not the typed JSON client).
    const documented = ROUTES.filter((r) => !r.files)
      .map((r) => `${r.method} ${r.path}`)
      .filter((k) => k !== 'GET /api/docs');
    expect(Object.keys(ROUTE_TABLE).sort()).toEqual(documented.sort());
  });
});
