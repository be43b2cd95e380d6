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
  waitingRows,
} from './staff-helpers.js';

test('a receptionist offline and one online both add, edit and reorder; back online both queues are identical', async ({
  browser,
  server,
}, testInfo) => {
  const clinic = server.addClinic('offline');
  const a = await staffPage(browser, server, clinic, 'receptionist', 'Agnès Hors-ligne');
  const b = await staffPage(browser, server, clinic, 'receptionist', 'Benoît En-ligne');
  await expectSynced(a.page);
  await expectSynced(b.page);
  await addWalkIn(a.page, 'Patient Un');
  await addWalkIn(a.page, 'Patient Deux');
  await expect(row(b.page, 'Patient Deux')).toBeVisible();

  await a.context.setOffline(true);
  await expect(light(a.page)).toHaveAttribute('data-status', 'offline');
  await expect(light(a.page)).toHaveText(/Hors ligne/);

  // Offline side: add, rename, reorder.
  await addWalkIn(a.page, 'Hors Ligne Trois');
  await commitField(
    await openEntry(a.page, 'Patient Un'),
    'Nom du patient',
    'Patient Un (renommé)',
  );
  await row(a.page, 'Hors Ligne Trois').focus();
  await a.page.keyboard.press('Alt+ArrowUp');
  await a.page.keyboard.press('Alt+ArrowUp');
  await expect(light(a.page)).toContainText(/modifications? non synchronisées?/);
  await a.page.screenshot({ path: testInfo.outputPath('reception-offline.png') });

  // Online side at the same time: add, reorder.
  await addWalkIn(b.page, 'En Ligne Quatre');
  await row(b.page, 'Patient Deux').focus();
  await b.page.keyboard.press('Alt+ArrowUp');
  await expect(row(b.page, 'Hors Ligne Trois')).toHaveCount(0);

  await reconnect(a);
  await expectAllSynced(b.page);
  await expect
    .poll(async () => JSON.stringify(await waitingRows(a.page)), { timeout: 20_000 })
    .toBe(JSON.stringify(await waitingRows(b.page)));
  const rows = await waitingRows(b.page);
  expect(rows).toHaveLength(4);
  const names = rows.map((r) => r.split('|')[1]).sort();
  expect(names).toEqual(
    ['En Ligne Quatre', 'Hors Ligne Trois', 'Patient Deux', 'Patient Un (renommé)'].sort(),
  );
  const labels = rows.map((r) => r.split('|')[0]);
  expect(new Set(labels).size).toBe(4);
  await a.context.close();
  await b.context.close();
});
