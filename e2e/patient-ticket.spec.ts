import { expect, newClinic, PHONE, PHONE_VIEWPORT, staffDesk, test } from './public-fixtures.js';

test('the ticket page on a phone follows the ticket live: position and wait, your turn with the room, then a missed call', async ({
  browser,
  server,
}, testInfo) => {
  test.setTimeout(90_000);
  const clinic = newClinic(server);
  const desk = await staffDesk(server, clinic);
  const ahead = desk.add();
  const mine = desk.add();
  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  await page.goto(
    `${server.url}/ticket/${clinic}/${mine.entryId}#${server.token('patient', clinic)}`,
  );
  await expect(page.getByTestId('ticket-number')).toHaveText(mine.label);
  await expect(page.getByTestId('ticket-position')).toHaveText('2');
  await expect(page.getByTestId('ticket-wait')).toHaveText(/≈\s\d+\smin/); // a no-break space before min
  await page.screenshot({ path: testInfo.outputPath('patient-ticket-waiting.png') });

  desk.callNext('1');
  await expect(page.getByTestId('ticket-position')).toHaveText(/prochain/);
  expect(ahead.entryId).not.toBe(mine.entryId);

  desk.callNext('3');
  await expect(page.getByTestId('your-turn')).toBeVisible();
  await expect(page.getByTestId('ticket-room')).toHaveText('Salle 3');
  await page.screenshot({ path: testInfo.outputPath('patient-your-turn.png') });

  // The token was kept: the page reloads without its fragment.
  await page.goto(`${server.url}/ticket/${clinic}/${mine.entryId}`);
  await expect(page.getByTestId('your-turn')).toBeVisible();

  await page.getByRole('button', { name: 'Switch to English' }).click();
  await expect(page.getByTestId('your-turn')).toHaveText('It’s your turn');
  await expect(page.getByTestId('ticket-room')).toHaveText('Room 3');
  await page.getByRole('button', { name: 'Passer en français' }).click();

  const q = await import('../shared/queue/index.js');
  const r = q.markNoShow(
    desk.client.doc,
    { entryId: q.parseEntryId(mine.entryId) },
    { now: Date.now(), origin: q.localOrigin('e2e'), randomBytes: (n) => new Uint8Array(n) },
  );
  expect(r.ok).toBe(true);
  await expect(page.getByTestId('missed')).toContainText('accueil');
  await page.screenshot({ path: testInfo.outputPath('patient-missed.png') });
  desk.destroy();
  await context.close();
});

test('the join page shows the clinic, an optional name and the service choice, and says clearly why joining failed', async ({
  browser,
  server,
}, testInfo) => {
  const context = await browser.newContext({ viewport: PHONE_VIEWPORT, isMobile: true });
  const page = await context.newPage();
  let answer: { status: number; body: unknown; headers?: Record<string, string> } = {
    status: 409,
    body: { error: { code: 'queue-closed', message: 'closed' } },
  };
  await page.route('**/api/join/**', async (route) => {
    if (route.request().method() === 'GET')
      return route.fulfill({
        json: {
          clinic: { id: 'demo', name: 'Maison de santé des Tilleuls', locale: 'fr' },
          open: true,
          services: [
            { id: 'main', name: 'Consultation' },
            { id: 'vacc', name: 'Vaccination' },
          ],
        },
      });
    return route.fulfill({ status: answer.status, json: answer.body, headers: answer.headers });
  });
  await page.goto(`${server.url}/join/mocked-secret`);
  await expect(page.getByTestId('clinic-name')).toHaveText('Maison de santé des Tilleuls');
  await expect(page.getByRole('radio', { name: 'Consultation' })).toBeChecked();
  await page.getByRole('radio', { name: 'Vaccination' }).check();
  await page.screenshot({ path: testInfo.outputPath('patient-join.png') });

  await page.getByTestId('join-submit').click();
  await expect(page.getByTestId('join-error')).toContainText('fermée');

  answer = { status: 410, body: { error: { code: 'expired', message: 'expired' } } };
  await page.getByTestId('join-submit').click();
  await expect(page.getByTestId('join-error')).toContainText('expiré');

  answer = {
    status: 429,
    body: { error: { code: 'rate-limited', message: 'slow down' } },
    headers: { 'retry-after': '42' },
  };
  await page.getByTestId('join-submit').click();
  await expect(page.getByTestId('join-error')).toContainText(/Réessayez dans 4\d s/);
  await expect(page.getByTestId('join-submit')).toBeDisabled();
  await page.screenshot({ path: testInfo.outputPath('patient-join-429.png') });
  await context.close();
});
