import type { ClinicId } from '../../shared/ids.js';
import type { PresenceUser, Role } from '../../shared/presence.js';

/** Who is on the other end of a request or socket, once authenticated. */
export interface Identity {
  /** What proved the identity; sockets are closed when it is revoked. */
  readonly credential: { readonly kind: 'token'; readonly id: string };
  readonly clinicId: ClinicId;
  readonly role: Role;
  /** Stamped into relayed presence; never taken from the client. */
  readonly user: PresenceUser;
  /** ms epoch, or null for credentials that do not expire. */
  readonly expiresAt: number | null;
}
