/**
 * The display as a TV left in a waiting room without kiosk flags (issue 11):
 * the "touch to enable sound" banner on every load, network cuts, and the
 * mute control that patients must not find.
 */
import type { Locator, Page } from '@playwright/test';
import {
  expect,
  lightStatus,
  newClinic,
  openDisplayWithToken,
  staffDesk,
  test,
} from './public-fixtures.js';

/** True when every corner and the centre of `target` show `target` itself (nothing painted over it). */
async function uncovered(target: Locator): Promise<boolean> {
  return target.evaluate((el) => {
    const r = el.getBoundingClientRect();
    const inset = Math.min(r.width, r.height) * 0.2; // inside rounded corners
    const points = [
      [r.left + inset, r.top + inset],
      [r.right - inset, r.top + inset],
      [r.left + inset, r.bottom - inset],
      [r.right - inset, r.bottom - inset],
      [(r.left + r.right) / 2, (r.top + r.bottom) / 2],
    ] as const;
    return points.every(([x, y]) => {
      const hit = document.elementFromPoint(x, y);
      return hit !== null && (hit === el || el.contains(hit));
    });
  });
}

const announcerMuted = (page: Page) =>
  page.evaluate(
    () =>
      (
        window as unknown as { __queuemedAnnouncer?: { muted(): boolean } }
      ).__queuemedAnnouncer?.muted() ?? null,
  );

test('without kiosk flags the sound banner leaves the clinic name and the offline state in sight, and an offline display marks its call as the last known one, with its age', async ({
  browser,
  server,
}, testInfo) => {
  test.setTimeout(90_000);
  const clinic = newClinic(server);
  const desk = await staffDesk(server, clinic);
  for (let i = 0; i < 4; i++) desk.add();
  const { page, context } = await openDisplayWithToken(
    browser,
    server,
    server.token('display', clinic),
    clinic,
  );
  const call = desk.callNext('2');
  await expect(page.getByTestId('current-ticket')).toHaveText(call.label);
  await expect(lightStatus(page)).toHaveAttribute('data-status', 'synced');

  // Every load without --autoplay-policy shows the banner again.
  await page.reload();
  await expect(page.getByTestId('current-ticket')).toHaveText(call.label);
  const banner = page.getByRole('button', { name: /activer le son/ });
  await expect(banner).toBeVisible();
  await expect(lightStatus(page)).toHaveAttribute('data-status', 'synced');

  await context.setOffline(true);
  const offline = page.getByTestId('display-offline');
  await expect(offline).toBeVisible();
  await expect(offline).toContainText('Dernier état connu');
  await expect(banner).toBeVisible();
  const name = page.locator('.display-clinic');
  expect(await uncovered(name)).toBe(true);
  expect(
    await name.evaluate(
      (el) => el.scrollWidth <= el.clientWidth + 1 && el.scrollHeight <= el.clientHeight + 1,
    ),
    'the clinic name is not cut while the offline notice takes room',
  ).toBe(true);
  expect(await uncovered(offline)).toBe(true);
  expect(await uncovered(lightStatus(page))).toBe(true);

  // The call on screen may be over: it says so and looks faded.
  await expect(page.getByTestId('display-current')).toHaveAttribute('data-stale', 'true');
  await expect(page.getByTestId('display-stale')).toHaveText(
    /^Dernier appel connu · il y a (moins d’une minute|\d+ min)$/,
  );
  const opacity = await page
    .getByTestId('featured-call')
    .first()
    .evaluate((el) => Number(getComputedStyle(el).opacity));
  expect(opacity).toBeLessThan(1);
  await page.screenshot({ path: testInfo.outputPath('display-offline-banner.png') });
  if (process.env.SHOTS_DIR)
    await page.screenshot({ path: `${process.env.SHOTS_DIR}/display-offline-banner.png` });

  await context.setOffline(false);
  await expect(lightStatus(page)).toHaveAttribute('data-status', 'synced', { timeout: 20_000 });
  await expect(page.getByTestId('display-stale')).toHaveCount(0);
  await expect(page.getByTestId('display-offline')).toHaveCount(0);
  desk.destroy();
  await context.close();
});

test('the mute control is out of patients’ sight: a tap does not show it, staff reveal it with the M key or by holding the clock for 2 s', async ({
  browser,
  server,
}) => {
  test.setTimeout(60_000);
  const clinic = newClinic(server);
  const { page, context } = await openDisplayWithToken(
    browser,
    server,
    server.token('display', clinic),
    clinic,
  );
  const mute = page.getByTestId('display-mute');
  await expect(mute).toHaveCount(0);
  // A patient taps the screen (to get the sound going): still no mute control.
  await page.mouse.click(400, 500);
  await expect(mute).toHaveCount(0);
  expect(await announcerMuted(page)).toBe(false);

  // A keyboard (or a remote's key M) mutes, and shows the control so staff see what they did.
  await page.keyboard.press('m');
  await expect(mute).toBeVisible();
  await expect(mute).toHaveAttribute('aria-pressed', 'true');
  expect(await announcerMuted(page)).toBe(true);
  await expect(page.getByTestId('display-muted')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(mute).toHaveCount(0);

  // Holding the clock shows the control on a touch screen.
  const clock = page.locator('.display-clock');
  const box = (await clock.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await expect(mute).toBeVisible({ timeout: 10_000 });
  await page.mouse.up();
  await mute.click();
  await expect(mute).toHaveAttribute('aria-pressed', 'false');
  expect(await announcerMuted(page)).toBe(false);
  await expect(page.getByTestId('display-muted')).toHaveCount(0);
  await context.close();
});
