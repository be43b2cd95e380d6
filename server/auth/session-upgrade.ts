/**
 * WebSocket authentication by the staff session cookie. A session is a user,
 * not a clinic: the clinic comes from the requested document, and the role
 * is the user's role in that clinic.
 */
import type { IncomingMessage } from 'node:http';
import { parseDocName, type ClinicId, type ParsedDocName } from '../../shared/ids.js';
import { colorFor } from '../../shared/presence.js';
import { CloseCode } from '../../shared/protocol.js';
import { DOC_KIND_SPECS, type DocLookups } from '../docs/kinds.js';
import { SESSION_COOKIE, readCookie } from './cookies.js';
import type { AuthRefusal, Identity } from './identity.js';
import { originAllowed, type OriginPolicy } from './origin.js';
import type { SessionRepo } from './sessions.js';
import type { Membership, UserRepo } from './users.js';

export interface SessionUpgradeDeps {
  readonly sessions: SessionRepo;
  readonly users: UserRepo;
  readonly origin: OriginPolicy;
  /** A registered board's clinic (and archived flag), or null. */
  readonly board: DocLookups['board'];
  readonly now: () => number;
}

/** Null when the upgrade carries no session cookie or an invalid one. */
export async function authenticateSessionUpgrade(
  deps: SessionUpgradeDeps,
  req: IncomingMessage,
  url: URL,
): Promise<Identity | AuthRefusal | null> {
  const token = readCookie(req.headers.cookie, SESSION_COOKIE);
  if (token === null) return null;
  // Browsers send Origin on every WebSocket handshake; another site's page
  // must not open our documents with the staff member's cookie.
  if (originAllowed(req.headers, deps.origin) === false) {
    return { refuse: CloseCode.forbidden, detail: 'cross-origin upgrade with a session cookie' };
  }
  const session = await deps.sessions.verify(token, deps.now());
  if (!session) return null;
  const user = await deps.users.get(session.userId);
  if (!user || user.disabledAt !== null) return null;
  const membership = await membershipFor(deps, user.clinics, url);
  if (!membership) return { refuse: CloseCode.forbidden, detail: 'user belongs to no clinic' };
  return {
    credential: { kind: 'session', id: session.id },
    clinicId: membership.clinicId,
    role: membership.role,
    user: { id: user.id, name: user.name, role: membership.role, color: colorFor(user.id) },
    expiresAt: session.expiresAt,
  };
}

/**
 * The membership matching the document's clinic; otherwise any membership,
 * which the access policy then refuses (4403) for a doc of another clinic.
 */
async function membershipFor(
  deps: SessionUpgradeDeps,
  clinics: readonly Membership[],
  url: URL,
): Promise<Membership | null> {
  let doc: ParsedDocName | null = null;
  try {
    doc = parseDocName(decodeURIComponent(url.pathname.replace(/^\/ws\//, '')));
  } catch {
    // the relay refuses bad names itself (4400)
  }
  const clinicId: ClinicId | string | null = doc
    ? ((await DOC_KIND_SPECS[doc.kind].ownerOf(doc.id, deps))?.clinicId ?? null)
    : null;
  return clinics.find((m) => m.clinicId === clinicId) ?? clinics[0] ?? null;
}
