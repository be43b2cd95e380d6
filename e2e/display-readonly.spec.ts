import * as Y from 'yjs';
import { addEntry, localOrigin, setQueueOpen } from '../shared/queue/index.js';
import { syncStep1Frame, syncStep2Frame, updateFrame } from '../shared/protocol.js';
import {
  addWalkIn,
  adminToken,
  expect,
  newClinic,
  nodeClient,
  openPairedDisplay,
  queueView,
  test,
} from './public-fixtures.js';

/** A y-websocket sync message carrying `update` as the given sub-type. */
const syncMessage = (type: 'update' | 'step2', update: Uint8Array): number[] =>
  Array.from(type === 'update' ? updateFrame(update) : syncStep2Frame(update));

test('a display cannot change the queue, even with crafted updates sent on its own socket', async ({
  browser,
  server,
}) => {
  test.setTimeout(90_000);
  const clinic = newClinic(server);
  await addWalkIn(server, {}, clinic);
  const display = await openPairedDisplay(browser, server, clinic);
  const before = await queueView(server, clinic);

  // Forge real domain changes on a copy of the doc: a new ticket, the queue closed, a renamed clinic.
  const staff = await nodeClient(server, `queue:${clinic}`, adminToken(server, clinic));
  const forged = new Y.Doc();
  Y.applyUpdate(forged, Y.encodeStateAsUpdate(staff.doc));
  const updates: Uint8Array[] = [];
  forged.on('update', (u: Uint8Array) => updates.push(u));
  const ctx = {
    now: Date.now(),
    origin: localOrigin('forger'),
    randomBytes: (n: number) => crypto.getRandomValues(new Uint8Array(n)),
  };
  const added = addEntry(forged, { source: 'walk-in' }, ctx);
  expect(added.ok).toBe(true);
  const forgedLabel = added.ok ? added.entry.label : '';
  setQueueOpen(forged, { open: false }, ctx);
  forged.getMap('meta').set('title', 'PIRATÉ');
  const merged = Y.mergeUpdates(updates);
  const frames = [
    syncMessage('update', merged),
    syncMessage('step2', Y.encodeStateAsUpdate(forged)),
  ];

  // Send them from the display page, with the display's own token, then a sync step 1:
  // its answer proves the relay has handled everything sent before it.
  const outcome = await display.page.evaluate(
    async ({ token, frames, step1, clinic }) => {
      const ws = new WebSocket(
        `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws/queue:${clinic}?token=${encodeURIComponent(token)}`,
      );
      ws.binaryType = 'arraybuffer';
      await new Promise((resolve, reject) => {
        ws.onopen = resolve;
        ws.onerror = reject;
      });
      for (const f of frames) ws.send(new Uint8Array(f));
      ws.send(new Uint8Array(step1));
      return await new Promise<string>((resolve) => {
        const timer = setTimeout(() => resolve('timeout'), 10_000);
        ws.onmessage = (m) => {
          const bytes = new Uint8Array(m.data as ArrayBuffer);
          if (bytes[0] === 0 && bytes[1] === 1) {
            clearTimeout(timer);
            ws.close();
            resolve('answered');
          }
        };
        ws.onclose = (e) => {
          clearTimeout(timer);
          resolve(`closed ${e.code}`);
        };
      });
    },
    {
      token: display.token,
      clinic,
      frames,
      step1: Array.from(syncStep1Frame(Y.encodeStateVector(new Y.Doc()))),
    },
  );
  // Either the relay dropped the writes and answered, or it closed the socket: never applied.
  expect(outcome).toMatch(/answered|closed/);

  const after = await queueView(server, clinic);
  expect(after.open).toBe(true);
  expect(after.entries.map((e) => e.ticket)).toEqual(before.entries.map((e) => e.ticket));
  expect(after.entries.map((e) => e.ticket)).not.toContain(forgedLabel);
  // A fresh staff replica sees none of it either.
  const fresh = await nodeClient(server, `queue:${clinic}`, adminToken(server, clinic));
  expect(fresh.doc.getMap('meta').get('title')).not.toBe('PIRATÉ');
  expect(fresh.doc.getMap('meta').get('open')).toBe(true);
  expect(fresh.doc.getMap('entries').size).toBe(staff.doc.getMap('entries').size);
  // And the display itself shows nothing new.
  await expect(display.page.getByTestId('display-next')).not.toContainText(forgedLabel);
  await expect(display.page.locator('.display-clinic')).not.toHaveText('PIRATÉ');
  staff.destroy();
  fresh.destroy();
  await display.context.close();
});
