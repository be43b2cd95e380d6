/**
 * The address phones use (issue 11): Admin shows it and warns when phones
 * cannot use it; an insecure origin says what does not work there; a
 * regenerated link reaches an open display within seconds.
 */
import { chromium } from '@playwright/test';
import { staffPage } from './staff-helpers.js';
import { expect, joinUrl, newClinic, openPairedDisplay, PHONE, test } from './public-fixtures.js';

const SHOTS = process.env.SHOTS_DIR;
const shot = (name: string, fallback: string) => (SHOTS ? `${SHOTS}/${name}` : fallback);

test('after “Régénérer le lien” in Admin, an open display switches to the new QR code within seconds', async ({
  browser,
  server,
}, testInfo) => {
  test.setTimeout(120_000);
  const clinic = newClinic(server);
  const display = await openPairedDisplay(browser, server, clinic);
  const qr = display.page.getByTestId('join-qr');
  await expect(qr).toHaveAttribute('aria-label', /\/join\/[A-Za-z0-9_-]{16}$/);
  const before = (await qr.getAttribute('aria-label'))!;

  const admin = await staffPage(browser, server, clinic, 'admin', 'Nadia Admin');
  await admin.page.goto(`/c/${clinic}/admin`);
  const daily = admin.page.getByTestId('join-daily');
  await expect(daily.locator('a')).toHaveText(before);
  admin.page.once('dialog', (d) => void d.accept());
  await daily.getByRole('button', { name: 'Régénérer le lien' }).click();
  await expect(daily.locator('a')).not.toHaveText(before);
  const after = (await daily.locator('a').textContent())!;
  const regeneratedAt = Date.now();

  // The display follows: the public doc carried the new version, the display fetched the link.
  await expect(qr).toHaveAttribute('aria-label', after, { timeout: 10_000 });
  testInfo.annotations.push({
    type: 'display followed the new link',
    description: `${Date.now() - regeneratedAt} ms after the admin saw it`,
  });
  await display.page.screenshot({
    path: shot('display-after-regenerate.png', testInfo.outputPath('display.png')),
  });

  // The poster link is separate, and survives the daily regeneration.
  const poster = admin.page.getByTestId('join-poster');
  await expect(poster.locator('a')).toHaveText(/\/join\/p\/[A-Za-z0-9_-]{16}$/);
  const posterUrl = new URL((await poster.locator('a').textContent())!);
  const phone = await browser.newContext(PHONE);
  const page = await phone.newPage();
  await page.goto(`${server.url}${posterUrl.pathname}`);
  await expect(page.getByRole('button', { name: /Prendre un ticket|ticket/i })).toBeVisible();
  await phone.close();

  await admin.context.close();
  await display.context.close();
});

test('Admin opened on localhost says loudly that phones cannot join, and suggests the LAN address', async ({
  browser,
  server,
}, testInfo) => {
  const clinic = newClinic(server);
  const admin = await staffPage(browser, server, clinic, 'admin', 'Nadia Admin');
  // staffPage opens the server at 127.0.0.1: a loopback address.
  await admin.page.goto(`/c/${clinic}/admin`);
  const address = admin.page.getByTestId('join-address');
  await expect(address).toContainText(new URL(server.url).host);
  await expect(admin.page.getByTestId('join-loopback')).toContainText(
    'Les patients ne pourront pas rejoindre la file',
  );
  await admin.page.locator('#join').screenshot({
    path: shot('admin-join-loopback.png', testInfo.outputPath('admin-join-loopback.png')),
  });
  // Printed: the poster alone, with its heading and link.
  await admin.page.emulateMedia({ media: 'print' });
  await expect(admin.page.getByTestId('join-daily')).toBeHidden();
  await expect(admin.page.getByText('Scannez pour prendre un ticket')).toBeVisible();
  await admin.page.screenshot({
    path: shot('admin-poster-print.png', testInfo.outputPath('admin-poster-print.png')),
    fullPage: true,
  });
  await admin.context.close();
});

test('on an insecure address (http://clinic.test), the patient page and Admin say what does not work and why', async ({
  server,
}, testInfo) => {
  test.setTimeout(120_000);
  const port = new URL(server.url).port;
  const origin = `http://clinic.test:${port}`;
  // A LAN-like host name resolved to this machine: not https, not localhost.
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--host-resolver-rules=MAP clinic.test 127.0.0.1'],
  });
  try {
    const clinic = newClinic(server);
    const join = new URL(await joinUrl(server, clinic));
    const res = await fetch(`${server.url}${join.pathname.replace(/^\/join/, '/api/join')}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', host: `clinic.test:${port}` },
      body: '{}',
    });
    expect(res.status).toBe(201);
    const ticket = new URL(((await res.json()) as { url: string }).url);

    const phone = await browser.newContext(PHONE);
    const page = await phone.newPage();
    await page.goto(`${origin}${ticket.pathname}${ticket.hash}`);
    expect(await page.evaluate(() => window.isSecureContext)).toBe(false);
    const notice = page.getByTestId('insecure-origin');
    await expect(notice).toContainText('Pas de notification sur cette adresse');
    await expect(notice).toContainText('https');
    // Nothing overflows a 360 px phone with the notice on it.
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
    ).toBe(true);
    await page.screenshot({
      path: shot('patient-insecure-360.png', testInfo.outputPath('patient-insecure.png')),
      fullPage: true,
    });
    await phone.close();

    const account = server.addStaff(`admin-insecure-${Date.now()}@e2e.test`, 'admin', { clinic });
    const desk = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const admin = await desk.newPage();
    await admin.goto(`${origin}/login`);
    await admin.getByLabel(/Adresse e-mail|Email address/).fill(account.email);
    await admin.getByLabel(/Mot de passe|Password/).fill(account.password);
    await admin.getByRole('button', { name: /Se connecter|Sign in/ }).click();
    await expect(admin).not.toHaveURL(/\/login/);
    await admin.goto(`${origin}/c/${clinic}/admin`);
    const address = admin.getByTestId('join-address');
    await expect(address).toContainText(origin);
    await expect(admin.getByTestId('join-loopback')).toHaveCount(0);
    await expect(address.getByTestId('insecure-origin')).toContainText('Adresse non sécurisée');
    await expect(admin.getByTestId('join-daily').locator('a')).toHaveText(
      new RegExp(`^${origin.replace(/\./g, '\\.')}/join/`),
    );
    await admin.locator('#join').screenshot({
      path: shot('admin-join-insecure.png', testInfo.outputPath('admin-join-insecure.png')),
    });
    await desk.close();
  } finally {
    await browser.close();
  }
});
