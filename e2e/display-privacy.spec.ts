import {
  addWalkIn,
  callNext,
  distinctivePatient,
  expect,
  joinUrl,
  newClinic,
  openPairedDisplay,
  PHONE_VIEWPORT,
  recordReceived,
  test,
} from './public-fixtures.js';

test('no frame or response received by the display or a patient page holds a patient name or phone', async ({
  browser,
  server,
}) => {
  test.setTimeout(120_000);
  const walkIn = distinctivePatient();
  const joiner = distinctivePatient();

  const clinic = newClinic(server);
  const display = await openPairedDisplay(browser, server, clinic);
  const displayReceived = recordReceived(display.page);
  // Reload so the recorder sees the display's whole life: pairing aside, the sync from scratch.
  await display.page.reload();
  await expect(display.page.getByTestId('display')).toHaveAttribute('data-ready', 'true');

  const phone = await browser.newContext({ viewport: PHONE_VIEWPORT, isMobile: true });
  const page = await phone.newPage();
  const patientReceived = recordReceived(page);
  await page.goto(await joinUrl(server, clinic));
  await page.getByLabel(/prénom/i).fill(joiner.name);
  await page.getByTestId('join-submit').click();
  await expect(page.getByTestId('ticket-number')).toHaveText(/-/, { timeout: 30_000 });

  const w = await addWalkIn(server, { name: walkIn.name, phone: walkIn.phone }, clinic);
  await expect(display.page.getByTestId('display-next')).toContainText(w.ticket);
  await callNext(server, '2', clinic);
  const second = await callNext(server, '3', clinic);
  await expect(display.page.getByTestId('current-ticket')).toHaveText(second.ticket);
  await expect(page.getByTestId('your-turn')).toBeVisible();

  await displayReceived.settle();
  await patientReceived.settle();
  expect(displayReceived.frames).toBeGreaterThan(0);
  expect(patientReceived.frames).toBeGreaterThan(0);
  expect(patientReceived.responses).toBeGreaterThan(0);
  const needles = [
    walkIn.name,
    'Quatrebras',
    walkIn.phone,
    walkIn.phoneDigits,
    joiner.name,
    joiner.phoneDigits,
  ];
  for (const [who, received] of [
    ['display', displayReceived],
    ['patient', patientReceived],
  ] as const) {
    for (const text of received.texts)
      for (const needle of needles)
        expect(text.includes(needle), `${who} received "${needle}"`).toBe(false);
  }
  await phone.close();
  await display.context.close();
});
