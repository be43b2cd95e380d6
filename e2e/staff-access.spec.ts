import { expect, login, test } from './fixtures.js';

test('signed-out users are sent to the login page', async ({ page }, testInfo) => {
  await page.goto('/c/demo/reception');
  await expect(page).toHaveURL(/\/login\?next=%2Fc%2Fdemo%2Freception$/);
  await expect(page.getByRole('heading', { name: 'Connexion à l’espace équipe' })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('login.png') });
  await page.goto('/');
  await expect(page).toHaveURL(/\/login$/);
});

test('a wrong password is refused with a clear message', async ({ page, server }) => {
  const account = server.addStaff(`wrong-${process.pid}@demo.e2e.test`, 'receptionist');
  await page.goto('/login');
  await page.getByLabel('Adresse e-mail').fill(account.email);
  await page.getByLabel('Mot de passe').fill('not the password');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('alert')).toHaveText('E-mail ou mot de passe incorrect.');
});

test('a doctor of clinic A cannot open clinic B', async ({ page, server }) => {
  const a = server.addClinic('clinic-a', 'Clinique A');
  const b = server.addClinic('clinic-b', 'Clinique B');
  const doctor = server.addStaff(`doctor-${process.pid}@a.e2e.test`, 'doctor', {
    clinic: a,
    name: 'Dr Anne',
  });
  await page.goto('/login');
  await login(page, doctor.email, doctor.password);
  await expect(page).toHaveURL(new RegExp(`/c/${a}/room$`));

  await page.goto(`/c/${b}/reception`);
  await expect(
    page.getByRole('heading', { name: 'Vous n’avez pas accès à cette clinique.' }),
  ).toBeVisible();
  await page.goto(`/c/${a}/admin`);
  await expect(page.getByRole('heading', { name: /Votre rôle ne donne pas accès/ })).toBeVisible();
  // The relay refuses the other clinic's documents too, whatever the page does.
  const code = await page.evaluate(
    (doc) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(`${location.origin.replace('http', 'ws')}/ws/${doc}`);
        ws.onclose = (e) => resolve(e.code);
      }),
    `staff:${b}`,
  );
  expect(code).toBe(4403);
});

test('signing out clears the local copies and returns to the login page', async ({
  page,
  server,
}) => {
  const clinic = server.addClinic('logout');
  const r = server.addStaff(`logout-${process.pid}@e2e.test`, 'receptionist', {
    clinic,
    name: 'Léa',
  });
  await page.goto('/login');
  await login(page, r.email, r.password);
  await expect(page.locator('.topbar [role="status"]')).toHaveAttribute('data-status', 'synced');
  const before = await page.evaluate(async () =>
    (await indexedDB.databases()).map((d) => d.name).filter((n) => n?.startsWith('queuemed:u:')),
  );
  expect(before.length).toBe(2);
  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await expect(page).toHaveURL(/\/login/);
  const after = await page.evaluate(async () =>
    (await indexedDB.databases()).map((d) => d.name).filter((n) => n?.startsWith('queuemed:u:')),
  );
  expect(after).toEqual([]);
  await page.goto(`/c/${clinic}/reception`);
  await expect(page).toHaveURL(/\/login/);
});
