/**
 * The registry of document kinds. Each kind says which clinic a document
 * belongs to, what each role of that clinic may do on it, its schema
 * version and how the server seeds it. The relay (at the upgrade), the
 * session upgrade and clinic setup ask here; nothing else switches on
 * `doc.kind`. Boards are registered server-side (their clinic is looked up
 * in the boards table); a board that is not registered belongs to nobody, and
 * an archived one is read-only for everyone.
 */
import type * as Y from 'yjs';
import type { DocKind, ParsedDocName } from '../../shared/ids.js';
import { isStaffRole, type Role } from '../../shared/presence.js';
import {
  SCHEMA_VERSION,
  seedQueueDoc,
  seedStaffDoc,
  type ClinicSettings,
} from '../../shared/queue/index.js';
import type { Identity } from '../auth/identity.js';

export type Access = 'none' | 'read' | 'write';

/** A registered board, as the access policy sees it. */
export interface BoardLookup {
  readonly clinicId: string;
  readonly archived: boolean;
}

/** What deciding a document's clinic may need to look up. */
export interface DocLookups {
  /** The clinic a board is registered to and whether it is archived, or null when unregistered. */
  readonly board: (boardId: string) => Promise<BoardLookup | null>;
}

/** Who owns a document, and whether it is frozen (read-only for everyone). */
export interface DocOwner {
  readonly clinicId: string;
  readonly readOnly: boolean;
}

export interface DocKindSpec {
  readonly kind: DocKind;
  readonly schemaVersion: number;
  /** The clinic owning the document, or null when it belongs to none (an unregistered board). */
  ownerOf(id: string, lookups: DocLookups): Promise<DocOwner | null>;
  /** What a member of the owning clinic may do (by role, and for boards by credential). */
  access(identity: Pick<Identity, 'role' | 'credential'>): Access;
  /**
   * Writes are judged by the relay's forged-write guard before they apply
   * (server/relay/board-guard.ts): content whose authorship matters.
   */
  readonly judgesWrites: boolean;
}

const staffWrite = ({ role }: { role: Role }): Access => (isStaffRole(role) ? 'write' : 'none');

/**
 * Boards are for the clinic's people: staff signed in, or a staff CLI
 * token. API keys (integrations), displays and patients never open one.
 */
const boardAccess = ({ role, credential }: Pick<Identity, 'role' | 'credential'>): Access =>
  isStaffRole(role) && (credential.kind === 'session' || credential.tokenKind === 'cli')
    ? 'write'
    : 'none';

const clinicDoc = async (id: string): Promise<DocOwner> => ({ clinicId: id, readOnly: false });

export const DOC_KIND_SPECS: Readonly<Record<DocKind, DocKindSpec>> = {
  queue: {
    kind: 'queue',
    schemaVersion: SCHEMA_VERSION,
    ownerOf: clinicDoc,
    // Displays and patients of the clinic read the public doc; writes from them are dropped.
    access: ({ role }) => (isStaffRole(role) ? 'write' : 'read'),
    judgesWrites: false,
  },
  staff: {
    kind: 'staff',
    schemaVersion: SCHEMA_VERSION,
    ownerOf: clinicDoc,
    access: staffWrite,
    judgesWrites: false,
  },
  board: {
    kind: 'board',
    schemaVersion: 1,
    ownerOf: async (id, lookups) => {
      const board = await lookups.board(id);
      return board && { clinicId: board.clinicId, readOnly: board.archived };
    },
    access: boardAccess,
    // Votes and authorship nobody can forge (DESIGN.md: 4422).
    judgesWrites: true,
  },
};

/** What `identity` may do on `doc`, given who owns it. */
export function accessFor(identity: Identity, doc: ParsedDocName, owner: DocOwner | null): Access {
  if (owner === null || owner.clinicId !== identity.clinicId) return 'none';
  const access = DOC_KIND_SPECS[doc.kind].access(identity);
  return owner.readOnly && access === 'write' ? 'read' : access;
}

/** Looks up the owning clinic, then decides. */
export async function accessTo(
  identity: Identity,
  doc: ParsedDocName,
  lookups: DocLookups,
): Promise<Access> {
  return accessFor(identity, doc, await DOC_KIND_SPECS[doc.kind].ownerOf(doc.id, lookups));
}

/** Server-only seeding, once per document (a no-op on a seeded doc). */
export const seedDoc = {
  queue: (doc: Y.Doc, settings: ClinicSettings, now: number): void =>
    seedQueueDoc(doc, settings, now),
  staff: (doc: Y.Doc): void => seedStaffDoc(doc),
} as const;
