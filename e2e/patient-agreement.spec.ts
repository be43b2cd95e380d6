/**
 * Invariant 5 on real screens: the patient's phone, the waiting-room display
 * and reception tell the same place for a ticket — the order the rooms will
 * really call in (SPEC W2), not a place within the ticket's own service.
 */
import fs from 'node:fs';
import { expect, openDisplayWithToken, PHONE, staffDesk, test } from './public-fixtures.js';
import { expectSynced, staffPage } from './staff-helpers.js';

/** Screenshots go to SHOTS_DIR when set (to look at them), else beside the test's results. */
const shotsDir = () => process.env.SHOTS_DIR ?? test.info().outputDir;

test('a Vaccination patient behind six Consultations is 7th on her phone, on the display and at reception, and moves up as the doctor calls', async ({
  browser,
  server,
}) => {
  test.setTimeout(120_000);
  fs.mkdirSync(shotsDir(), { recursive: true });
  const clinic = server.addClinic('agree', 'Centre médical des Lilas');
  const desk = await staffDesk(server, clinic);
  desk.configureService({ id: 'vacc', name: 'Vaccination', prefix: 'V' });
  desk.nameRoom('1', 'Cabinet 1');
  for (let i = 0; i < 6; i++) desk.add();
  const mine = desk.add({ service: 'vacc', source: 'qr' });

  const phoneContext = await browser.newContext(PHONE);
  const phone = await phoneContext.newPage();
  await phone.goto(
    `${server.url}/ticket/${clinic}/${mine.entryId}#${server.token('patient', clinic)}`,
  );
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
  await phone.screenshot({ path: `${shotsDir()}/agree-phone-7th.png` });
  await reception.page.screenshot({ path: `${shotsDir()}/agree-reception.png` });
  await display.page.screenshot({ path: `${shotsDir()}/agree-display.png` });

  // The doctor calls the Consultations, one by one, in the shared order.
  for (let left = 5; left >= 0; left--) {
    expect(desk.callNext('1').entryId).not.toBe(mine.entryId);
    await expect(phone.getByTestId('ticket-position')).toHaveText(
      left === 0 ? 'Vous êtes le prochain' : String(left + 1),
    );
    await expect(receptionPos).toHaveText(String(left + 1));
    await expect(displayNext.nth(left)).toHaveText(mine.label);
  }
  expect(desk.callNext('1').entryId).toBe(mine.entryId);
  await expect(phone.getByTestId('your-turn')).toBeVisible();

  desk.destroy();
  for (const c of [phoneContext, display.context, reception.context]) await c.close();
});
