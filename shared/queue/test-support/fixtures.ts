/**
 * Test helpers for the queue domain (not shipped to the app): a seeded PRNG,
 * deterministic entry ids, and a seeded clinic pair of docs.
 */
import * as Y from 'yjs';
import { localOrigin, type QueueOrigin } from '../origins.js';
import type { OpContext } from '../ops.js';
import { seedQueueDoc } from '../schema.js';
import { seedStaffDoc } from '../../staff/doc.js';
import type { ClinicSettings, RandomBytes } from '../types.js';

/** mulberry32: tiny, fast, good enough to drive a fuzzer reproducibly. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const seededBytes =
  (rand: () => number): RandomBytes =>
  (length) => {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) out[i] = Math.floor(rand() * 256);
    return out;
  };

/** 2025-03-10 08:00 in Paris (CET, UTC+1), a Monday. */
export const T0 = Date.UTC(2025, 2, 10, 7, 0);
export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const DAY_MS = 24 * HOUR;

export const SETTINGS = {
  name: 'Test clinic',
  timezone: 'Europe/Paris',
  locale: 'fr',
  resetTime: '00:00',
} as const satisfies ClinicSettings;

/** A replica with a fixed clientID so labels and tie-breaks are reproducible. */
export function replica(clientID: number): Y.Doc {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  return doc;
}

/** A seeded public doc (as the server CLI would make it) and a seeded staff doc. */
export function seededClinic(
  settings: ClinicSettings = SETTINGS,
  clientID = 1,
): { doc: Y.Doc; staff: Y.Doc } {
  const doc = replica(clientID);
  seedQueueDoc(doc, settings, T0 - DAY_MS);
  const staff = replica(clientID);
  seedStaffDoc(staff);
  return { doc, staff };
}

/** A second replica starting from the same state. */
export function fork(doc: Y.Doc, clientID: number): Y.Doc {
  const copy = replica(clientID);
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  return copy;
}

/** Exchange everything both ways. */
export function sync(...docs: Y.Doc[]): void {
  for (const a of docs)
    for (const b of docs)
      if (a !== b) Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
}

export function makeCtx(
  now: number,
  extra: Partial<OpContext> & { origin?: QueueOrigin } = {},
): OpContext {
  return {
    now,
    origin: localOrigin('test'),
    randomBytes: seededBytes(mulberry32(now ^ 0x5eed)),
    ...extra,
  };
}

/** Unwrap an ok result or fail the test with the error. */
export function must<T extends { ok: boolean }>(result: T): Extract<T, { ok: true }> {
  if (!result.ok)
    throw new Error(
      `expected ok, got ${JSON.stringify((result as unknown as { error: { code: string; message: string } }).error.code)}: ${(result as unknown as { error: Error }).error.message}`,
    );
  return result as Extract<T, { ok: true }>;
}

/** The error code of a failed result (or 'ok'). */
export const codeOf = (result: { ok: boolean }): string =>
  result.ok ? 'ok' : (result as unknown as { error: { code: string } }).error.code;
