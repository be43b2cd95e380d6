/** The checks an admin's new room goes through, in the admin section and the room chooser alike. */
import { parseRoomId, type RoomConfig, type RoomInput } from '../../../../shared/queue/index.js';
import type { useT } from './context.js';

/** A room number as patients read it on the display: "3", "12B", "R-2". */
export const ROOM_NUMBER = /^[A-Za-z0-9][A-Za-z0-9-]{0,7}$/;

type T = ReturnType<typeof useT>;

export const defaultRoomName = (t: T, id: string): string => `${t('room')} ${id}`;

/**
 * The new room as typed, checked: what `configureRoom` takes (open, named
 * "Room <number>" when no name was given), or why it cannot be added, in the
 * user's words.
 */
export function parseRoomForm(
  t: T,
  rooms: readonly RoomConfig[],
  rawId: string,
  rawName: string,
): { ok: true; room: RoomInput } | { ok: false; problem: string } {
  const id = rawId.trim();
  if (!ROOM_NUMBER.test(id)) return { ok: false, problem: t('roomNumberInvalid') };
  if (rooms.some((r) => r.id.toLowerCase() === id.toLowerCase()))
    return { ok: false, problem: t('roomExists', { room: id }) };
  const name = rawName.trim() || defaultRoomName(t, id);
  const other = rooms.find((r) => r.name.trim().toLowerCase() === name.toLowerCase());
  if (other) return { ok: false, problem: t('roomNameTaken', { name: other.name }) };
  // A room number is a valid room id: this does not throw.
  return { ok: true, room: { id: parseRoomId(id), name, open: true } };
}
