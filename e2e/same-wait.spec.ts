/**
 * Invariant 5 with device clocks that disagree: position and estimated wait
 * are pure functions of the public doc and the server's clock (SPEC I5, W1,
 * W2), so one ticket at one moment has the same place and the same estimated
 * wait on reception, on the display and on the patient's phone — the wait of
 * the server's clock, not of the device's own. Reception's clock is right, the
 * display runs 3 minutes fast, the phone 4 minutes slow (Playwright's clock,
 * which keeps flowing, installed before their first page).
 *
 * The three screens are read together and checked against the call plan
 * computed from the same doc at the server's time (the server runs on this
 * machine) at the start and at the end of the reads; when those two differ a
 * minute boundary fell between the reads, and the screens are read again.
 * Then time alone moves the wait past a minute boundary: every screen derives
 * again on its own tick, at the same multiples of 15 s of the server's clock
 * (stores/doc-store.ts), and the three move together.
 */
import type { Browser, BrowserContextOptions, Page } from '@playwright/test';
import {
  expect,
  newClinic,
  openDisplayWithToken,
  PHONE,
  staffDesk,
  test,
} from './public-fixtures.js';
import { expectSynced, staffPage } from './staff-helpers.js';

const DISPLAY_SKEW_MS = 3 * 60_000;
const PHONE_SKEW_MS = -4 * 60_000;

/** `browser`, whose new contexts run a clock `skewMs` off from their first page on. */
function skewedBrowser(browser: Browser, skewMs: number): Browser {
  return Object.create(browser, {
    newContext: {
      value: async (options?: BrowserContextOptions) => {
        const context = await browser.newContext(options);
        await context.clock.install({ time: Date.now() + skewMs });
        return context;
      },
    },
  }) as Browser;
}

/** How far the page's clock is from this machine's, in whole minutes. */
const skewMinutes = async (page: Page) =>
  Math.round(((await page.evaluate(() => Date.now())) - Date.now()) / 60_000) || 0; // not -0

interface Shown {
  readonly position: number;
  readonly wait: string;
}

/** What every screen says of a wait of `minutes` (app/src/i18n/wait.ts; French, under an hour). */
const frenchWait = (minutes: number) => (minutes < 1 ? 'Très bientôt' : `≈ ${minutes}\u00a0min`);

/** How often every screen derives time-based values again (reception, display, phone). */
const TICK_MS = 15_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

test('a ticket has the same place and the same estimated wait on reception, a display 3 min fast and a phone 4 min slow, by the server clock', async ({
  browser,
  server,
}) => {
  test.setTimeout(180_000);
  const q = await import('../shared/queue/index.js');
  const clinic = newClinic(server);
  const desk = await staffDesk(server, clinic);
  const first = desk.add();
  desk.add();
  desk.add();
  const mine = desk.add();

  const reception = await staffPage(browser, server, clinic, 'receptionist', 'Rose Accueil');
  await reception.page.goto(`/c/${clinic}/reception`);
  await expectSynced(reception.page);
  const display = await openDisplayWithToken(
    skewedBrowser(browser, DISPLAY_SKEW_MS),
    server,
    server.token('display', clinic),
    clinic,
  );
  const phoneContext = await skewedBrowser(browser, PHONE_SKEW_MS).newContext(PHONE);
  const phone = await phoneContext.newPage();
  await phone.goto(
    `${server.url}/ticket/${clinic}/${mine.entryId}#${server.token('patient', clinic)}`,
  );
  await expect(phone.getByTestId('ticket-number')).toHaveText(mine.label);
  expect(await skewMinutes(reception.page)).toBe(0);
  expect(await skewMinutes(display.page)).toBe(3);
  expect(await skewMinutes(phone)).toBe(-4);

  // Room 1 called the first ticket 2 min 15 s ago: with Consultation's 10
  // minutes it is free in 7 min 45 s, then calls one ticket every 10 minutes.
  // The third waiting ticket is called in 27 min 45 s by the server's clock
  // (≈ 28 min for the next 15 s, then ≈ 27 min), in 31 min 45 s by the
  // phone's own and in 24 min 45 s by the display's.
  const called = desk.callNext('1', { at: Date.now() - 135_000 });
  expect(called.entryId).toBe(first.entryId);
  const id = q.parseEntryId(mine.entryId);
  /** Place and wait by the server's clock at `at` (the plan every screen derives). */
  const planned = (at: number): Shown => ({
    position: q.position(desk.client.doc, id, at)!,
    wait: frenchWait(q.waitMinutes(q.estimatedWait(desk.client.doc, id, at)!)),
  });
  expect(planned(Date.now())).toEqual({ position: 3, wait: '≈ 28\u00a0min' });

  const row = reception.page
    .getByTestId('waiting-list')
    .locator(`tbody tr[data-label="${mine.label}"]`);
  const readReception = async (): Promise<Shown> => ({
    position: Number(await row.locator('.pos').textContent()),
    wait: (await row.getByTestId('waiting-estimate').textContent()) ?? '',
  });
  const readDisplay = () =>
    display.page.getByTestId('display-next').evaluate((ol, label): Shown => {
      const items = [...ol.querySelectorAll('li')];
      const i = items.findIndex((li) => li.dataset.label === label);
      const wait = items[i]?.querySelector('[data-testid="next-wait"]')?.textContent ?? '';
      return { position: i + 1, wait };
    }, mine.label);
  const readPhone = async (): Promise<Shown> => ({
    position: Number(await phone.getByTestId('ticket-position').textContent()),
    wait: (await phone.getByTestId('ticket-wait').textContent()) ?? '',
  });

  /** The three screens, read together, show the plan's place and wait. */
  const expectSameOnThree = (timeout: number) =>
    expect(async () => {
      // The three screens read together, between two readings of the server's clock.
      const before = Date.now();
      const [onReception, onDisplay, onPhone] = await Promise.all([
        readReception(),
        readDisplay(),
        readPhone(),
      ]);
      const expected = planned(before);
      // A minute boundary fell between the reads: read them again.
      expect(planned(Date.now()), 'no minute boundary between the reads').toEqual(expected);
      expect({ reception: onReception, display: onDisplay, phone: onPhone }).toEqual({
        reception: expected,
        display: expected,
        phone: expected,
      });
    }).toPass({ timeout });
  await expectSameOnThree(10_000);

  // No doc change now: the next minute boundary of the wait by the server's
  // clock, then one tick, and the three screens have moved together.
  const now = Date.now();
  const ms = q.estimatedWait(desk.client.doc, id, now)!.ms;
  const boundary = now + ms - (Math.round(ms / 60_000) - 0.5) * 60_000;
  const shownBefore = planned(now).wait;
  await sleep(boundary + TICK_MS + 1_500 - Date.now());
  expect(planned(Date.now()).wait).not.toBe(shownBefore);
  await expectSameOnThree(3_000);

  desk.destroy();
  for (const c of [phoneContext, display.context, reception.context]) await c.close();
});
