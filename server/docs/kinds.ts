/**
 * The registry of document kinds. Each kind says which clinic a document
 * belongs to, what each role of that clinic may do on it, its schema
 * version and how the server seeds it. The relay (at the upgrade), the
 * session upgrade and clinic setup ask here; nothing else switches on
 * `doc.kind`. Boards are registered server-side (their clinic is looked up);
 * a board that is not registered belongs to nobody.
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

/** What deciding a document's clinic may need to look up. */
export interface DocLookups {
  /** Clinic a board is registered to, or null. */
  readonly boardClinic: (boardId: string) => Promise<string | null>;
}

export interface DocKindSpec {
  readonly kind: DocKind;
  readonly schemaVersion: number;
  /** The clinic owning the document, or null when it belongs to none (an unregistered board). */
  clinicOf(id: string, lookups: DocLookups): Promise<string | null>;
  /** What a member of the owning clinic with this role may do. */
  access(role: Role): Access;
}

const staffWrite = (role: Role): Access => (isStaffRole(role) ? 'write' : 'none');

export const DOC_KIND_SPECS: Readonly<Record<DocKind, DocKindSpec>> = {
  queue: {
    kind: 'queue',
    schemaVersion: SCHEMA_VERSION,
    clinicOf: async (id) => id,
    // Displays and patients of the clinic read the public doc; writes from them are dropped.
    access: (role) => (isStaffRole(role) ? 'write' : 'read'),
  },
  staff: {
    kind: 'staff',
    schemaVersion: SCHEMA_VERSION,
    clinicOf: async (id) => id,
    access: staffWrite,
  },
  board: {
    kind: 'board',
    schemaVersion: 1,
    clinicOf: (id, lookups) => lookups.boardClinic(id),
    access: staffWrite,
  },
};

/** What `identity` may do on `doc`, given the clinic that owns it. */
export function accessFor(identity: Identity, doc: ParsedDocName, clinicId: string | null): Access {
  if (clinicId === null || clinicId !== identity.clinicId) return 'none';
  return DOC_KIND_SPECS[doc.kind].access(identity.role);
}

/** Looks up the owning clinic, then decides. */
export async function accessTo(
  identity: Identity,
  doc: ParsedDocName,
  lookups: DocLookups,
): Promise<Access> {
  return accessFor(identity, doc, await DOC_KIND_SPECS[doc.kind].clinicOf(doc.id, lookups));
}

/** Server-only seeding, once per document (a no-op on a seeded doc). */
export const seedDoc = {
  queue: (doc: Y.Doc, settings: ClinicSettings, now: number): void =>
    seedQueueDoc(doc, settings, now),
  staff: (doc: Y.Doc): void => seedStaffDoc(doc),
} as const;
