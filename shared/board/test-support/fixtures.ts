/**
 * Test helpers for the board domain (not shipped): seeded boards, contexts
 * with a seeded `random`, replicas with fixed client ids.
 */
import * as Y from 'yjs';
import { mulberry32 } from '../../queue/test-support/fixtures.js';
import type { BoardOpContext } from '../op-context.js';
import { seedBoardDoc } from '../schema.js';
import type { BoardTemplate } from '../templates.js';

export { codeOf, must, mulberry32, sync } from '../../queue/test-support/fixtures.js';

/** 2026-03-10 09:00 UTC, a Tuesday. */
export const T0 = Date.UTC(2026, 2, 10, 9, 0);
export const TODAY = '2026-03-10';

export function replica(clientID: number): Y.Doc {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  return doc;
}

/** A board as the server seeds it (default: blank, columns todo / doing / done). */
export function seededBoard(template: BoardTemplate = 'blank', clientID = 1): Y.Doc {
  const doc = replica(clientID);
  seedBoardDoc(doc, { title: 'Test board', template, createdBy: 'server-user' }, T0 - 60_000);
  return doc;
}

/** A second replica starting from the same state. */
export function fork(doc: Y.Doc, clientID: number): Y.Doc {
  const copy = replica(clientID);
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  return copy;
}

let counter = 0;
/** A context for `actor` with a seeded random source (distinct per call unless `seed` is given). */
export function ctxOf(actor: string, now = T0, seed?: number): BoardOpContext {
  return {
    actor,
    now,
    origin: { kind: 'local', actor },
    random: mulberry32(seed ?? ++counter * 7919),
  };
}
