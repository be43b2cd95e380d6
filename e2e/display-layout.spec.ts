/**
 * The display read from across the room (issue 11): long clinic and room
 * names, four-digit tickets, several calls at once, three TV sizes. Every
 * text must be inside the viewport and inside every box that clips it (no
 * cut-off "Dr Mor"), and tickets and rooms must keep a size readable at 3 m:
 * at least 48 px on a 1080-line screen (4.4 % of the height, so 31 px at
 * 720), every other text (the next tickets' estimated waits among them) at
 * least 28 px at 1080 (2.6 %).
 */
import fs from 'node:fs';
import type { Page } from '@playwright/test';
import {
  api,
  expect,
  newClinic,
  openDisplayWithToken,
  staffDesk,
  test,
  type StaffDesk,
} from './public-fixtures.js';

const SHOTS = process.env.SHOTS_DIR;
const PRIMARY_MIN = 48 / 1080;
const SECONDARY_MIN = 28 / 1080;
const SIZES = [
  { width: 1920, height: 1080 },
  { width: 1366, height: 768 },
  { width: 1280, height: 720 },
] as const;

interface TextProblem {
  text: string;
  problem: string;
}

/** Every visible text of the display that is cut, outside the screen, or too small. */
function textProblems(page: Page): Promise<TextProblem[]> {
  return page.evaluate(
    ({ primaryMin, secondaryMin }) => {
      const problems: { text: string; problem: string }[] = [];
      const vh = window.innerHeight;
      const root = document.querySelector('[data-testid="display"]')!;
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      const primary =
        '.display-ticket, .display-room, [data-testid="display-history"], [data-testid="next-ticket"]';
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent?.trim() ?? '';
        const el = node.parentElement;
        if (!text || !el) continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        const rects = [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0);
        if (rects.length === 0) continue; // not rendered
        const box = {
          left: Math.min(...rects.map((r) => r.left)),
          top: Math.min(...rects.map((r) => r.top)),
          right: Math.max(...rects.map((r) => r.right)),
          bottom: Math.max(...rects.map((r) => r.bottom)),
        };
        type Box = { left: number; top: number; right: number; bottom: number };
        // A glyph box is taller than a tight line (line-height 1.1): allow that much, not a line.
        const size = parseFloat(getComputedStyle(el).fontSize);
        const slack = Math.max(1, 0.15 * size);
        const outside = (c: Box) =>
          box.left < c.left - 1 ||
          box.top < c.top - slack ||
          box.right > c.right + 1 ||
          box.bottom > c.bottom + slack;
        const disjoint = (c: Box) =>
          box.right <= c.left || box.left >= c.right || box.bottom <= c.top || box.top >= c.bottom;
        // A text wholly outside a box that clips it is hidden on purpose (the next
        // tickets that do not fit on their row); one partly outside is cut.
        const clips: Element[] = [];
        for (let a: Element | null = el; a && a !== document.body; a = a.parentElement) {
          const cs = getComputedStyle(a);
          if (cs.overflowX !== 'visible' || cs.overflowY !== 'visible') clips.push(a);
        }
        if (clips.some((a) => disjoint(a.getBoundingClientRect()))) continue;
        if (outside({ left: 0, top: 0, right: window.innerWidth, bottom: vh }))
          problems.push({ text, problem: `outside the viewport ${JSON.stringify(box)}` });
        for (const a of clips)
          if (outside(a.getBoundingClientRect()))
            problems.push({ text, problem: `clipped by ${a.className || a.tagName}` });
        if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible')
          problems.push({
            text,
            problem: `overflows its box (${el.scrollWidth}>${el.clientWidth})`,
          });
        const min = (el.closest(primary) ? primaryMin : secondaryMin) * vh;
        if (size < min - 0.5)
          problems.push({ text, problem: `${size.toFixed(1)} px < ${min.toFixed(1)} px` });
      }
      return problems;
    },
    { primaryMin: PRIMARY_MIN, secondaryMin: SECONDARY_MIN },
  );
}

/** How many of the next tickets are on screen (the others wrapped out of sight). */
const visibleNext = (page: Page) =>
  page.getByTestId('display-next').evaluate((ol) => {
    const box = ol.getBoundingClientRect();
    return [...ol.children].filter((li) => li.getBoundingClientRect().bottom <= box.bottom + 1)
      .length;
  });

async function checkEverySize(page: Page, name: string) {
  for (const size of SIZES) {
    await page.setViewportSize(size);
    if (await page.getByTestId('display-next').isVisible())
      expect
        .soft(await visibleNext(page), `next tickets shown at ${size.width}`)
        .toBeGreaterThanOrEqual(6);
    await expect
      .soft(async () =>
        expect(await textProblems(page), `${name} at ${size.width}×${size.height}`).toEqual([]),
      )
      .toPass({ timeout: 10_000 });
    if (SHOTS) {
      fs.mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: `${SHOTS}/display-${name}-${size.width}x${size.height}.png` });
    }
  }
  await page.setViewportSize(SIZES[0]);
}

async function longNamesClinic(server: Parameters<typeof staffDesk>[0]) {
  const clinic = newClinic(server, 'Maison de santé pluriprofessionnelle des Tilleuls');
  const desk = await staffDesk(server, clinic, { firstNumber: 1000 });
  desk.nameRoom('1', 'Cabinet du Dr Morel-Lefebvre');
  desk.nameRoom('2', 'Salle de soins infirmiers — rez-de-chaussée');
  desk.nameRoom('3', 'Radiologie et échographie');
  const tickets = Array.from({ length: 28 }, () => desk.add());
  return { clinic, desk, tickets };
}

const MIN = 60_000;
function morning(desk: StaffDesk) {
  // Three calls from earlier in the morning, then one now.
  const t = Date.now();
  desk.callNext('1', { at: t - 9 * MIN });
  desk.callNext('2', { at: t - 6 * MIN });
  desk.callNext('3', { at: t - 3 * MIN });
  return desk.callNext('1');
}

test('with long names and four-digit tickets, no text of the display is cut and every text is readable at 3 m, at 1080p, 768p and 720p', async ({
  browser,
  server,
}) => {
  test.setTimeout(120_000);
  const { clinic, desk, tickets } = await longNamesClinic(server);
  const { page, context } = await openDisplayWithToken(
    browser,
    server,
    server.token('display', clinic),
    clinic,
  );
  await expect(page.getByTestId('display-next')).toContainText(tickets[0]!.label);
  await checkEverySize(page, 'waiting');

  const now = morning(desk);
  await expect(page.getByTestId('current-ticket')).toHaveText(now.label);
  await expect(page.getByTestId('display-history').locator('li')).toHaveCount(3);
  await checkEverySize(page, 'one-call');

  // Two more rooms call within a second: three calls shown big at once.
  desk.callNext('2');
  desk.callNext('3');
  await expect(page.getByTestId('featured-call')).toHaveCount(3);
  await checkEverySize(page, 'three-calls');

  // The same screen in English.
  await api(server, 'PATCH', `/api/clinics/${clinic}`, { locale: 'en' });
  await expect(page.getByTestId('display')).toHaveAttribute('lang', 'en');
  await expect(page.locator('.conn')).toHaveText('Synced');
  await checkEverySize(page, 'english');

  desk.destroy();
  await context.close();
});
