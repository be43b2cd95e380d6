import { expect, test } from './fixtures.js';

interface Inspected {
  __queuemed: { doc: { getMap(name: string): { set(k: string, v: unknown): void } } };
}

test('two Chromium pages sync a document through the relay with the stock client', async ({
  browser,
  server,
}, testInfo) => {
  const token = server.token('receptionist');
  const a = await (await browser.newContext()).newPage();
  const b = await (await browser.newContext()).newPage();
  await a.goto(`${server.url}/?doc=staff:demo&token=${token}`);
  await b.goto(`${server.url}/?doc=staff:demo&token=${token}`);
  await expect(a.getByRole('status')).toHaveText(/Synchronisé/);
  await expect(b.getByRole('status')).toHaveText(/Synchronisé/);
  await a.evaluate(() =>
    (window as unknown as Inspected).__queuemed.doc.getMap('e2e').set('hello', 'from page A'),
  );
  await expect(b.getByTestId('snapshot')).toContainText('from page A');
  await b.screenshot({ path: testInfo.outputPath('doc-inspector.png') });
});

test('a display token on the staff document is refused and the page says so', async ({
  page,
  server,
}) => {
  const token = server.token('display');
  await page.goto(`${server.url}/?doc=staff:demo&token=${token}`);
  await expect(page.getByRole('status')).toHaveText(/Accès refusé \(4403/);
});
