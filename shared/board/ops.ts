/**
 * Every board operation: `(doc, args, ctx) → BoardResult`, one transaction
 * each (B2). Each is wrapped so that a call from untyped code (a missing
 * args object, no context, not a Y.Doc) gets `invalid-argument` instead of
 * a TypeError: bad input from a screen never throws.
 */
import * as Y from 'yjs';
import * as cards from './card-ops.js';
import * as checklist from './checklist-ops.js';
import * as columns from './column-ops.js';
import { fail, type BoardResult } from './errors.js';
import type { BoardOpContext } from './op-context.js';
import * as social from './social-ops.js';

export type { BoardOpContext } from './op-context.js';
export type { AddCardArgs, CardTextField } from './card-ops.js';

const isObject = (v: unknown): boolean => typeof v === 'object' && v !== null;

function guarded<A, R extends object>(
  name: string,
  op: (doc: Y.Doc, args: A, ctx: BoardOpContext) => BoardResult<R>,
): (doc: Y.Doc, args: A, ctx: BoardOpContext) => BoardResult<R> {
  return (doc, args, ctx) => {
    if (!(doc instanceof Y.Doc)) return fail('invalid-argument', `${name}: not a board doc`);
    if (!isObject(args)) return fail('invalid-argument', `${name}: missing arguments`);
    if (!isObject(ctx)) return fail('invalid-argument', `${name}: missing context`);
    return op(doc, args, ctx);
  };
}

export const addColumn = guarded('addColumn', columns.addColumn);
export const renameColumn = guarded('renameColumn', columns.renameColumn);
export const setColumnColor = guarded('setColumnColor', columns.setColumnColor);
export const moveColumn = guarded('moveColumn', columns.moveColumn);
export const archiveColumn = guarded('archiveColumn', columns.archiveColumn);
export const restoreColumn = guarded('restoreColumn', columns.restoreColumn);

export const addCard = guarded('addCard', cards.addCard);
export const moveCard = guarded('moveCard', cards.moveCard);
export const archiveCard = guarded('archiveCard', cards.archiveCard);
export const restoreCard = guarded('restoreCard', cards.restoreCard);
export const setCardText = guarded('setCardText', cards.setCardText);
export const toggleAssignee = guarded('toggleAssignee', cards.toggleAssignee);
export const toggleCardLabel = guarded('toggleCardLabel', cards.toggleCardLabel);
export const setDue = guarded('setDue', cards.setDue);

export const addChecklistItem = guarded('addChecklistItem', checklist.addChecklistItem);
export const setChecklistItemText = guarded('setChecklistItemText', checklist.setChecklistItemText);
export const toggleChecklistItem = guarded('toggleChecklistItem', checklist.toggleChecklistItem);
export const moveChecklistItem = guarded('moveChecklistItem', checklist.moveChecklistItem);
export const removeChecklistItem = guarded('removeChecklistItem', checklist.removeChecklistItem);

export const addLabel = guarded('addLabel', social.addLabel);
export const renameLabel = guarded('renameLabel', social.renameLabel);
export const addComment = guarded('addComment', social.addComment);
export const editComment = guarded('editComment', social.editComment);
export const vote = guarded('vote', social.vote);
export const unvote = guarded('unvote', social.unvote);
