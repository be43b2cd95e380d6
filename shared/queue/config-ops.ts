/**
 * Configuration operations: services, rooms and clinic settings, from the
 * admin screen or the server's settings mirror. Service and room records are
 * single plain values (last writer wins as a whole), so a merge never mixes
 * two admins' half-edits into a record neither of them wrote.
 */
import type * as Y from 'yjs';
import { fail, ok, QueueError, type Result } from './errors.js';
import type { OpContext } from './ops.js';
import {
  applyClinicSettings,
  checkSchema,
  readClinic,
  readRooms,
  readServices,
  roomsMap,
  validateRoomInput,
  validateServiceInput,
  writeRoom,
  writeService,
} from './schema.js';
import type {
  ClinicSettings,
  ClinicView,
  RoomConfig,
  RoomId,
  RoomInput,
  ServiceConfig,
  ServiceInput,
} from './types.js';

function guard(validate: () => void): QueueError | null {
  try {
    validate();
    return null;
  } catch (e) {
    if (e instanceof QueueError) return e;
    throw e;
  }
}

/**
 * Create or update a service (name, prefix letter, open/closed, default
 * minutes, rank). Two services may not share a letter: their tickets would
 * read alike to patients and on the display.
 */
export function configureService(
  doc: Y.Doc,
  input: ServiceInput,
  ctx: OpContext,
): Result<{ service: ServiceConfig }> {
  const schema = checkSchema(doc);
  if (schema.failure) return schema.failure;
  const error = guard(() => validateServiceInput(input));
  if (error) return { ok: false, error };
  if (input.prefix !== undefined) {
    const other = readServices(doc).find((s) => s.id !== input.id && s.prefix === input.prefix);
    if (other)
      return fail(
        'conflict',
        `letter ${input.prefix} is already used by service ${other.name} (${other.id})`,
      );
  }
  doc.transact(() => writeService(doc, input), ctx.origin);
  const service = readServices(doc).find((s) => s.id === input.id);
  return service ? ok({ service }) : fail('not-found', `no service ${input.id}`);
}

/** A new room's id is its short number as patients read it ("3", "12B", "R-2"), not a sentence. */
export const MAX_NEW_ROOM_ID = 8;

/**
 * Create or update a room (id, name, open/closed, services it calls from).
 * A new room's id is short (MAX_NEW_ROOM_ID), and no two rooms share a
 * display name: the waiting room must tell them apart. Ids configured
 * before these rules stay editable.
 */
export function configureRoom(
  doc: Y.Doc,
  input: RoomInput,
  ctx: OpContext,
): Result<{ room: RoomConfig }> {
  const schema = checkSchema(doc);
  if (schema.failure) return schema.failure;
  const error = guard(() => validateRoomInput(input));
  if (error) return { ok: false, error };
  const rooms = readRooms(doc);
  const exists = rooms.some((r) => r.id === input.id);
  if (!exists && input.id.length > MAX_NEW_ROOM_ID)
    return fail(
      'invalid-argument',
      `room number ${JSON.stringify(input.id)}: at most ${MAX_NEW_ROOM_ID} characters (the name is separate)`,
    );
  if (input.name !== undefined) {
    const name = input.name.trim();
    if (name === '') return fail('invalid-argument', 'room name must not be empty');
    const other = rooms.find(
      (r) => r.id !== input.id && r.name.trim().toLowerCase() === name.toLowerCase(),
    );
    if (other) return fail('conflict', `room ${other.id} is already called ${other.name}`);
  }
  doc.transact(() => writeRoom(doc, input), ctx.origin);
  const room = readRooms(doc).find((r) => r.id === input.id);
  return room ? ok({ room }) : fail('not-found', `no room ${input.id}`);
}

/** Forget a room's configuration; the room id itself stays usable (rooms are free-form). */
export function removeRoom(
  doc: Y.Doc,
  args: { id: RoomId },
  ctx: OpContext,
): Result<{ removed: boolean }> {
  const schema = checkSchema(doc);
  if (schema.failure) return schema.failure;
  if (!roomsMap(doc).has(args.id)) return ok({ removed: false });
  doc.transact(() => roomsMap(doc).delete(args.id), ctx.origin);
  return ok({ removed: true });
}

/**
 * Change clinic settings: name, timezone, locale and the daily reset time of
 * numbering. Entries keep the day they were issued in; only later days move.
 */
export function configureClinic(
  doc: Y.Doc,
  settings: Partial<Omit<ClinicSettings, 'services' | 'rooms'>>,
  ctx: OpContext,
): Result<{ clinic: ClinicView }> {
  const schema = checkSchema(doc);
  if (schema.failure) return schema.failure;
  const error = guard(() =>
    applyClinicSettings(
      doc,
      { ...settings, name: settings.name ?? schema.clinic.name },
      ctx.origin,
    ),
  );
  if (error) return { ok: false, error };
  const clinic = readClinic(doc);
  return clinic ? ok({ clinic }) : fail('not-seeded', 'queue not seeded');
}
