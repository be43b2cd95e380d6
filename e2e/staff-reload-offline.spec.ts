import { expect, test } from './fixtures.js';
import {
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

test('the reception page reloaded while offline still shows the queue, and its edits sync when the network returns', async ({
  browser,
  server,
}, testInfo) => {
  const clinic = server.addClinic('reload');
  const a = await staffPage(browser, server, clinic, 'receptionist', 'Amélie Accueil');
  const b = await staffPage(browser, server, clinic, 'receptionist', 'Basile Accueil');
  await expectSynced(a.page);
  await addWalkIn(a.page, 'Gabriel Avant');
  await addWalkIn(a.page, 'Hélène Avant');
  await expectAllSynced(a.page);
  // The service worker has taken control, so the shell is cached.
  await a.page.waitForFunction(async () => {
    await navigator.serviceWorker.ready;
    return navigator.serviceWorker.controller !== null;
  });

  await a.context.setOffline(true);
  await a.page.reload();
  await expect(row(a.page, 'Gabriel Avant')).toBeVisible({ timeout: 20_000 });
  await expect(row(a.page, 'Hélène Avant')).toBeVisible();
  await expect(light(a.page)).toHaveAttribute('data-status', 'offline');
  await expect(a.page.getByText('Hors ligne — données locales affichées')).toBeVisible();

  await addWalkIn(a.page, 'Inès Hors-ligne');
  await commitField(await openEntry(a.page, 'Gabriel Avant'), 'Téléphone', '06 12 34 56 78');
  await expect(light(a.page)).toContainText(/non synchronisée/);
  await a.page.screenshot({ path: testInfo.outputPath('reception-reloaded-offline.png') });
  await expect(row(b.page, 'Inès Hors-ligne')).toHaveCount(0);

  await reconnect(a);
  await expect(a.page.getByText('Hors ligne — données locales affichées')).toHaveCount(0);
  await expect(row(b.page, 'Inès Hors-ligne')).toBeVisible({ timeout: 20_000 });
  const panel = await openEntry(b.page, 'Gabriel Avant');
  await expect(panel.getByLabel('Téléphone')).toHaveValue('06 12 34 56 78');
  await a.context.close();
  await b.context.close();
});

test('the unsynced counter counts the tickets touched, and still does after a reload while offline', async ({
  browser,
  server,
}, testInfo) => {
  const clinic = server.addClinic('unsynced');
  const a = await staffPage(browser, server, clinic, 'receptionist', 'Amélie Accueil');
  await expectAllSynced(a.page);
  await a.page.waitForFunction(async () => {
    await navigator.serviceWorker.ready;
    return navigator.serviceWorker.controller !== null;
  });

  await a.context.setOffline(true);
  await expect(light(a.page)).toHaveAttribute('data-status', 'offline');
  await addWalkIn(a.page, 'Claire Sans-Réseau');
  await addWalkIn(a.page, 'David Sans-Réseau');
  const panel = await openEntry(a.page, 'Claire Sans-Réseau');
  await panel.getByRole('textbox', { name: 'Notes' }).pressSequentially('Allergie pénicilline');
  await expect(light(a.page)).toHaveAttribute('data-unsynced', '2');
  await expect(light(a.page)).toContainText('2 modifications non synchronisées');

  await a.page.reload();
  await expect(row(a.page, 'Claire Sans-Réseau')).toBeVisible({ timeout: 20_000 });
  await expect(light(a.page)).toHaveAttribute('data-status', 'offline');
  await expect(light(a.page)).toHaveAttribute('data-unsynced', '2', { timeout: 20_000 });
  await expect(light(a.page)).toContainText('2 modifications non synchronisées');
  await a.page.screenshot({ path: testInfo.outputPath('unsynced-after-reload.png') });

  await reconnect(a);
  await expect(light(a.page)).not.toContainText('non synchronisée');
  await a.context.close();
});
