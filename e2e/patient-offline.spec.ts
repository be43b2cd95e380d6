import {
  cachedPaths,
  expect,
  lightStatus,
  newClinic,
  PHONE,
  serviceWorkerControls,
  staffDesk,
  test,
} from './public-fixtures.js';

test('the ticket page reloaded while the phone is offline starts from the cached patient page, shows the last known ticket and says the connection is lost, then catches up', async ({
  browser,
  server,
}, testInfo) => {
  test.setTimeout(90_000);
  const clinic = newClinic(server);
  const desk = await staffDesk(server, clinic);
  desk.add();
  const mine = desk.add();
  const context = await browser.newContext(PHONE);
  const requested: string[] = [];
  context.on('request', (r) => requested.push(new URL(r.url()).pathname));
  const page = await context.newPage();
  await page.goto(
    `${server.url}/ticket/${clinic}/${mine.entryId}#${server.token('patient', clinic)}`,
  );
  await expect(page.getByTestId('ticket-number')).toHaveText(mine.label);
  await expect(page.getByTestId('ticket-position')).toHaveText('2');
  await expect(lightStatus(page)).toHaveAttribute('data-status', 'synced');
  await serviceWorkerControls(page);

  // The worker was installed from the patient page: it cached the patient shell and its
  // assets, and neither the phone nor its worker fetched the staff or display app.
  const cached = await cachedPaths(page);
  expect(cached).toContain('/patient.html');
  expect(
    cached.filter((p) => /^\/(index|display)\.html$|^\/assets\/(staff|display)-/.test(p)),
  ).toEqual([]);
  expect(
    requested.filter((p) => /^\/(index|display)\.html$|^\/assets\/(staff|display)-/.test(p)),
  ).toEqual([]);

  await context.setOffline(true);
  await expect(lightStatus(page)).toHaveAttribute('data-status', /offline|reconnecting/);
  desk.callNext('1');
  await page.reload();
  await expect(page.getByTestId('ticket-number')).toHaveText(mine.label, { timeout: 20_000 });
  // The last known state, from IndexedDB: the call made during the cut is not known yet.
  await expect(page.getByTestId('ticket-position')).toHaveText('2');
  await expect(
    page.getByText('Connexion perdue : les informations peuvent dater un peu.'),
  ).toBeVisible();
  await expect(lightStatus(page)).toHaveAttribute('data-status', 'offline');
  await page.screenshot({ path: testInfo.outputPath('patient-reloaded-offline.png') });

  await context.setOffline(false);
  await expect(page.getByTestId('ticket-position')).toHaveText(/prochain/, { timeout: 20_000 });
  await expect(page.getByText('Connexion perdue')).toHaveCount(0);
  await expect(lightStatus(page)).toHaveAttribute('data-status', 'synced');
  desk.destroy();
  await context.close();
});
