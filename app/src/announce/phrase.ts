/**
 * What the display shows and says for a call. Labels are spoken part by part
 * ("A-012" → "A 12") because speech engines read "A-012" as a subtraction or
 * spell every zero; a bare room number gets the word "salle"/"room".
 */
import type { Locale } from '../../../shared/queue/types.js';

const ROOM_WORD: Record<Locale, string> = { fr: 'salle', en: 'room' };
const TICKET_WORD: Record<Locale, string> = { fr: 'Ticket', en: 'Ticket' };

const isNumeric = (s: string) => /^\d+$/.test(s);

/** "3" → "Salle 3"; "Radiologie" → "Radiologie". */
export function roomLabel(room: string, locale: Locale): string {
  const word = ROOM_WORD[locale];
  return isNumeric(room.trim()) ? `${word[0]!.toUpperCase()}${word.slice(1)} ${room.trim()}` : room;
}

/** "A-012" → "A 12"; provisional "A-K3F-2" → "A K 3 F 2". */
export function spokenLabel(label: string): string {
  return label
    .split('-')
    .filter((part) => part !== '')
    .map((part) => (isNumeric(part) ? String(Number(part)) : part.split('').join(' ')))
    .join(' ');
}

/** "Ticket A 12, salle 3." */
export function announcementText(ticket: string, room: string, locale: Locale): string {
  const r = room.trim();
  const spokenRoom = isNumeric(r) ? `${ROOM_WORD[locale]} ${r}` : r;
  return `${TICKET_WORD[locale]} ${spokenLabel(ticket)}, ${spokenRoom}.`;
}
