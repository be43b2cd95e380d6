import { api, expect, newClinic, openPairedDisplay, test } from './public-fixtures.js';

test('a display paired with a code shows its clinic, and goes back to a new pairing code when an admin revokes it', async ({
  browser,
  server,
}, testInfo) => {
  test.setTimeout(90_000);
  const clinic = newClinic(server);
  const display = await openPairedDisplay(browser, server, clinic);
  await expect(display.page.locator('.display-clinic')).toHaveText('Maison de santé des Tilleuls');

  await api(server, 'DELETE', `/api/clinics/${clinic}/displays/${display.displayId}`, undefined, {
    expect: 204,
  });
  await expect(display.page.getByTestId('display-pairing')).toBeVisible({ timeout: 20_000 });
  await expect(display.page.getByText(/dissocié/)).toBeVisible();
  await expect(display.page.getByTestId('pairing-code')).toHaveText(/[A-Z0-9]{3}/);
  await display.page.screenshot({ path: testInfo.outputPath('display-pairing-revoked.png') });
  // The revoked token is gone from the device.
  expect(
    await display.page.evaluate(() => localStorage.getItem('queuemed.display.device')),
  ).toBeNull();
  await display.context.close();
});
