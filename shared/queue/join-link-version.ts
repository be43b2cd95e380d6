/**
 * The join link's version on the public queue doc (`meta.joinLinkVersion`):
 * when an admin regenerates the QR link, the server bumps it, and every open
 * display sees the change and fetches the new link from the server
 * (`GET /api/displays/self`). Only a number travels here — every patient of
 * the day reads this doc, so the link's secret never does.
 */
import type * as Y from 'yjs';
import { ok, type Result } from './errors.js';
import type { OpContext } from './op-context.js';
import { checkSchema, metaMap } from './schema.js';

const KEY = 'joinLinkVersion';

/** The version, or null when the link was never regenerated on this doc. */
export function readJoinLinkVersion(doc: Y.Doc): number | null {
  const v = metaMap(doc).get(KEY);
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** Raises the version to `version` (a later one always wins, whatever the merge order). */
export function setJoinLinkVersion(
  doc: Y.Doc,
  version: number,
  ctx: Pick<OpContext, 'origin'>,
): Result<{ version: number }> {
  const schema = checkSchema(doc);
  if (schema.failure) return schema.failure;
  const current = readJoinLinkVersion(doc);
  if (current !== null && current >= version) return ok({ version: current });
  doc.transact(() => metaMap(doc).set(KEY, version), ctx.origin);
  return ok({ version });
}
