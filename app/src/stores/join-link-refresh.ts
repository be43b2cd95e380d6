/**
 * After an admin regenerates the join link, the server raises
 * `meta.joinLinkVersion` on the public queue doc (a number: every patient
 * reads that doc, so the secret never travels there). A display whose link
 * is older fetches it again from `GET /api/displays/self` — within a second
 * of the change reaching it, not at midnight.
 */
import type * as Y from 'yjs';
import { readJoinLinkVersion } from '../../../shared/queue/index.js';

/**
 * Calls `refresh` whenever the doc carries a link version newer than
 * `current()` (the version of the link on screen), once per version.
 * Returns the unsubscribe function.
 */
export function watchJoinLinkVersion(
  doc: Y.Doc,
  current: () => number | null,
  refresh: () => void,
): () => void {
  let asked: number | null = null;
  const check = () => {
    const version = readJoinLinkVersion(doc);
    if (version === null || version === asked) return;
    const shown = current();
    if (shown !== null && shown >= version) return;
    asked = version;
    refresh();
  };
  doc.on('update', check);
  check();
  return () => doc.off('update', check);
}
