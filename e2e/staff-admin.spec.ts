import { expect, test } from './fixtures.js';
import { expectSynced, staffPage } from './staff-helpers.js';

test('an admin configures rooms and services and sees the staff of the clinic', async ({
  browser,
  server,
}, testInfo) => {
  const clinic = server.addClinic('admin', 'Maison de santé du Parc');
  const admin = await staffPage(browser, server, clinic, 'admin', 'Nadia Admin');
  const { page } = admin;
  await expect(page).toHaveURL(new RegExp(`/c/${clinic}/reception$`));
  await page.getByRole('link', { name: 'Administration' }).click();
  await expectSynced(page);

  const rooms = page.locator('#rooms');
  await rooms.getByLabel('Numéro').fill('3');
  await rooms.getByLabel('Nom affiché').fill('Cabinet 3');
  await rooms.getByRole('button', { name: 'Ajouter le cabinet' }).click();
  await expect(rooms.getByRole('cell', { name: 'Cabinet 3', exact: true })).toBeVisible();

  const services = page.locator('#services');
  await services.getByLabel('Identifiant').fill('vaccins');
  await services.getByLabel('Nom public').fill('Vaccination');
  await services.getByLabel('Lettre').fill('V');
  await services.getByRole('button', { name: 'Ajouter le service' }).click();
  await expect(services.getByRole('cell', { name: 'Vaccination (vaccins)' })).toBeVisible();

  // Mistakes are refused in plain words, and what was typed stays to be corrected.
  await services.getByLabel('Identifiant').fill('labo');
  await services.getByLabel('Nom public').fill('Laboratoire');
  await services.getByLabel('Lettre').fill('V');
  await services.getByRole('button', { name: 'Ajouter le service' }).click();
  await expect(services.getByRole('alert')).toContainText(
    'La lettre V est déjà celle du service « Vaccination »',
  );
  await expect(services.getByLabel('Identifiant')).toHaveValue('labo');
  await rooms.getByLabel('Numéro').fill('salle du fond');
  await rooms.getByRole('button', { name: 'Ajouter le cabinet' }).click();
  await expect(rooms.getByRole('alert')).toContainText('1 à 8 lettres ou chiffres');
  await rooms.getByLabel('Numéro').fill('4');
  await rooms.getByLabel('Nom affiché').fill('cabinet 3');
  await rooms.getByRole('button', { name: 'Ajouter le cabinet' }).click();
  await expect(rooms.getByRole('alert')).toContainText('s’appelle déjà « Cabinet 3 »');
  await expect(rooms.getByRole('cell', { name: '4', exact: true })).toHaveCount(0);

  await expect(page.locator('#staff')).toContainText('Nadia Admin');
  await page.screenshot({ path: testInfo.outputPath('admin.png'), fullPage: true });

  // The room shows up in the room picker of the Room screen.
  await page.getByRole('link', { name: 'Cabinet' }).click();
  await expect(page.getByRole('button', { name: 'Cabinet 3' })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('room-chooser.png') });
  await admin.context.close();
});
