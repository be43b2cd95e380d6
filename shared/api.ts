/**
 * The HTTP API's request and response shapes, shared by the server (which
 * validates every input with these schemas) and the app (which reads the
 * answers). Routes, by audience:
 *
 * Anyone (no credential):
 *   GET    /api/time                                    → ServerTime
 *
 * Staff app (session cookie + `x-csrf-token` on mutations; admin routes also
 * take `Authorization: Bearer <admin token from the CLI>`):
 *   POST   /api/auth/login  LoginRequest → SessionView,  POST /api/auth/logout → 204
 *   GET    /api/auth/me                                 → SessionView
 *   GET    /api/clinics/:clinicId                       → ClinicSettings
 *   PATCH  /api/clinics/:clinicId        ClinicPatch    → ClinicSettings        (admin)
 *   GET    /api/clinics/:clinicId/staff                 → { staff: StaffView[] }  (admin)
 *   POST   /api/clinics/:clinicId/staff   NewStaff      → 201 StaffView         (admin)
 *   PATCH  /api/clinics/:clinicId/staff/:userId  StaffPatch → StaffView         (admin)
 *   GET    /api/clinics/:clinicId/members               → { members: ClinicMember[] } (staff, not API keys)
 *   POST   /api/clinics/:clinicId/number-blocks  NumberBlockRequest → 201 NumberBlockResponse
 *   POST   /api/clinics/:clinicId/number-blocks/return  NumberReturnRequest → 200 NumberReturnResponse
 *   POST   /api/clinics/:clinicId/device-tag  DeviceTagRequest → 200 DeviceTagResponse
 *   GET    /api/clinics/:clinicId/displays              → { displays: DisplayView[] }  (admin)
 *   DELETE /api/clinics/:clinicId/displays/:displayId   → 204                  (admin)
 *   POST   /api/displays/pair             PairRequest   → 201 { display: DisplayView } (admin)
 *   GET    /api/clinics/:clinicId/join-link             → JoinLinkView         (admin)
 *   POST   /api/clinics/:clinicId/join-link/regenerate  → JoinLinkView         (admin)
 *   POST   /api/clinics/:clinicId/join-link/printable/regenerate → JoinLinkView (admin)
 *   GET    /api/clinics/:clinicId/api-keys              → { apiKeys: ApiKeyView[] } (admin)
 *   POST   /api/clinics/:clinicId/api-keys  NewApiKey   → 201 { apiKey: ApiKeyView, key } (admin)
 *   DELETE /api/clinics/:clinicId/api-keys/:keyId       → 204                  (admin)
 *   GET    /api/clinics/:clinicId/boards                → { boards: BoardSummary[] }
 *   POST   /api/clinics/:clinicId/boards  NewBoardRequest → 201 { board: BoardSummary }
 *   PATCH  /api/clinics/:clinicId/boards/:boardId  BoardPatchRequest → { board: BoardSummary }
 *   GET    /api/clinics/:clinicId/boards/:boardId/export?format=json|csv|md → file (attachment)
 *
 * Display device (no credential until paired, then `Authorization: Bearer <device token>`):
 *   POST   /api/displays/pairing                        → 201 PairingStart
 *   GET    /api/displays/pairing/:pairingId             → 200 PairingStatus | 404 | 410
 *   GET    /api/displays/self                           → DisplaySelf
 *
 * Patient (no credential; then `Authorization: Bearer <patient token>` for /api/patient/*):
 *   GET    /api/join/:secret                            → JoinInfo | 404 | 410
 *   POST   /api/join/:secret              JoinRequest   → 201 JoinResponse | 404 | 410 | 409 | 429
 *
 * Integration (Bearer API key or staff token), exactly as issue 4 fixes them:
 *   GET    /api/clinics/:clinicId/queue                 → QueueView
 *   POST   /api/clinics/:clinicId/queue/open | /close   → 200 { open }
 *   POST   /api/clinics/:clinicId/queue/entries  NewEntryRequest → 201 NewEntryResponse
 *   POST   /api/clinics/:clinicId/queue/call-next  CallNextRequest → 200 CallNextResponse | 409
 *   PATCH  /api/clinics/:clinicId/queue/entries/:entryId  EntryPatch → 200 { entryId, status }
 *
 * OpenAPI description: GET /api/docs.
 * Errors everywhere: `{ error: { code, message } }` (ErrorBody).
 * Every answer carries the server's clock in `x-server-time` (SERVER_TIME_HEADER).
 * The same list, as types a client is checked against: ApiRoutes (end of file).
 */
import { z } from 'zod';
import { BOARD_TEMPLATES } from './board/templates.js';
import { STAFF_ROLES } from './presence.js';
import { ENTRY_STATUSES, PRIORITY_CLASSES } from './queue/types.js';

// The constants the browser needs at run time live apart, without zod, so
// that importing them does not put zod in the app's bundle.
export {
  API_ERROR_CODES,
  BOARD_EXPORT_FORMATS,
  HTTP_ERROR_CODES,
  isApiErrorCode,
  SERVER_TIME_HEADER,
  type ApiErrorCode,
  type BoardExportFormat,
} from './api-constants.js';
import { BOARD_EXPORT_FORMATS } from './api-constants.js';

/**
 * Parsed leniently (`code` is any string): an older app must still show the
 * message of a code a newer server added. The server only sends ApiErrorCode.
 */
export const ErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

const Name = z.string().trim().min(1).max(200);
const Id = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/);
const ServiceIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/);

// ── time ──────────────────────────────────────────────────────────────────

/** GET /api/time: for screens that otherwise make no HTTP call (the patient's ticket page). */
export const ServerTime = z.object({ serverTime: z.number() });
export type ServerTime = z.infer<typeof ServerTime>;

// ── staff sessions and staff accounts ─────────────────────────────────────

export const MAX_PASSWORD_LENGTH = 1024;
export const StaffRoleName = z.enum(STAFF_ROLES);

export const LoginRequest = z.object({
  email: z.string().trim().min(1).max(320),
  password: z.string().min(1).max(MAX_PASSWORD_LENGTH),
  /** Refuse the login (403) unless the account is staff of this clinic. */
  clinicId: z.string().optional(),
});
export type LoginRequest = z.infer<typeof LoginRequest>;

/** The signed-in staff member: login and /api/auth/me. */
export const SessionView = z.object({
  user: z.object({ id: z.string(), name: z.string(), email: z.string() }),
  clinics: z.array(z.object({ id: z.string(), name: z.string(), role: StaffRoleName })),
  /** Sent back in `x-csrf-token` on every mutation. */
  csrfToken: z.string(),
});
export type SessionView = z.infer<typeof SessionView>;

export const StaffView = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: StaffRoleName,
  disabled: z.boolean(),
});
export type StaffView = z.infer<typeof StaffView>;

/**
 * A colleague as every staff member of the clinic sees them (assignee
 * pickers): no email, no login; disabled accounts are left out.
 */
export const ClinicMember = z.object({ id: z.string(), name: z.string(), role: StaffRoleName });
export type ClinicMember = z.infer<typeof ClinicMember>;

export const NewStaff = z.object({
  email: z.string().max(320),
  name: z.string().max(200),
  role: StaffRoleName,
  password: z.string().max(MAX_PASSWORD_LENGTH),
});
export type NewStaff = z.infer<typeof NewStaff>;

export const StaffPatch = z
  .object({
    name: z.string().max(200).optional(),
    role: StaffRoleName.optional(),
    disabled: z.boolean().optional(),
  })
  .refine((p) => Object.values(p).some((v) => v !== undefined), 'nothing to change');
export type StaffPatch = z.infer<typeof StaffPatch>;

// ── clinic settings ───────────────────────────────────────────────────────

export const ClinicSettings = z.object({
  id: z.string(),
  name: z.string(),
  timezone: z.string(),
  locale: z.string(),
  resetTime: z.string(),
});
export type ClinicSettings = z.infer<typeof ClinicSettings>;

export const ClinicPatch = z
  .object({
    name: Name.optional(),
    timezone: z.string().min(1).max(64).optional(),
    locale: z.enum(['fr', 'en']).optional(),
    resetTime: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/)
      .optional(),
  })
  .strict();
export type ClinicPatch = z.infer<typeof ClinicPatch>;

// ── number blocks ─────────────────────────────────────────────────────────

export const NumberBlockRequest = z
  .object({
    /** The issuing replica: a reception tab's persistent device id. */
    device: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/),
    /** Clinic day `YYYY-MM-DD`; default: today in the clinic's time zone. */
    day: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .optional(),
    /** Numbers wanted (default 1); the server grants at most 3, whoever asks (the answer says how many). */
    size: z.number().int().min(1).max(1000).optional(),
  })
  .strict();
export type NumberBlockRequest = z.infer<typeof NumberBlockRequest>;

export const NumberBlockResponse = z.object({
  grant: z.object({
    device: z.string(),
    day: z.string(),
    start: z.number(),
    size: z.number(),
    grantedAt: z.number(),
  }),
  /** The device's tag for the day's offline series (`A-K1`); null when the day has none left. */
  tag: z.string().nullable().optional(),
});
export type NumberBlockResponse = z.infer<typeof NumberBlockResponse>;

const Device = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/);
const DaySchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const NumberReturnRequest = z
  .object({
    device: Device,
    day: DaySchema.optional(),
    /** Numbers of the device's reserve it will not issue: it stopped using them before asking. */
    numbers: z.array(z.number().int().min(1)).min(1).max(20),
  })
  .strict();
export type NumberReturnRequest = z.infer<typeof NumberReturnRequest>;

export const NumberReturnResponse = z.object({
  day: z.string(),
  /** The numbers that were granted to the device and unused: back in the pool. */
  returned: z.array(z.number()),
});
export type NumberReturnResponse = z.infer<typeof NumberReturnResponse>;

export const DeviceTagRequest = z.object({ device: Device, day: DaySchema.optional() }).strict();
export type DeviceTagRequest = z.infer<typeof DeviceTagRequest>;

export const DeviceTagResponse = z.object({ day: z.string(), tag: z.string().nullable() });
export type DeviceTagResponse = z.infer<typeof DeviceTagResponse>;

// ── displays ──────────────────────────────────────────────────────────────

export const PairingStart = z.object({
  /** Secret the display polls with; never shown. */
  pairingId: z.string(),
  /** Short code shown on the screen, typed by an admin (e.g. `K7P-4QX`). */
  code: z.string(),
  expiresAt: z.number(),
});
export type PairingStart = z.infer<typeof PairingStart>;

export const PairingStatus = z.discriminatedUnion('status', [
  z.object({ status: z.literal('pending'), expiresAt: z.number() }),
  /** Returned once: later polls answer 410. */
  z.object({
    status: z.literal('paired'),
    token: z.string(),
    clinicId: z.string(),
    displayId: z.string(),
  }),
]);
export type PairingStatus = z.infer<typeof PairingStatus>;

export const PairRequest = z
  .object({
    code: z.string().trim().min(4).max(16),
    clinicId: Id,
    name: Name.optional(),
  })
  .strict();
export type PairRequest = z.infer<typeof PairRequest>;

export const DisplayView = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.number(),
  revoked: z.boolean(),
  /** Has an open socket to the relay right now. */
  online: z.boolean(),
});
export type DisplayView = z.infer<typeof DisplayView>;

export const DisplaySelf = z.object({
  displayId: z.string(),
  name: z.string(),
  clinicId: z.string(),
  /** Absolute join URL for the QR code (rotates daily). */
  joinUrl: z.string(),
  /** When joinUrl stops working (ms epoch): fetch again then. */
  joinUrlValidUntil: z.number(),
  /**
   * The join link's version; when the public queue doc's `meta.joinLinkVersion`
   * is newer (an admin regenerated the link), fetch this again.
   */
  joinLinkVersion: z.number(),
});
export type DisplaySelf = z.infer<typeof DisplaySelf>;

// ── QR join ───────────────────────────────────────────────────────────────

/** The address links are built on: where it came from, and whether phones can use it. */
export const PublicBase = z.object({
  url: z.string(),
  /** config: PUBLIC_URL; forwarded: a trusted proxy's headers; request: the address this browser used; default: localhost. */
  source: z.enum(['config', 'forwarded', 'request', 'default']),
  /** Only the server's own machine can open it: phones cannot join. */
  loopback: z.boolean(),
  /** https (or loopback): browsers allow service workers, notifications and push there. */
  secure: z.boolean(),
  /** This server's LAN addresses, as suggestions when `loopback`. */
  lanUrls: z.array(z.string()),
});
export type PublicBase = z.infer<typeof PublicBase>;

export const JoinLinkView = z.object({
  /** Today's link, the one the displays show: changes every clinic day and on regeneration. */
  url: z.string(),
  secret: z.string(),
  validUntil: z.number(),
  base: PublicBase,
  /** The poster's link (`/join/p/<secret>`): valid until regenerated on its own. */
  printable: z.object({ url: z.string(), createdAt: z.number() }),
});
export type JoinLinkView = z.infer<typeof JoinLinkView>;

export const JoinInfo = z.object({
  clinic: z.object({ id: z.string(), name: z.string(), locale: z.string() }),
  open: z.boolean(),
  services: z.array(z.object({ id: z.string(), name: z.string() })),
});
export type JoinInfo = z.infer<typeof JoinInfo>;

export const JoinRequest = z
  .object({
    name: z.string().trim().max(200).optional(),
    phone: z.string().trim().max(40).optional(),
    service: ServiceIdSchema.optional(),
  })
  .strict();
export type JoinRequest = z.infer<typeof JoinRequest>;

export const JoinResponse = z.object({
  ticket: z.string(),
  entryId: z.string(),
  position: z.number(),
  estimatedWaitMinutes: z.number(),
  /** Read-only access to queue:<clinic> until the end of the clinic day. */
  patientToken: z.string(),
  /** The patient's ticket page: `<PUBLIC_URL>/ticket/<clinicId>/<entryId>#<patientToken>`. */
  url: z.string(),
});
export type JoinResponse = z.infer<typeof JoinResponse>;

// ── API keys ──────────────────────────────────────────────────────────────

export const NewApiKey = z.object({ label: Name }).strict();
export type NewApiKey = z.infer<typeof NewApiKey>;

export const ApiKeyView = z.object({
  id: z.string(),
  label: z.string(),
  createdAt: z.number(),
  revoked: z.boolean(),
});
export type ApiKeyView = z.infer<typeof ApiKeyView>;

// ── boards (issue 14; staff session with CSRF, or a staff-role bearer token) ──

export const BoardTemplateName = z.enum(BOARD_TEMPLATES);

/** Trimmed, 1–200 characters, no control characters (as the boards table stores it). */
const BoardTitle = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(200)
  // eslint-disable-next-line no-control-regex
  .refine((t) => !/[\u0000-\u001f\u007f]/.test(t), 'must not contain control characters');

export const NewBoardRequest = z
  .object({ title: BoardTitle, template: BoardTemplateName.optional() })
  .strict();
export type NewBoardRequest = z.infer<typeof NewBoardRequest>;

export const BoardPatchRequest = z
  .object({ title: BoardTitle.optional(), archived: z.boolean().optional() })
  .strict()
  .refine((p) => p.title !== undefined || p.archived !== undefined, 'nothing to change');
export type BoardPatchRequest = z.infer<typeof BoardPatchRequest>;

/** A board as the API lists it (the staff doc's `boards` map mirrors the same fields). */
export const BoardSummary = z.object({
  id: z.string(),
  title: z.string(),
  template: BoardTemplateName,
  archived: z.boolean(),
  createdAt: z.number(),
});
export type BoardSummary = z.infer<typeof BoardSummary>;

export const BoardExportQuery = z
  .object({ format: z.enum(BOARD_EXPORT_FORMATS).default('json') })
  .strict();

// ── integration routes ────────────────────────────────────────────────────

export const QueueView = z.object({
  open: z.boolean(),
  entries: z.array(
    z.object({
      entryId: z.string(),
      ticket: z.string(),
      status: z.string(),
      service: z.string(),
      position: z.number().nullable(),
      room: z.string().optional(),
    }),
  ),
});
export type QueueView = z.infer<typeof QueueView>;

export const NewEntryRequest = z
  .object({
    service: ServiceIdSchema.optional(),
    priority: z.enum(PRIORITY_CLASSES).optional(),
    name: z.string().trim().max(200).optional(),
    phone: z.string().trim().max(40).optional(),
  })
  .strict();
export type NewEntryRequest = z.infer<typeof NewEntryRequest>;

export const NewEntryResponse = z.object({
  entryId: z.string(),
  ticket: z.string(),
  position: z.number(),
});
export type NewEntryResponse = z.infer<typeof NewEntryResponse>;

/** Rooms are free-form, as staff type them ("3", "Room 3"). */
export const CallNextRequest = z.object({ room: z.string().trim().min(1).max(40) }).strict();
export type CallNextRequest = z.infer<typeof CallNextRequest>;

export const CallNextResponse = z.object({
  entryId: z.string(),
  ticket: z.string(),
  room: z.string(),
});
export type CallNextResponse = z.infer<typeof CallNextResponse>;

/**
 * `room` is optional: with `status: "called"` on a waiting ticket it calls
 * that ticket to the room; on other transitions it asserts the ticket is
 * that room's.
 */
export const EntryPatch = z
  .object({ status: z.enum(ENTRY_STATUSES), room: z.string().trim().min(1).max(40).optional() })
  .strict();
export type EntryPatch = z.infer<typeof EntryPatch>;

// ── the route table ───────────────────────────────────────────────────────

/** What one route takes and answers (`void`: 204, no body). */
interface Route<Response, Body = never> {
  readonly response: Response;
  readonly body: Body;
}

/**
 * Every route, keyed `METHOD /path` in Fastify syntax (`:param`), with its
 * request body and its success answer. The app's HTTP client
 * (app/src/sync/http.ts) takes method, path and params from the key.
 */
export interface ApiRoutes {
  'GET /api/time': Route<ServerTime>;

  'POST /api/auth/login': Route<SessionView, LoginRequest>;
  'POST /api/auth/logout': Route<void>;
  'GET /api/auth/me': Route<SessionView>;

  'GET /api/clinics/:clinicId': Route<ClinicSettings>;
  'PATCH /api/clinics/:clinicId': Route<ClinicSettings, ClinicPatch>;
  'GET /api/clinics/:clinicId/staff': Route<{ staff: StaffView[] }>;
  'POST /api/clinics/:clinicId/staff': Route<StaffView, NewStaff>;
  'PATCH /api/clinics/:clinicId/staff/:userId': Route<StaffView, StaffPatch>;
  'GET /api/clinics/:clinicId/members': Route<{ members: ClinicMember[] }>;
  'POST /api/clinics/:clinicId/number-blocks': Route<NumberBlockResponse, NumberBlockRequest>;
  'POST /api/clinics/:clinicId/number-blocks/return': Route<
    NumberReturnResponse,
    NumberReturnRequest
  >;
  'POST /api/clinics/:clinicId/device-tag': Route<DeviceTagResponse, DeviceTagRequest>;
  'GET /api/clinics/:clinicId/displays': Route<{ displays: DisplayView[] }>;
  'DELETE /api/clinics/:clinicId/displays/:displayId': Route<void>;
  'POST /api/displays/pair': Route<{ display: DisplayView }, PairRequest>;
  'GET /api/clinics/:clinicId/join-link': Route<JoinLinkView>;
  'POST /api/clinics/:clinicId/join-link/regenerate': Route<JoinLinkView>;
  'POST /api/clinics/:clinicId/join-link/printable/regenerate': Route<JoinLinkView>;
  'GET /api/clinics/:clinicId/api-keys': Route<{ apiKeys: ApiKeyView[] }>;
  'POST /api/clinics/:clinicId/api-keys': Route<{ apiKey: ApiKeyView; key: string }, NewApiKey>;
  'DELETE /api/clinics/:clinicId/api-keys/:keyId': Route<void>;
  'GET /api/clinics/:clinicId/boards': Route<{ boards: BoardSummary[] }>;
  'POST /api/clinics/:clinicId/boards': Route<{ board: BoardSummary }, NewBoardRequest>;
  'PATCH /api/clinics/:clinicId/boards/:boardId': Route<{ board: BoardSummary }, BoardPatchRequest>;

  'POST /api/displays/pairing': Route<PairingStart>;
  'GET /api/displays/pairing/:pairingId': Route<PairingStatus>;
  'GET /api/displays/self': Route<DisplaySelf>;

  'GET /api/join/:secret': Route<JoinInfo>;
  'POST /api/join/:secret': Route<JoinResponse, JoinRequest>;

  'GET /api/clinics/:clinicId/queue': Route<QueueView>;
  'POST /api/clinics/:clinicId/queue/open': Route<{ open: boolean }>;
  'POST /api/clinics/:clinicId/queue/close': Route<{ open: boolean }>;
  'POST /api/clinics/:clinicId/queue/entries': Route<NewEntryResponse, NewEntryRequest>;
  'POST /api/clinics/:clinicId/queue/call-next': Route<CallNextResponse, CallNextRequest>;
  'PATCH /api/clinics/:clinicId/queue/entries/:entryId': Route<
    { entryId: string; status: (typeof ENTRY_STATUSES)[number] },
    EntryPatch
  >;
}

export type ApiRoute = keyof ApiRoutes;
export type ApiMethod = ApiRoute extends `${infer M} ${string}` ? M : never;
/** `'GET /api/x/:a/y/:b'` → `'a' | 'b'`. */
type ParamNames<Path extends string> = Path extends `${string}:${infer P}/${infer Rest}`
  ? P | ParamNames<`/${Rest}`>
  : Path extends `${string}:${infer P}`
    ? P
    : never;
export type RouteParamNames<R extends ApiRoute> = ParamNames<R>;
export type RouteParams<R extends ApiRoute> = { readonly [K in ParamNames<R>]: string };
export type RouteBody<R extends ApiRoute> = ApiRoutes[R]['body'];
export type RouteResponse<R extends ApiRoute> = ApiRoutes[R]['response'];
