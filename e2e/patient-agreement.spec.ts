/**
 * Invariant 5 on real screens: the patient's phone, the waiting-room display
 * and reception tell the same place for a ticket — the order the rooms will
 * really call in (SPEC W2), not a place within the ticket's own service.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import {
  adminToken,
  expect,
  nodeClient,
  openDisplayWithToken,
  PHONE,
  test,
} from './public-fixtures.js';
import { expectSynced, staffPage } from './staff-helpers.js';

const SHOTS = '/tmp/shots-patient';

test('a Vaccination patient behind six Consultations is 7th on her phone, on the display and at reception, and moves up as the doctor calls', async ({
  browser,
  server,
}) => {
  test.setTimeout(120_000);
  fs.mkdirSync(SHOTS, { recursive: true });
  const clinic = server.addClinic('agree', 'Centre médical des Lilas');
  const q = await import('../shared/queue/index.js');
  const client = await nodeClient(server, `queue:${clinic}`, adminToken(server, clinic));
  const device = `e2e-${crypto.randomBytes(3).toString('hex')}`;
  const ctx = () => ({
    now: Date.now(),
    origin: q.localOrigin('e2e'),
    device,
    randomBytes: (n: number) => new Uint8Array(crypto.randomBytes(n)),
  });
  const must = <T extends { ok: boolean }>(r: T) => {
    if (!r.ok) throw new Error(JSON.stringify(r));
    return r as Extract<T, { ok: true }>;
  };
  const vacc = q.parseServiceId('vacc');
  const room = q.parseRoomId('1');
  must(q.configureService(client.doc, { id: vacc, name: 'Vaccination', prefix: 'V' }, ctx()));
  must(q.configureRoom(client.doc, { id: room, name: 'Cabinet 1' }, ctx()));
  const day = q.currentDay(client.doc, Date.now())!;
  must(q.grantNumberBlock(client.doc, { device, day, start: 101, size: 20 }, ctx()));
  for (let i = 0; i < 6; i++) must(q.addEntry(client.doc, { source: 'walk-in' }, ctx()));
  const mine = must(q.addEntry(client.doc, { source: 'qr', service: vacc }, ctx())).entry;

  const phoneContext = await browser.newContext(PHONE);
  const phone = await phoneContext.newPage();
  await phone.goto(`${server.url}/ticket/${clinic}/${mine.id}#${server.token('patient', clinic)}`);
  const display = await openDisplayWithToken(
    browser,
    server,
    server.token('display', clinic),
    clinic,
  );
  const reception = await staffPage(browser, server, clinic, 'receptionist', 'Rose Accueil');
  await reception.page.goto(`/c/${clinic}/reception`);
  await expectSynced(reception.page);
  const receptionPos = reception.page
    .getByTestId('waiting-list')
    .locator(`tbody tr[data-label="${mine.label}"] .pos`);
  const displayNext = display.page.getByTestId('display-next').getByTestId('next-ticket');

  await expect(phone.getByTestId('ticket-position')).toHaveText('7');
  await expect(receptionPos).toHaveText('7');
  await expect(displayNext.nth(6)).toHaveText(mine.label);
  await phone.screenshot({ path: `${SHOTS}/agree-phone-7th.png` });
  await reception.page.screenshot({ path: `${SHOTS}/agree-reception.png` });
  await display.page.screenshot({ path: `${SHOTS}/agree-display.png` });

  // The doctor calls the Consultations, one by one, in the shared order.
  for (let left = 5; left >= 0; left--) {
    const called = must(q.callNext(client.doc, { room }, ctx())).entry;
    expect(called.id).not.toBe(mine.id);
    await expect(phone.getByTestId('ticket-position')).toHaveText(
      left === 0 ? 'Vous êtes le prochain' : String(left + 1),
    );
    await expect(receptionPos).toHaveText(String(left + 1));
    await expect(displayNext.nth(left)).toHaveText(mine.label);
  }
  expect(must(q.callNext(client.doc, { room }, ctx())).entry.id).toBe(mine.id);
  await expect(phone.getByTestId('your-turn')).toBeVisible();

  client.destroy();
  for (const c of [phoneContext, display.context, reception.context]) await c.close();
});
