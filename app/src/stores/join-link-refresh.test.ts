import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { serverOrigin, setJoinLinkVersion } from '../../../shared/queue/index.js';
import { clinic } from './test-support.js';
import { watchJoinLinkVersion } from './join-link-refresh.js';

/** The server's change, arriving on the display's replica as a sync update. */
function regenerateOnServer(display: Y.Doc, version: number) {
  const server = new Y.Doc();
  Y.applyUpdate(server, Y.encodeStateAsUpdate(display));
  const before = Y.encodeStateVector(display);
  setJoinLinkVersion(server, version, { origin: serverOrigin });
  Y.applyUpdate(display, Y.encodeStateAsUpdate(server, before));
}

describe('a display following a regenerated join link', () => {
  it('fetches the link again once when the doc carries a newer version than the one shown', () => {
    const doc = clinic();
    let shown: number | null = 1000;
    let refreshes = 0;
    const stop = watchJoinLinkVersion(
      doc,
      () => shown,
      () => refreshes++,
    );
    expect(refreshes).toBe(0);

    regenerateOnServer(doc, 2000);
    expect(refreshes).toBe(1);
    // Unrelated updates while the fetch is in flight do not ask again.
    regenerateOnServer(doc, 1500); // an older version never lowers it
    expect(refreshes).toBe(1);
    shown = 2000;
    regenerateOnServer(doc, 3000);
    expect(refreshes).toBe(2);
    stop();
    regenerateOnServer(doc, 4000);
    expect(refreshes).toBe(2);
  });

  it('catches up at once when the cached doc is already newer than the cached link', () => {
    const doc = clinic();
    setJoinLinkVersion(doc, 5000, { origin: serverOrigin });
    let refreshes = 0;
    watchJoinLinkVersion(
      doc,
      () => 4000,
      () => refreshes++,
    )();
    expect(refreshes).toBe(1);
  });

  it('does nothing when the link was never regenerated', () => {
    let refreshes = 0;
    watchJoinLinkVersion(
      clinic(),
      () => null,
      () => refreshes++,
    )();
    expect(refreshes).toBe(0);
  });
});
