/**
 * The relay as Chromium's own WebSocket sees it (the staff journeys cover
 * syncing through the app's sync layer).
 */
import { expect, test } from './fixtures.js';

const closeCode = (url: string) =>
  new Promise<number>((resolve) => {
    const ws = new WebSocket(url);
    ws.onclose = (e) => resolve(e.code);
  });

test('a display token on the staff document is refused with 4403', async ({ page, server }) => {
  const token = server.token('display');
  await page.goto('/display');
  const url = `${server.url.replace('http', 'ws')}/ws/staff:demo?token=${token}`;
  expect(await page.evaluate(closeCode, url)).toBe(4403);
});

test('an idle reader gets an application message well inside the client watchdog (15 s)', async ({
  page,
  server,
}) => {
  const token = server.token('display');
  await page.goto('/display');
  const url = `${server.url.replace('http', 'ws')}/ws/queue:demo?token=${token}`;
  const gaps = await page.evaluate(
    (u) =>
      new Promise<number[]>((resolve) => {
        const ws = new WebSocket(u);
        ws.binaryType = 'arraybuffer';
        const times: number[] = [];
        ws.onmessage = () => {
          times.push(Date.now());
          if (times.length === 3) {
            ws.close();
            resolve([times[2]! - times[1]!]);
          }
        };
      }),
    url,
  );
  for (const gap of gaps) expect(gap).toBeLessThan(15_000);
});
