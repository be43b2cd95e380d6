import {
  callNext,
  expect,
  joinUrl,
  newClinic,
  openPairedDisplay,
  PHONE,
  test,
} from './public-fixtures.js';

test('a patient joins through the QR link on a phone, sees ticket, position and wait, and is told when a doctor calls them; the display shows the call', async ({
  browser,
  server,
}, testInfo) => {
  test.setTimeout(120_000);
  const clinic = newClinic(server);
  const display = await openPairedDisplay(browser, server, clinic);
  await expect(display.page.getByTestId('join-qr')).toBeVisible();
  await display.page.screenshot({ path: testInfo.outputPath('display-idle.png') });

  const phone = await browser.newContext({ ...PHONE, locale: 'fr-FR' });
  const page = await phone.newPage();
  // A slow phone on a mediocre mobile network.
  const cdp = await phone.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 300,
    downloadThroughput: (1.5 * 1024 * 1024) / 8,
    uploadThroughput: (750 * 1024) / 8,
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });

  await page.goto(await joinUrl(server, clinic));
  await expect(page.getByTestId('clinic-name')).not.toBeEmpty({ timeout: 30_000 });
  await page.screenshot({ path: testInfo.outputPath('patient-join.png') });

  await page.getByLabel(/prénom/i).fill('Jeanne');
  await page.getByTestId('join-submit').click();
  await expect(page).toHaveURL(new RegExp(`/ticket/${clinic}/[^/]+#`), { timeout: 30_000 });
  const ticket = page.getByTestId('ticket-number');
  await expect(ticket).toHaveText(/^[A-Z]-\S+$/, { timeout: 30_000 });
  const label = (await ticket.textContent())!;
  await expect(page.getByTestId('ticket-position')).toHaveText(/prochain|\d+/);
  await expect(page.getByTestId('ticket-wait')).toHaveText(/min|bientôt/);
  await expect(page.locator('.conn')).toHaveAttribute('data-status', 'synced');
  await page.screenshot({ path: testInfo.outputPath('patient-ticket-waiting.png') });

  // The display lists the new ticket among the next ones.
  await expect(display.page.getByTestId('display-next')).toContainText(label);

  const called = await callNext(server, '3', clinic);
  expect(called.ticket).toBe(label);

  await expect(page.getByTestId('your-turn')).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId('ticket-room')).toHaveText('Salle 3');
  await page.screenshot({ path: testInfo.outputPath('patient-your-turn.png') });

  await expect(display.page.getByTestId('current-ticket')).toHaveText(label);
  await expect(display.page.getByTestId('current-room')).toContainText('Salle 3');
  await display.page.screenshot({ path: testInfo.outputPath('display-call.png') });

  // A reload keeps the ticket (token kept in localStorage, doc in IndexedDB).
  await page.goto(page.url().replace(/#.*$/, ''));
  await expect(page.getByTestId('your-turn')).toBeVisible({ timeout: 30_000 });

  await phone.close();
  await display.context.close();
});
