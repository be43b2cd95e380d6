/**
 * The OpenAPI 3.1 description of the HTTP API at GET /api/docs, built from
 * the zod schemas of shared/api.ts (`z.toJSONSchema`, JSON Schema 2020-12,
 * which OpenAPI 3.1 uses as is). Every route under /api is listed in
 * ROUTES; `collectApiRoutes` records what is actually registered, and a
 * registered route missing from ROUTES still appears, marked
 * `x-undocumented` (openapi.test.ts fails on it).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  ApiKeyView,
  BOARD_EXPORT_FORMATS,
  BoardPatchRequest,
  BoardSummary,
  CallNextRequest,
  ClinicMember,
  CallNextResponse,
  ClinicPatch,
  ClinicSettings,
  DisplaySelf,
  DisplayView,
  EntryPatch,
  API_ERROR_CODES,
  ErrorBody,
  JoinInfo,
  JoinLinkView,
  JoinRequest,
  JoinResponse,
  LoginRequest,
  NewApiKey,
  NewBoardRequest,
  NewEntryRequest,
  NewEntryResponse,
  NewStaff,
  NumberBlockRequest,
  NumberBlockResponse,
  NumberReturnRequest,
  NumberReturnResponse,
  DeviceTagRequest,
  DeviceTagResponse,
  PairingStart,
  PairingStatus,
  PairRequest,
  QueueView,
  ServerTime,
  SessionView,
  StaffPatch,
  StaffView,
} from '../../shared/api.js';
import { ENTRY_STATUSES } from '../../shared/queue/types.js';
import type { ApiDeps } from './deps.js';

/** The error shape with its closed set of codes (clients parse `code` leniently). */
const DocumentedErrorBody = ErrorBody.extend({
  error: z.object({ code: z.enum(API_ERROR_CODES), message: z.string() }),
});

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT';
type Security = 'none' | 'staff' | 'admin' | 'integration' | 'device' | 'patient';

interface RouteDoc {
  readonly method: Method;
  /** Fastify syntax (`:clinicId`). */
  readonly path: string;
  readonly summary: string;
  readonly tag: string;
  readonly security: Security;
  readonly body?: z.ZodType;
  /** Status → response schema (null: no body). Error statuses get ErrorBody. */
  readonly ok: Readonly<Record<number, z.ZodType | null>>;
  readonly errors?: readonly number[];
  /** Query parameters: name → allowed values (the first is the default). */
  readonly query?: Readonly<Record<string, readonly string[]>>;
  /** A file answer: the 200's media types (`ok` then only says there is one). */
  readonly files?: readonly string[];
}

const Open = z.object({ open: z.boolean() });
const EntryStatusResponse = z.object({ entryId: z.string(), status: z.enum(ENTRY_STATUSES) });
const AnyObject = z.object({}).loose();

const C = '/api/clinics/:clinicId';
const AUTH = [401, 403];

export const ROUTES: readonly RouteDoc[] = [
  {
    method: 'GET',
    path: '/api/time',
    summary:
      "The server's clock (ms since the epoch). Every answer also carries it in the `x-server-time` header",
    tag: 'meta',
    security: 'none',
    ok: { 200: ServerTime },
  },
  // staff sessions
  {
    method: 'POST',
    path: '/api/auth/login',
    summary: 'Log in (sets the session cookie; returns the CSRF token)',
    tag: 'auth',
    security: 'none',
    body: LoginRequest,
    ok: { 200: SessionView },
    errors: [400, 401, 403, 429],
  },
  {
    method: 'POST',
    path: '/api/auth/logout',
    summary: 'Log out (revokes the session, closes its sockets)',
    tag: 'auth',
    security: 'staff',
    ok: { 204: null },
  },
  {
    method: 'GET',
    path: '/api/auth/me',
    summary: 'The logged-in staff member and their clinics',
    tag: 'auth',
    security: 'staff',
    ok: { 200: SessionView },
    errors: [401],
  },
  // clinic and staff administration
  {
    method: 'GET',
    path: C,
    summary: 'Clinic settings',
    tag: 'clinics',
    security: 'staff',
    ok: { 200: ClinicSettings },
    errors: [...AUTH, 404],
  },
  {
    method: 'PATCH',
    path: C,
    summary: 'Change clinic settings (mirrored into the public queue doc)',
    tag: 'clinics',
    security: 'admin',
    body: ClinicPatch,
    ok: { 200: ClinicSettings },
    errors: [400, ...AUTH, 404],
  },
  {
    method: 'GET',
    path: `${C}/staff`,
    summary: 'Staff of the clinic',
    tag: 'staff',
    security: 'admin',
    ok: { 200: z.object({ staff: z.array(StaffView) }) },
    errors: AUTH,
  },
  {
    method: 'POST',
    path: `${C}/staff`,
    summary: 'Add a staff member',
    tag: 'staff',
    security: 'admin',
    body: NewStaff,
    ok: { 201: StaffView },
    errors: [400, ...AUTH, 409],
  },
  {
    method: 'PATCH',
    path: `${C}/staff/:userId`,
    summary: 'Change a staff member (name, role, disabled)',
    tag: 'staff',
    security: 'admin',
    body: StaffPatch,
    ok: { 200: StaffView },
    errors: [400, ...AUTH, 404, 409],
  },
  {
    method: 'GET',
    path: `${C}/members`,
    summary:
      'The clinic’s active staff as colleagues see them (id, name, role; no emails), for assigning cards. Staff session or CLI staff token; API keys are refused',
    tag: 'staff',
    security: 'staff',
    ok: { 200: z.object({ members: z.array(ClinicMember) }) },
    errors: AUTH,
  },
  {
    method: 'POST',
    path: `${C}/number-blocks`,
    summary:
      "Grant ticket numbers to a staff device (one by default, at most 3): the next ticket's number, or its offline reserve",
    tag: 'clinics',
    security: 'staff',
    body: NumberBlockRequest,
    ok: { 201: NumberBlockResponse },
    errors: [400, ...AUTH],
  },
  {
    method: 'POST',
    path: `${C}/number-blocks/return`,
    summary: 'Give back unused numbers of a staff device reserve (issued again first)',
    tag: 'clinics',
    security: 'staff',
    body: NumberReturnRequest,
    ok: { 200: NumberReturnResponse },
    errors: [400, ...AUTH],
  },
  {
    method: 'POST',
    path: `${C}/device-tag`,
    summary: "A staff device's tag for today's offline ticket series (A-K1, A-K2…)",
    tag: 'clinics',
    security: 'staff',
    body: DeviceTagRequest,
    ok: { 200: DeviceTagResponse },
    errors: [400, ...AUTH],
  },
  // displays
  {
    method: 'GET',
    path: `${C}/displays`,
    summary: 'Paired displays, and whether each is online',
    tag: 'displays',
    security: 'admin',
    ok: { 200: z.object({ displays: z.array(DisplayView) }) },
    errors: AUTH,
  },
  {
    method: 'DELETE',
    path: `${C}/displays/:displayId`,
    summary: 'Unpair a display (closes its sockets)',
    tag: 'displays',
    security: 'admin',
    ok: { 204: null },
    errors: [...AUTH, 404],
  },
  {
    method: 'POST',
    path: '/api/displays/pair',
    summary: 'Pair the display showing this code',
    tag: 'displays',
    security: 'admin',
    body: PairRequest,
    ok: { 201: z.object({ display: DisplayView }) },
    errors: [400, ...AUTH, 404, 410],
  },
  {
    method: 'POST',
    path: '/api/displays/pairing',
    summary: 'Start pairing (a display asks for a code)',
    tag: 'displays',
    security: 'none',
    ok: { 201: PairingStart },
    errors: [429],
  },
  {
    method: 'GET',
    path: '/api/displays/pairing/:pairingId',
    summary: 'Poll a pairing (the token is returned once)',
    tag: 'displays',
    security: 'none',
    ok: { 200: PairingStatus },
    errors: [404, 410],
  },
  {
    method: 'GET',
    path: '/api/displays/self',
    summary: 'The display’s own settings and join URL',
    tag: 'displays',
    security: 'device',
    ok: { 200: DisplaySelf },
    errors: AUTH,
  },
  // QR join
  {
    method: 'GET',
    path: `${C}/join-link`,
    summary: 'The clinic’s current join link',
    tag: 'join',
    security: 'admin',
    ok: { 200: JoinLinkView },
    errors: AUTH,
  },
  {
    method: 'POST',
    path: `${C}/join-link/regenerate`,
    summary: 'Rotate the join secret',
    tag: 'join',
    security: 'admin',
    ok: { 200: JoinLinkView },
    errors: AUTH,
  },
  {
    method: 'POST',
    path: `${C}/join-link/printable/regenerate`,
    summary: 'Rotate the printable poster’s join secret (the daily link is untouched)',
    tag: 'join',
    security: 'admin',
    ok: { 200: JoinLinkView },
    errors: AUTH,
  },
  {
    method: 'GET',
    path: '/api/join/:secret',
    summary: 'What the join page shows (daily or printable secret)',
    tag: 'join',
    security: 'none',
    ok: { 200: JoinInfo },
    errors: [404, 410],
  },
  {
    method: 'POST',
    path: '/api/join/:secret',
    summary: 'Join the queue (a patient scanning the QR code)',
    tag: 'join',
    security: 'none',
    body: JoinRequest,
    ok: { 201: JoinResponse },
    errors: [400, 404, 409, 410, 413, 415, 429],
  },
  // API keys
  {
    method: 'GET',
    path: `${C}/api-keys`,
    summary: 'The clinic’s API keys (never the keys themselves)',
    tag: 'api-keys',
    security: 'admin',
    ok: { 200: z.object({ apiKeys: z.array(ApiKeyView) }) },
    errors: AUTH,
  },
  {
    method: 'POST',
    path: `${C}/api-keys`,
    summary: 'Create an API key (returned once, in `key`)',
    tag: 'api-keys',
    security: 'admin',
    body: NewApiKey,
    ok: { 201: z.object({ apiKey: ApiKeyView, key: z.string() }) },
    errors: [400, ...AUTH],
  },
  {
    method: 'DELETE',
    path: `${C}/api-keys/:keyId`,
    summary: 'Revoke an API key (its sockets close at once)',
    tag: 'api-keys',
    security: 'admin',
    ok: { 204: null },
    errors: [...AUTH, 404],
  },
  // boards
  {
    method: 'GET',
    path: `${C}/boards`,
    summary: 'The clinic’s boards, archived ones included (flagged)',
    tag: 'boards',
    security: 'staff',
    ok: { 200: z.object({ boards: z.array(BoardSummary) }) },
    errors: AUTH,
  },
  {
    method: 'POST',
    path: `${C}/boards`,
    summary:
      'Create a board; the server seeds its document with the template (default `blank`) once, and lists it in the staff doc',
    tag: 'boards',
    security: 'staff',
    body: NewBoardRequest,
    ok: { 201: z.object({ board: BoardSummary }) },
    errors: [400, ...AUTH],
  },
  {
    method: 'PATCH',
    path: `${C}/boards/:boardId`,
    summary:
      'Retitle (also in the board document) or archive/restore a board; archiving makes it read-only for everyone (open sockets reconnect)',
    tag: 'boards',
    security: 'staff',
    body: BoardPatchRequest,
    ok: { 200: z.object({ board: BoardSummary }) },
    errors: [400, ...AUTH, 404],
  },
  {
    method: 'GET',
    path: `${C}/boards/:boardId/export`,
    summary:
      'Download a board (attachment): JSON data, CSV (one row per card) or Markdown meeting minutes',
    tag: 'boards',
    security: 'staff',
    query: { format: BOARD_EXPORT_FORMATS },
    files: ['application/json', 'text/csv', 'text/markdown'],
    ok: { 200: null },
    errors: [400, ...AUTH, 404],
  },
  // integration
  {
    method: 'GET',
    path: `${C}/queue`,
    summary:
      'Today’s queue: waiting entries in call order (with position), then the others in issue order',
    tag: 'queue',
    security: 'integration',
    ok: { 200: QueueView },
    errors: [...AUTH, 429],
  },
  {
    method: 'POST',
    path: `${C}/queue/open`,
    summary: 'Open the queue to new tickets',
    tag: 'queue',
    security: 'integration',
    ok: { 200: Open },
    errors: [...AUTH, 429],
  },
  {
    method: 'POST',
    path: `${C}/queue/close`,
    summary: 'Close the queue to new tickets',
    tag: 'queue',
    security: 'integration',
    ok: { 200: Open },
    errors: [...AUTH, 429],
  },
  {
    method: 'POST',
    path: `${C}/queue/entries`,
    summary: 'Issue a ticket (name and phone go to the staff doc only)',
    tag: 'queue',
    security: 'integration',
    body: NewEntryRequest,
    ok: { 201: NewEntryResponse },
    errors: [400, ...AUTH, 409, 413, 415, 429],
  },
  {
    method: 'POST',
    path: `${C}/queue/call-next`,
    summary: 'Call the next waiting ticket to a room (409 when nobody waits)',
    tag: 'queue',
    security: 'integration',
    body: CallNextRequest,
    ok: { 200: CallNextResponse },
    errors: [400, ...AUTH, 409, 413, 415, 429],
  },
  {
    method: 'PATCH',
    path: `${C}/queue/entries/:entryId`,
    summary:
      'Move an entry to a status (recall, start, done, no-show, send back, reactivate, cancel); 409 when the transition is impossible',
    tag: 'queue',
    security: 'integration',
    body: EntryPatch,
    ok: { 200: EntryStatusResponse },
    errors: [400, ...AUTH, 404, 409, 413, 415, 429],
  },
  // this document
  {
    method: 'GET',
    path: '/api/docs',
    summary: 'This OpenAPI description',
    tag: 'meta',
    security: 'none',
    ok: { 200: AnyObject },
  },
];

const SECURITY: Record<Security, Record<string, string[]>[]> = {
  none: [],
  staff: [{ cookie: [] }, { bearer: [] }],
  admin: [{ cookie: [] }, { bearer: [] }],
  integration: [{ bearer: [] }, { cookie: [] }],
  device: [{ bearer: [] }],
  patient: [{ bearer: [] }],
};

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  204: 'No content',
  400: 'Invalid input (`bad-request`)',
  401: 'No valid credential (`unauthenticated`)',
  403: 'Credential not allowed here (`forbidden`), or CSRF check failed (`csrf`)',
  404: 'Not found (`not-found`)',
  409: 'Conflicts with the current state (domain error code)',
  410: 'Expired',
  413: 'Body larger than allowed (`payload-too-large`)',
  415: 'Body is not JSON (`unsupported-media-type`)',
  429: 'Rate limited (`rate-limited`); see Retry-After',
};

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' });
  return rest;
};

const openApiPath = (path: string): string => path.replace(/:([A-Za-z]\w*)/g, '{$1}');
const routeKey = (method: string, path: string): string => `${method.toUpperCase()} ${path}`;

/** The OpenAPI document; `registered` adds routes that exist but are not in ROUTES. */
export function buildOpenApi(registered: readonly { method: string; url: string }[] = []) {
  const paths: Record<string, Record<string, unknown>> = {};
  const documented = new Set(ROUTES.map((r) => routeKey(r.method, r.path)));
  const undocumented = registered.filter((r) => !documented.has(routeKey(r.method, r.url)));

  for (const r of ROUTES) {
    const path = openApiPath(r.path);
    const params = [...r.path.matchAll(/:([A-Za-z]\w*)/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    const responses: Record<string, unknown> = {};
    for (const [status, schema] of Object.entries(r.ok)) {
      responses[status] = {
        description: STATUS_TEXT[Number(status)] ?? 'OK',
        ...(schema
          ? { content: { 'application/json': { schema: jsonSchema(schema, 'output') } } }
          : {}),
        ...(r.files && status === '200'
          ? {
              content: Object.fromEntries(
                r.files.map((type) => [type, { schema: { type: 'string' } }]),
              ),
            }
          : {}),
      };
    }
    const query = Object.entries(r.query ?? {}).map(([name, values]) => ({
      name,
      in: 'query',
      required: false,
      schema: { type: 'string', enum: [...values], default: values[0] },
    }));
    for (const status of r.errors ?? []) {
      responses[String(status)] = {
        description: STATUS_TEXT[status] ?? 'Error',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      };
    }
    const csrfHeader =
      r.method !== 'GET' && r.security !== 'none' && SECURITY[r.security].some((s) => 'cookie' in s)
        ? [
            {
              name: 'x-csrf-token',
              in: 'header',
              required: false,
              description:
                'Required with the session cookie (the csrfToken from login); not with a Bearer token.',
              schema: { type: 'string' },
            },
          ]
        : [];
    (paths[path] ??= {})[r.method.toLowerCase()] = {
      summary: r.summary,
      tags: [r.tag],
      operationId: `${r.method.toLowerCase()}${r.path.replace(/[/:-](\w)/g, (_m, c: string) => c.toUpperCase())}`,
      security: SECURITY[r.security],
      ...(params.length + query.length + csrfHeader.length > 0
        ? { parameters: [...params, ...query, ...csrfHeader] }
        : {}),
      ...(r.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: jsonSchema(r.body, 'input') } },
            },
          }
        : {}),
      responses,
    };
  }
  for (const r of undocumented) {
    (paths[openApiPath(r.url)] ??= {})[r.method.toLowerCase()] = {
      summary: 'Not documented yet',
      'x-undocumented': true,
      responses: { default: { description: 'See the source' } },
    };
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'QueueMed HTTP API',
      version: '1',
      description:
        'Errors are always `{ "error": { "code", "message" } }`. Integrations authenticate with `Authorization: Bearer <API key>` (created by an admin) or a staff token from the CLI; the staff app uses the session cookie plus `x-csrf-token` on mutations. Bodies are JSON (`Content-Type: application/json`); a POST without a body (open, close) sends no Content-Type, or `{}`.',
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'API key, staff token from the CLI, display device token or patient token',
        },
        cookie: { type: 'apiKey', in: 'cookie', name: 'qm_session' },
      },
      schemas: { Error: jsonSchema(DocumentedErrorBody, 'output') },
    },
    paths,
  };
}

/**
 * Records every /api route as it is registered (call before registering
 * routes: Fastify runs onRoute hooks only for routes added after them).
 */
export function collectApiRoutes(app: FastifyInstance): { method: string; url: string }[] {
  const routes: { method: string; url: string }[] = [];
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/') || route.url === '/api/*') return;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method !== 'HEAD' && method !== 'OPTIONS') routes.push({ method, url: route.url });
    }
  });
  return routes;
}

export function registerOpenApi(
  app: FastifyInstance,
  _deps: ApiDeps,
  registered: readonly { method: string; url: string }[] = [],
): void {
  let cached: ReturnType<typeof buildOpenApi> | null = null;
  app.get('/api/docs', async () => (cached ??= buildOpenApi(registered)));
}
