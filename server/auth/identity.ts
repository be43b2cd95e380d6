import type { ClinicId } from '../../shared/ids.js';
import type { PresenceUser, Role } from '../../shared/presence.js';
import type { CloseCode } from '../../shared/protocol.js';
import type { TokenKind } from './tokens.js';

/**
 * A bearer token (`?token=`: displays, patients, API keys) or a staff login
 * session (the `qm_session` cookie). Ids of both kinds share one namespace
 * in the relay (tokens 12 characters, sessions 22), keyed for revocation.
 */
export type Credential =
  | {
      readonly kind: 'token';
      readonly id: string;
      /** What the token is for (tokens.ts TOKEN_KINDS); boards admit only 'cli' tokens. */
      readonly tokenKind?: TokenKind;
    }
  | { readonly kind: 'session'; readonly id: string };

/** Who is on the other end of a request or socket, once authenticated. */
export interface Identity {
  /** What proved the identity; sockets are closed when it is revoked. */
  readonly credential: Credential;
  readonly clinicId: ClinicId;
  readonly role: Role;
  /** Stamped into relayed presence; never taken from the client. */
  readonly user: PresenceUser;
  /** ms epoch, or null for credentials that do not expire. */
  readonly expiresAt: number | null;
}

/** An upgrade refused with a specific close code rather than the default 4401. */
export interface AuthRefusal {
  readonly refuse: CloseCode;
  readonly detail: string;
}
