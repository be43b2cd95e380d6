/**
 * What a clinic hit on its first morning (issue 11, staff screens): actions
 * that are hard to take back ask or can be undone, a doctor opens only a
 * configured room, a lost concurrent rename is told, and small wording.
 */
import path from 'node:path';
import type { Page, TestInfo } from '@playwright/test';
import { expect, test } from './fixtures.js';
import {
  addRooms,
  addWalkIn,
  commitField,
  expectAllSynced,
  expectSynced,
  light,
  openEntry,
  reconnect,
  row,
  staffPage,
} from './staff-helpers.js';

/** Screenshots go to SHOTS_DIR when set (to look at them), else beside the test's results. */
const shot = (page: Page, testInfo: TestInfo, name: string) =>
  page.screenshot({
    path: process.env.SHOTS_DIR
      ? path.join(process.env.SHOTS_DIR, name)
      : testInfo.outputPath(name),
  });

test('signing in logs no 401 and opens each document’s WebSocket once', async ({
  browser,
  server,
}) => {
  const clinic = server.addClinic('signin');
  const email = `signin-${process.pid}@${clinic}.e2e.test`;
  const account = server.addStaff(email, 'receptionist', { clinic, name: 'Sophie Accueil' });
  const context = await browser.newContext({ baseURL: server.url });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  const sockets: string[] = [];
  page.on('websocket', (ws) => sockets.push(new URL(ws.url()).pathname));
  await page.goto('/login');
  await page.getByLabel('Adresse e-mail').fill(account.email);
  await page.getByLabel('Mot de passe').fill(account.password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expectAllSynced(page);
  await expect(page.getByTestId('online-list')).toContainText('Sophie Accueil');
  expect(errors.filter((e) => /401|Unauthorized/.test(e))).toEqual([]);
  expect(sockets.sort()).toEqual([`/ws/queue:${clinic}`, `/ws/staff:${clinic}`]);
  // "Sophie Accueil (vous) · Réceptionniste · Accueil", not "Accueil · Accueil"
  await expect(page.getByTestId('online-list')).not.toContainText('Accueil · Accueil');
  await context.close();
});

test('closing the queue asks first, Escape backs out, and a cancelled ticket can be undone', async ({
  browser,
  server,
}, testInfo) => {
  const clinic = server.addClinic('undo');
  const a = await staffPage(browser, server, clinic, 'receptionist', 'Amélie Accueil');
  const { page } = a;
  await expectSynced(page);
  await addWalkIn(page, 'Claire Annulée');

  await page.getByRole('button', { name: 'Fermer la file' }).click();
  const ask = page.getByRole('group', { name: /Fermer la file \?/ });
  await expect(ask).toBeVisible();
  await shot(page, testInfo, 'reception-confirm-close.png');
  await expect(page.getByTestId('queue-state')).toHaveText('File ouverte');
  await page.keyboard.press('Escape');
  await expect(ask).toHaveCount(0);
  await expect(page.getByTestId('queue-state')).toHaveText('File ouverte');

  const panel = await openEntry(page, 'Claire Annulée');
  await panel.getByRole('button', { name: 'Annuler le ticket' }).click();
  await expect(row(page, 'Claire Annulée')).toHaveCount(0);
  const toast = page.getByTestId('undo-toast');
  await expect(toast).toContainText('annulé');
  await shot(page, testInfo, 'undo-toast.png');
  await toast.getByRole('button', { name: 'Rétablir' }).click();
  await expect(row(page, 'Claire Annulée')).toHaveCount(1);
  await expect(toast).toHaveCount(0);

  // Escape closes the ticket panel.
  await openEntry(page, 'Claire Annulée');
  await expect(page.locator('.entry-panel')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.locator('.entry-panel')).toHaveCount(0);

  await page.getByRole('button', { name: 'Fermer la file' }).click();
  await page
    .getByRole('group', { name: /Fermer la file \?/ })
    .getByRole('button', { name: 'Fermer la file' })
    .click();
  await expect(page.getByTestId('queue-state')).toHaveText('File fermée');
  await a.context.close();
});

test('a doctor opens only a configured room; a mistyped one says so; the room lists the rest of the queue', async ({
  browser,
  server,
}, testInfo) => {
  const clinic = server.addClinic('rooms');
  await addRooms(browser, server, clinic, [['1', 'Cabinet 1']]);
  const reception = await staffPage(browser, server, clinic, 'receptionist', 'Rose Accueil');
  const doctor = await staffPage(browser, server, clinic, 'doctor', 'Dr Martin');
  await expectSynced(reception.page);
  for (let i = 1; i <= 10; i++) await addWalkIn(reception.page, `Patient ${i}`);

  await doctor.page.goto(`/c/${clinic}/room/7`);
  await expect(doctor.page.getByTestId('unknown-room')).toContainText('« 7 »');
  await shot(doctor.page, testInfo, 'room-unknown.png');
  await expect(doctor.page.getByRole('button', { name: 'Appeler le suivant' })).toHaveCount(0);
  // No free-text room field for a doctor: only the configured rooms.
  await expect(doctor.page.getByRole('form', { name: 'Ajouter le cabinet' })).toHaveCount(0);
  await doctor.page.getByRole('button', { name: 'Cabinet 1' }).click();
  await expect(doctor.page.getByRole('heading', { level: 1 })).toHaveText('Cabinet 1');
  await expect(doctor.page.locator('.next-list li:not(.next-more)')).toHaveCount(8);
  await expect(doctor.page.getByTestId('next-more')).toHaveText('+ 2 autres');
  await doctor.page.getByRole('button', { name: 'Appeler le suivant' }).click();
  await doctor.page.getByRole('button', { name: 'Rappeler' }).click();
  await expect(doctor.page.getByTestId('current-patient')).toContainText('1 rappel');
  await expect(doctor.page.getByTestId('current-patient')).not.toContainText('rappel(s)');
  await shot(doctor.page, testInfo, 'room.png');
  await reception.context.close();
  await doctor.context.close();
});

test('the receptionist whose concurrent rename lost is told, and her field shows the winner', async ({
  browser,
  server,
}, testInfo) => {
  const clinic = server.addClinic('lost');
  const a = await staffPage(browser, server, clinic, 'receptionist', 'Agnès Accueil');
  const b = await staffPage(browser, server, clinic, 'receptionist', 'Benoît Accueil');
  await expectSynced(a.page);
  await addWalkIn(a.page, 'Claire Martin');
  await expect(row(b.page, 'Claire Martin')).toBeVisible();
  const panelA = await openEntry(a.page, 'Claire Martin');
  const panelB = await openEntry(b.page, 'Claire Martin');

  await a.context.setOffline(true);
  await expect(light(a.page)).toHaveAttribute('data-status', 'offline');
  await commitField(panelA, 'Nom du patient', 'Claire Martin-Dupont');
  await commitField(panelB, 'Nom du patient', 'Claire Dupont');
  await expectAllSynced(b.page);
  await reconnect(a);
  await expectAllSynced(b.page);

  // Both end with the same name; exactly one of them is told that hers lost.
  await expect
    .poll(
      async () =>
        (await a.page.getByTestId('lost-edit').count()) +
        (await b.page.getByTestId('lost-edit').count()),
      {
        timeout: 20_000,
      },
    )
    .toBe(1);
  const loser = (await a.page.getByTestId('lost-edit').count()) === 1 ? a : b;
  const winnerName = loser === a ? 'Claire Dupont' : 'Claire Martin-Dupont';
  const loserPanel = loser === a ? panelA : panelB;
  await expect(loser.page.getByTestId('lost-edit')).toContainText(winnerName);
  // Her field, still focused after Enter, shows the winner rather than her own text.
  await expect(loserPanel.getByLabel('Nom du patient')).toHaveValue(winnerName);
  await shot(loser.page, testInfo, 'lost-edit.png');
  await a.context.close();
  await b.context.close();
});

test('a colleague whose presence stops being renewed is dimmed, not shown as editing', async ({
  browser,
  server,
}, testInfo) => {
  test.setTimeout(90_000);
  const clinic = server.addClinic('stale');
  const a = await staffPage(browser, server, clinic, 'receptionist', 'Agnès Accueil');
  const b = await staffPage(browser, server, clinic, 'receptionist', 'Benoît Accueil');
  await expectSynced(a.page);
  await addWalkIn(a.page, 'Claire Martin');
  await openEntry(b.page, 'Claire Martin');
  await expect(row(a.page, 'Claire Martin')).toContainText('Benoît Accueil modifie');
  const benoit = a.page.locator(`.presence-person[data-user]`, { hasText: 'BA' });
  await expect(benoit).not.toHaveAttribute('data-stale', 'true');
  // Benoît's tab stops renewing its presence while its socket stays open,
  // as a machine that froze or lost its network without closing would.
  await b.page.evaluate(() => {
    const s = (
      window as unknown as {
        __queuemed: { staffDoc: { provider: { awareness: { _checkInterval: number } } } };
      }
    ).__queuemed;
    clearInterval(s.staffDoc.provider.awareness._checkInterval);
  });
  await expect(benoit).toHaveAttribute('data-stale', 'true', { timeout: 40_000 });
  await expect(row(a.page, 'Claire Martin')).not.toContainText('Benoît Accueil modifie');
  await expect(a.page.getByTestId('online-list')).toContainText('sans nouvelles');
  await shot(a.page, testInfo, 'reception-stale-colleague.png');
  await a.context.close();
  await b.context.close();
});
