import { expect, test } from './fixtures.js';
import {
  addWalkIn,
  commitField,
  expectAllSynced,
  expectSynced,
  openEntry,
  row,
  staffPage,
  waitingRows,
} from './staff-helpers.js';

test('two receptionists edit the same queue and see each other’s edits and presence', async ({
  browser,
  server,
}, testInfo) => {
  const clinic = server.addClinic('collab', 'Centre médical des Lilas');
  const a = await staffPage(browser, server, clinic, 'receptionist', 'Alice Accueil');
  const b = await staffPage(browser, server, clinic, 'receptionist', 'Bruno Accueil');
  await expect(a.page).toHaveURL(new RegExp(`/c/${clinic}/reception$`));
  await expectSynced(a.page);
  await expectSynced(b.page);

  // Presence: each sees the other online.
  await expect(a.page.getByTestId('online-list')).toContainText('Bruno Accueil');
  await expect(b.page.getByTestId('online-list')).toContainText('Alice Accueil');

  // A adds, B sees; B adds, A sees.
  await addWalkIn(a.page, 'Claire Dupont');
  await expect(row(b.page, 'Claire Dupont')).toBeVisible();
  await addWalkIn(b.page, 'David Leroy');
  await expect(row(a.page, 'David Leroy')).toBeVisible();

  // B edits Claire: A sees who edits it, then the new name and the shared notes.
  const panel = await openEntry(b.page, 'Claire Dupont');
  await expect(row(a.page, 'Claire Dupont')).toContainText('Bruno Accueil modifie');
  await commitField(panel, 'Nom du patient', 'Claire Dupont-Martin');
  await expect(row(a.page, 'Claire Dupont-Martin')).toBeVisible();
  await panel.getByRole('textbox', { name: 'Notes' }).fill('Allergie pénicilline');
  const notesOfA = (await openEntry(a.page, 'Claire Dupont-Martin')).getByRole('textbox', {
    name: 'Notes',
  });
  await expect(notesOfA).toHaveValue('Allergie pénicilline');
  await notesOfA.press('End');
  await notesOfA.pressSequentially(', asthme');
  await expect(panel.getByRole('textbox', { name: 'Notes' })).toHaveValue(
    'Allergie pénicilline, asthme',
  );

  // A reorders by keyboard (Alt+↑); B sees the new order.
  await row(a.page, 'David Leroy').focus();
  await a.page.keyboard.press('Alt+ArrowUp');
  await expect.poll(() => waitingRows(b.page)).toEqual(await waitingRows(a.page));
  expect((await waitingRows(b.page))[0]).toContain('David Leroy');

  await expectAllSynced(a.page);
  await expectAllSynced(b.page);
  await a.page.screenshot({ path: testInfo.outputPath('reception.png') });
  await a.context.close();
  await b.context.close();
});
