import {
  announcements,
  expect,
  newClinic,
  openDisplayWithToken,
  staffDesk,
  test,
} from './public-fixtures.js';

test('the display shows each call huge with its room, keeps a short history, and announces each call once (recalls again)', async ({
  browser,
  server,
}, testInfo) => {
  test.setTimeout(90_000);
  const clinic = newClinic(server);
  const desk = await staffDesk(server, clinic);
  const tickets = Array.from({ length: 9 }, () => desk.add());
  const { page, context } = await openDisplayWithToken(
    browser,
    server,
    server.token('display', clinic),
    clinic,
  );
  await expect(page.getByTestId('display-next')).toContainText(tickets[0]!.label);
  await page.screenshot({ path: testInfo.outputPath('display-idle.png') });

  // Sound is blocked until someone touches the screen: the banner says so.
  const banner = page.getByRole('button', { name: /activer le son/ });
  if (await banner.isVisible()) {
    await page.screenshot({ path: testInfo.outputPath('display-sound-banner.png') });
    await banner.click();
    await expect(banner).toBeHidden();
  }

  const a = desk.callNext('3');
  await expect(page.getByTestId('current-ticket')).toHaveText(a.label);
  await expect(page.getByTestId('current-room')).toContainText('Salle 3');
  const b = desk.callNext('Radiologie');
  await expect(page.getByTestId('current-ticket')).toHaveText(b.label);
  // Called moments before, the first call stays big beside the new one (not in the small history).
  await expect(page.getByTestId('featured-ticket')).toHaveText(a.label);
  await expect(page.locator('.display-history')).not.toContainText(a.label);
  await page.screenshot({ path: testInfo.outputPath('display-call.png') });

  // Each call is decided once (spoken, or timed out on a machine without voices).
  await expect
    .poll(async () => (await announcements(page)).map((l) => l.ticket), { timeout: 40_000 })
    .toEqual([a.label, b.label]);
  const log = await announcements(page);
  expect(log[0]!.text).toMatch(/^Ticket A \d+, salle 3\.$/);
  expect(log.every((l) => ['spoken', 'timeout', 'error'].includes(l.outcome))).toBe(true);

  desk.recall(a.entryId);
  await expect(page.getByTestId('current-ticket')).toHaveText(a.label);
  await expect.poll(async () => (await announcements(page)).length, { timeout: 30_000 }).toBe(3);
  expect((await announcements(page))[2]!.ticket).toBe(a.label);

  desk.destroy();
  await context.close();
});
