/**
 * Who may read or write which document (DESIGN.md, "Security model").
 * Pure: the caller looks up board ownership.
 */
import type { ParsedDocName } from '../../shared/ids.js';
import { isStaffRole } from '../../shared/presence.js';
import type { Identity } from './identity.js';

export type Access = 'none' | 'read' | 'write';

export interface PolicyContext {
  /** Clinic a board is registered to, or null when the board is not registered. */
  readonly boardClinic: string | null;
}

export function accessFor(identity: Identity, doc: ParsedDocName, ctx: PolicyContext): Access {
  const staff = isStaffRole(identity.role);
  switch (doc.kind) {
    case 'queue':
      if (doc.id !== identity.clinicId) return 'none';
      return staff ? 'write' : 'read';
    case 'staff':
      return staff && doc.id === identity.clinicId ? 'write' : 'none';
    case 'board':
      return staff && ctx.boardClinic !== null && ctx.boardClinic === identity.clinicId
        ? 'write'
        : 'none';
  }
}
