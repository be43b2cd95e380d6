/**
 * The one presence shape. `user` is stamped by the relay from the
 * authenticated identity; `activity` is set by the client.
 */
export const ROLES = ['admin', 'receptionist', 'doctor', 'display', 'patient'] as const;
export type Role = (typeof ROLES)[number];
export const STAFF_ROLES = ['admin', 'receptionist', 'doctor'] as const satisfies readonly Role[];
export const isStaffRole = (role: Role): boolean => (STAFF_ROLES as readonly Role[]).includes(role);

export interface PresenceUser {
  id: string;
  name: string;
  role: Role;
  color: string;
}

export interface PresenceActivity {
  entryId?: string;
  room?: string;
  screen: string;
  /** On a board screen (issue 14): the board, the card open or focused, its field being edited. */
  boardId?: string;
  cardId?: string;
  field?: string;
  /** The card is being dragged (by pointer or keyboard). */
  dragging?: boolean;
}

export interface Presence {
  user: PresenceUser;
  activity?: PresenceActivity;
  /** The Yjs clientID of the tab's doc (boards: who wrote a change, after reconnects too). */
  docClient?: number;
}

const PALETTE = [
  '#1f77b4',
  '#d62728',
  '#2ca02c',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#17becf',
  '#bcbd22',
  '#ff7f0e',
  '#7f7f7f',
];

/** A stable colour per user id, so everyone sees the same colour for the same person. */
export function colorFor(userId: string): string {
  let h = 0;
  for (let i = 0; i < userId.length; i++) h = (Math.imul(h, 31) + userId.charCodeAt(i)) | 0;
  return PALETTE[Math.abs(h) % PALETTE.length]!;
}
