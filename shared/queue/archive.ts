/**
 * Day rollover (rules D1–D5). Entries carry the clinic day they were issued
 * in; every view filters on today, so yesterday's waiting tickets never show
 * up in today's queue, whatever a long-offline device sends back.
 *
 * Finished days leave the live doc: `archiveDay` returns a read-only snapshot
 * for the server to store, and deletes that day's entries and grants in the
 * same transaction, marking the day archived so no replica issues into it
 * again. An entry a device created offline in an archived day (the server
 * could not know it) arrives later, stays in its own day, and is picked up
 * by the next `archiveDay` of that day. Edits to an entry that was already
 * archived are dropped by the merge (Yjs drops changes inside a deleted map):
 * keep one finished day live (`finishedDays(doc, now, 1)`) to give offline
 * devices a day to sync.
 */
import type * as Y from 'yjs';
import { addDays, clinicDay, isDay } from './day.js';
import { allEntries, entriesOfDay } from './entries.js';
import { fail, ok, type Result } from './errors.js';
import { numberingKeys, readGrants } from './numbering.js';
import type { OpContext } from './ops.js';
import { archivedMap, checkSchema, entriesMap, grantsMap } from './schema.js';
import type { ArchivedDay, Day } from './types.js';

/** Days still in the live doc that ended more than `keepDays` days before today. */
export function finishedDays(doc: Y.Doc, now: number, keepDays = 0): Day[] {
  const schema = checkSchema(doc);
  if (schema.failure) return [];
  const limit = addDays(clinicDay(now, schema.clinic), -keepDays);
  const days = new Set<Day>();
  for (const e of allEntries(doc)) if (e.day < limit) days.add(e.day);
  // Grants and device tags are keyed `<day>/…`.
  grantsMap(doc).forEach((_, key) => {
    const day = key.slice(0, 10);
    if (isDay(day) && day < limit) days.add(day);
  });
  return [...days].sort();
}

export function archivedDays(doc: Y.Doc): Day[] {
  return [...archivedMap(doc).keys()].filter(isDay).sort();
}

/** Snapshot and remove a finished day; server side, one transaction. */
export function archiveDay(
  doc: Y.Doc,
  args: { day: Day },
  ctx: OpContext,
): Result<{ archive: ArchivedDay }> {
  const schema = checkSchema(doc);
  if (schema.failure) return schema.failure;
  if (!isDay(args.day)) return fail('invalid-argument', 'invalid day');
  const today = clinicDay(ctx.now, schema.clinic);
  if (args.day >= today)
    return fail('day-not-finished', `day ${args.day} is not over (today is ${today})`);
  const entries = entriesOfDay(doc, args.day).sort(
    (a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1),
  );
  const grants = readGrants(doc, args.day);
  const numbering = numberingKeys(doc, args.day);
  const previous = archivedMap(doc).get(args.day) as { entries?: number } | undefined;
  doc.transact(() => {
    for (const e of entries) entriesMap(doc).delete(e.id);
    for (const key of numbering) grantsMap(doc).delete(key);
    archivedMap(doc).set(args.day, {
      archivedAt: ctx.now,
      entries: (previous?.entries ?? 0) + entries.length,
    });
  }, ctx.origin);
  return ok({ archive: { day: args.day, archivedAt: ctx.now, entries, grants } });
}
