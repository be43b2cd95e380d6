/**
 * The HTTP API's request and response shapes, shared by the server (which
 * validates every input with these schemas) and the app (which reads the
 * answers). Routes, by audience:
 *
 * Staff app (session cookie + `x-csrf-token` on mutations; admin routes also
 * take `Authorization: Bearer <admin token from the CLI>`):
 *   POST   /api/auth/login | /api/auth/logout,  GET /api/auth/me
 *   GET    /api/clinics/:clinicId                       → ClinicSettings
 *   PATCH  /api/clinics/:clinicId        ClinicPatch    → ClinicSettings        (admin)
 *   GET|POST /api/clinics/:clinicId/staff, PATCH …/staff/:userId                (admin)
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
 */
import { z } from 'zod';
import { QUEUE_ERROR_CODES } from './queue/errors.js';
import { ENTRY_STATUSES, PRIORITY_CLASSES } from './queue/types.js';

/** Errors of the HTTP layer itself (the queue domain's codes come on top). */
export const HTTP_ERROR_CODES = [
  'bad-request',
  'unauthenticated',
  'invalid-credentials',
  'account-disabled',
  'csrf',
  'forbidden',
  'not-found',
  'no-route',
  'gone',
  'expired',
  'already-paired',
  'email-taken',
  'last-admin',
  'self',
  'unknown-service',
  'payload-too-large',
  'unsupported-media-type',
  'rate-limited',
  'too-many-attempts',
  'unavailable',
  'internal',
] as const;

/** The closed set of `error.code` values the API sends. */
export const API_ERROR_CODES = [
  ...HTTP_ERROR_CODES,
  ...QUEUE_ERROR_CODES.filter(
    (c): c is Exclude<(typeof QUEUE_ERROR_CODES)[number], (typeof HTTP_ERROR_CODES)[number]> =>
      !(HTTP_ERROR_CODES as readonly string[]).includes(c),
  ),
] as const;
export type ApiErrorCode = (typeof HTTP_ERROR_CODES)[number] | (typeof QUEUE_ERROR_CODES)[number];

export const isApiErrorCode = (value: unknown): value is ApiErrorCode =>
  typeof value === 'string' && (API_ERROR_CODES as readonly string[]).includes(value);

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
