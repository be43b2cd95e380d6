import { expect, test } from './fixtures.js';
import { addRooms, addWalkIn, expectAllSynced, expectSynced, staffPage } from './staff-helpers.js';

test('two doctors call next at the same moment: one patient per room, the loser is told', async ({
  browser,
  server,
}, testInfo) => {
  const clinic = server.addClinic('race');
  await addRooms(browser, server, clinic, [
    ['1', 'Cabinet 1'],
    ['2', 'Cabinet 2'],
  ]);
  const reception = await staffPage(browser, server, clinic, 'receptionist', 'Rose Accueil');
  const d1 = await staffPage(browser, server, clinic, 'doctor', 'Dr Martin');
  const d2 = await staffPage(browser, server, clinic, 'doctor', 'Dr Bernard');
  await expectSynced(reception.page);
  await addWalkIn(reception.page, 'Unique Patient');

  await d1.page.goto(`/c/${clinic}/room/1`);
  await d2.page.goto(`/c/${clinic}/room/2`);
  for (const d of [d1, d2]) {
    await expectSynced(d.page);
    await expect(d.page.getByText('Unique Patient')).toBeVisible();
  }
  // Both call while cut off from each other, so both calls are truly concurrent.
  await d1.context.setOffline(true);
  await d2.context.setOffline(true);
  const callNext = { name: 'Appeler le suivant' };
  await d1.page.getByRole('button', callNext).click();
  await d2.page.getByRole('button', callNext).click();
  await expect(d1.page.getByTestId('current-ticket')).toBeVisible();
  await expect(d2.page.getByTestId('current-ticket')).toBeVisible();
  await d1.context.setOffline(false);
  await d2.context.setOffline(false);
  await expectAllSynced(d1.page);
  await expectAllSynced(d2.page);

  // Exactly one room keeps the patient; the other says it lost.
  await expect
    .poll(
      async () =>
        (await d1.page.getByTestId('current-ticket').count()) +
        (await d2.page.getByTestId('current-ticket').count()),
      { timeout: 20_000 },
    )
    .toBe(1);
  const winner = (await d1.page.getByTestId('current-ticket').count()) === 1 ? d1 : d2;
  const loser = winner === d1 ? d2 : d1;
  await expect(loser.page.getByTestId('lost-race')).toContainText(/a été pris par le cabinet/);
  await expect(winner.page.getByTestId('lost-race')).toHaveCount(0);
  await expect(loser.page.getByRole('button', callNext)).toBeEnabled();
  // Reception sees the room serving the patient.
  const winnerRoom = winner === d1 ? '1' : '2';
  await expect(reception.page.locator(`[data-room="${winnerRoom}"]`)).toContainText(
    'Unique Patient',
  );

  await loser.page.screenshot({ path: testInfo.outputPath('room-lost.png') });
  await winner.page.getByRole('button', { name: 'Commencer' }).click();
  await expect(winner.page.getByText('En consultation depuis')).toBeVisible();
  await winner.page.screenshot({ path: testInfo.outputPath('room.png') });
  await winner.page.getByRole('button', { name: 'Terminer' }).click();
  await expect(winner.page.getByRole('button', callNext)).toBeVisible();
  await expect(reception.page.getByTestId('stat-statServed')).toContainText('1');
  for (const s of [reception, d1, d2]) await s.context.close();
});
