/**
 * The patient pages on small phones (320–414 px), in French and English:
 * nothing scrolls sideways, a four-digit ticket stays on one line, and the
 * page speaks the clinic's language until the patient picks one. Positions
 * follow the order rooms will call (SPEC W2): the API and the page agree.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { Page } from '@playwright/test';
import { addWalkIn, expect, joinUrl, staffDesk, PHONE, test } from './public-fixtures.js';
import type { QueueMedServer } from './fixtures.js';

/** Screenshots go to SHOTS_DIR when set (to look at them), else beside the test's results. */
const shotsDir = () => process.env.SHOTS_DIR ?? test.info().outputDir;
const WIDTHS = [320, 360, 414] as const;

/** Reception with the Vaccination service (5 min) and one named room, driven from Node. */
async function desk(server: QueueMedServer, clinic: string, opts?: { firstNumber?: number }) {
  const d = await staffDesk(server, clinic, { ...opts, blockSize: 60 });
  d.configureService({ id: 'vacc', name: 'Vaccination', prefix: 'V', defaultMinutes: 5 });
  d.nameRoom('1', 'Cabinet de consultation 1');
  return d;
}

/** What overflows the page: its horizontal scroll, and any element reaching past the right edge. */
async function overflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const root = document.documentElement;
    const width = root.clientWidth;
    const out: string[] = [];
    if (root.scrollWidth > width) out.push(`page scrolls: ${root.scrollWidth} > ${width}`);
    for (const el of document.querySelectorAll('main *')) {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.right > width + 0.5)
        out.push(
          `${el.tagName.toLowerCase()}.${el.className} "${(el.textContent ?? '').slice(0, 30)}" ends at ${Math.round(r.right)}`,
        );
    }
    return out;
  });
}

/** Lines a text element takes (its height over its line height). */
const lines = (page: Page, testId: string) =>
  page.getByTestId(testId).evaluate((el) => {
    const lh = parseFloat(getComputedStyle(el).lineHeight);
    return Math.round(el.getBoundingClientRect().height / lh);
  });

async function checkWidths(page: Page, state: string, locale: string): Promise<void> {
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 740 });
    expect(await overflow(page), `${state} ${locale} at ${width} px`).toEqual([]);
    if (await page.getByTestId('ticket-number').isVisible())
      expect(await lines(page, 'ticket-number'), `ticket on one line at ${width} px`).toBe(1);
    if (width !== 414)
      await page.screenshot({
        path: `${shotsDir()}/${state}-${locale}-${width}.png`,
        fullPage: true,
      });
  }
}

test('the patient pages never scroll sideways at 320, 360 and 414 px, in French and English, with a four-digit ticket', async ({
  browser,
  server,
}) => {
  test.setTimeout(120_000);
  fs.mkdirSync(shotsDir(), { recursive: true });
  const clinic = server.addClinic('layout', 'Maison de santé pluriprofessionnelle des Tilleuls');
  // Four-digit numbers, as a busy clinic reaches them.
  const d = await desk(server, clinic, { firstNumber: 2001 });
  for (let i = 0; i < 46; i++) d.add();
  const mine = d.add({ service: 'vacc' });
  expect(mine.label).toMatch(/^V-\d{4}$/);

  const context = await browser.newContext(PHONE);
  const page = await context.newPage();

  // The join page, with the service choice.
  await page.goto(await joinUrl(server, clinic));
  await expect(page.getByRole('radio', { name: 'Vaccination' })).toBeVisible();
  for (const locale of ['fr', 'en']) {
    if (locale === 'en') await page.getByRole('button', { name: 'Switch to English' }).click();
    await expect(page.locator('main')).toHaveAttribute('lang', locale);
    await checkWidths(page, 'join', locale);
  }
  await page.getByRole('button', { name: 'Passer en français' }).click();

  await page.goto(
    `${server.url}/ticket/${clinic}/${mine.entryId}#${server.token('patient', clinic)}`,
  );
  await expect(page.getByTestId('ticket-number')).toHaveText(mine.label);
  // 46 ahead: the 47th, and never "very soon".
  await expect(page.getByTestId('ticket-position')).toHaveText('47');
  await expect(page.getByTestId('ticket-wait')).not.toHaveText(/bientôt/);
  for (const locale of ['fr', 'en']) {
    if (locale === 'en') await page.getByRole('button', { name: 'Switch to English' }).click();
    await expect(page.getByTestId('ticket')).toHaveAttribute('lang', locale);
    await checkWidths(page, 'waiting', locale);
  }

  for (let i = 0; i < 46; i++) d.callNext('1');
  await expect(page.getByTestId('ticket-position')).toHaveText('You are next');
  await checkWidths(page, 'next', 'en');
  await page.getByRole('button', { name: 'Passer en français' }).click();
  await expect(page.getByTestId('ticket-position')).toHaveText('Vous êtes le prochain');
  await checkWidths(page, 'next', 'fr');

  expect(d.callNext('1').entryId).toBe(mine.entryId);
  await expect(page.getByTestId('your-turn')).toBeVisible();
  await checkWidths(page, 'called', 'fr');
  await page.getByRole('button', { name: 'Switch to English' }).click();
  await expect(page.getByTestId('your-turn')).toHaveText('It’s your turn');
  await checkWidths(page, 'called', 'en');

  d.destroy();
  await context.close();
});

test('a patient of an English-speaking clinic joins in English, and is told the place the rooms will really call her in', async ({
  browser,
  server,
}) => {
  test.setTimeout(90_000);
  const clinic = `t-${crypto.randomBytes(4).toString('hex')}`;
  server.cli('clinic', 'add', clinic, '--name', 'Riverside Practice', '--locale', 'en');
  const d = await desk(server, clinic);
  for (let i = 0; i < 6; i++) await addWalkIn(server, {}, clinic); // six Consultations

  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  await page.goto(await joinUrl(server, clinic));
  await expect(page.getByRole('heading', { name: 'Get a ticket' })).toBeVisible();
  await expect(page.locator('main')).toHaveAttribute('lang', 'en');
  await page.getByRole('radio', { name: 'Vaccination' }).check();
  await page.getByTestId('join-submit').click();

  await expect(page.getByTestId('ticket-number')).toHaveText(/^V-/);
  await expect(page.getByTestId('ticket')).toHaveAttribute('lang', 'en');
  // One room calls everyone in one shared order: six Consultations first.
  await expect(page.getByTestId('ticket-position')).toHaveText('7');
  await expect(page.getByTestId('ticket-wait')).toHaveText('≈ 1 h 00');

  // The API tells the next Vaccination patient the same kind of truth.
  const res = await fetch(`${(await joinUrl(server, clinic)).replace('/join/', '/api/join/')}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ service: 'vacc' }),
  });
  expect(res.status).toBe(201);
  const joined = (await res.json()) as { position: number; estimatedWaitMinutes: number };
  expect(joined).toMatchObject({ position: 8, estimatedWaitMinutes: 65 });

  // The patient's own choice wins over the clinic's language, across reloads.
  await page.getByRole('button', { name: 'Passer en français' }).click();
  await page.reload();
  await expect(page.getByTestId('ticket')).toHaveAttribute('lang', 'fr');
  await expect(page.getByTestId('ticket-position')).toHaveText('7');
  d.destroy();
  await context.close();
});
