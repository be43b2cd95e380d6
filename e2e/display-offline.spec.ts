import {
  addWalkIn,
  cachedPaths,
  callNext,
  expect,
  lightStatus,
  newClinic,
  openPairedDisplay,
  serviceWorkerControls,
  test,
} from './public-fixtures.js';

const CUT_MS = 30_000;

test('a display cut off for 30 s turns its light red, keeps the last state through a reload, and shows the latest call within 5 s of the network returning', async ({
  browser,
  server,
}, testInfo) => {
  test.setTimeout(150_000);
  const clinic = newClinic(server);
  for (let i = 0; i < 4; i++) await addWalkIn(server, {}, clinic);
  const display = await openPairedDisplay(browser, server, clinic);
  const { page, context } = display;
  const first = await callNext(server, '1', clinic);
  await expect(page.getByTestId('current-ticket')).toHaveText(first.ticket);
  await expect(lightStatus(page)).toHaveAttribute('data-status', 'synced');

  // The display page's service worker controls the page before the cut, and cached the
  // display's own shell only (not the staff app).
  await serviceWorkerControls(page);
  const cached = await cachedPaths(page);
  expect(cached).toContain('/display.html');
  expect(cached.filter((p) => /^\/index\.html$|^\/assets\/staff-/.test(p))).toEqual([]);
  const cutAt = Date.now();
  await context.setOffline(true);
  await expect(lightStatus(page)).toHaveAttribute('data-status', /offline|reconnecting/);
  await callNext(server, '2', clinic);
  const latest = await callNext(server, '4', clinic);
  await expect(page.getByRole('alert')).toContainText(/Dernier état connu/);
  await expect(lightStatus(page)).toContainText(/Hors ligne/);
  await expect(page.getByTestId('current-ticket')).toHaveText(first.ticket);
  await page.screenshot({ path: testInfo.outputPath('display-offline.png') });

  // A reload during the cut starts from the cached shell and IndexedDB.
  await page.reload();
  await expect(page.getByTestId('current-ticket')).toHaveText(first.ticket, { timeout: 15_000 });
  // Restarted offline, it still knows how old its state is (kept across the reload).
  await expect(page.getByTestId('display-stale')).toHaveText(/^Dernier appel connu · il y a /);
  await expect(lightStatus(page)).toHaveAttribute('data-status', /offline|reconnecting|connecting/);
  await expect(lightStatus(page)).not.toHaveAttribute('data-status', 'synced');

  await page.waitForTimeout(Math.max(0, CUT_MS - (Date.now() - cutAt)));
  await context.setOffline(false);
  await expect(page.getByTestId('current-ticket')).toHaveText(latest.ticket, { timeout: 5_000 });
  await expect(lightStatus(page)).toHaveAttribute('data-status', 'synced', { timeout: 5_000 });
  await context.close();
});
