/** The checks an admin's new room goes through, in the admin section and the room chooser alike. */
import type { RoomConfig } from '../../../../shared/queue/index.js';
import type { useT } from './context.js';

/** A room number as patients read it on the display: "3", "12B", "R-2". */
export const ROOM_NUMBER = /^[A-Za-z0-9][A-Za-z0-9-]{0,7}$/;

type T = ReturnType<typeof useT>;

export const defaultRoomName = (t: T, id: string): string => `${t('room')} ${id}`;

/** Why this new room cannot be added, in the user's words; null when it can. */
export function roomFormProblem(
  t: T,
  rooms: readonly RoomConfig[],
  rawId: string,
  rawName: string,
): string | null {
  const id = rawId.trim();
  if (!ROOM_NUMBER.test(id)) return t('roomNumberInvalid');
  if (rooms.some((r) => r.id.toLowerCase() === id.toLowerCase()))
    return t('roomExists', { room: id });
  const name = (rawName.trim() || defaultRoomName(t, id)).toLowerCase();
  const other = rooms.find((r) => r.name.trim().toLowerCase() === name);
  if (other) return t('roomNameTaken', { name: other.name });
  return null;
}
