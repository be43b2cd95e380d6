/**
 * Helpers for the staff journeys: sign in a fresh browser context, read the
 * queue as a list, edit a ticket, cut and restore the network.
 */
import type { Browser, BrowserContext, Locator, Page } from '@playwright/test';
import {
  expect,
  login,
  type QueueMedServer,
  type StaffAccount,
  type StaffRole,
} from './fixtures.js';

let n = 0;

export interface StaffPage {
  readonly context: BrowserContext;
  readonly page: Page;
  readonly account: StaffAccount;
}

/** A staff member of `clinic`, signed in, in their own browser context. */
export async function staffPage(
  browser: Browser,
  server: QueueMedServer,
  clinic: string,
  role: StaffRole,
  name: string,
): Promise<StaffPage> {
  const email = `${role}-${++n}-${process.pid}@${clinic}.e2e.test`;
  const account = server.addStaff(email, role, { clinic, name });
  const context = await browser.newContext({
    baseURL: server.url,
    viewport: { width: 1440, height: 900 },
  });
  const page = await context.newPage();
  await page.goto('/login');
  await login(page, account.email, account.password);
  return { context, page, account };
}

export const light = (page: Page) => page.locator('.topbar [role="status"]').first();

export async function expectSynced(page: Page): Promise<void> {
  await expect(light(page)).toHaveAttribute('data-status', 'synced', { timeout: 20_000 });
}

export async function expectAllSynced(page: Page): Promise<void> {
  await expectSynced(page);
  await expect(light(page)).toHaveAttribute('data-unsynced', '0', { timeout: 20_000 });
}

/** The waiting list as "label|name" rows, in display order. */
export async function waitingRows(page: Page): Promise<string[]> {
  return page
    .getByTestId('waiting-list')
    .locator('tbody tr')
    .evaluateAll((rows) =>
      rows.map(
        (r) =>
          `${r.getAttribute('data-label')}|${r.querySelector('.patient-name')?.textContent ?? ''}`,
      ),
    );
}

export async function addWalkIn(page: Page, name: string): Promise<void> {
  const form = page.getByRole('form', { name: /Ajouter un patient|Add a patient/ });
  await form.getByLabel(/Nom du patient|Patient name/).fill(name);
  await form.getByLabel(/Nom du patient|Patient name/).press('Enter');
  await expect(row(page, name)).toHaveCount(1);
}

export const row = (page: Page, name: string) =>
  page.getByTestId('waiting-list').locator('tbody tr', { hasText: name });

/** Opens the ticket panel from the waiting row holding `name`, and returns the panel. */
export async function openEntry(page: Page, name: string): Promise<Locator> {
  await row(page, name)
    .getByRole('button', { name: /Modifier/ })
    .click();
  return page.locator('.entry-panel');
}

/** Types into a field of the ticket panel and commits it with Enter, as a receptionist would. */
export async function commitField(panel: Locator, label: string, value: string): Promise<void> {
  const field = panel.getByLabel(label);
  await field.fill(value);
  await field.press('Enter');
}

/** Back on the network; waits until every local change has reached the relay. */
export async function reconnect(staff: StaffPage): Promise<void> {
  await staff.context.setOffline(false);
  await expectAllSynced(staff.page);
}

/**
 * An admin configures rooms from the room chooser (doctors may only open a
 * configured room), then signs out of this throwaway context.
 */
export async function addRooms(
  browser: Browser,
  server: QueueMedServer,
  clinic: string,
  rooms: readonly (readonly [id: string, name: string])[],
): Promise<void> {
  const admin = await staffPage(browser, server, clinic, 'admin', 'Admin Cabinets');
  const { page } = admin;
  await page.goto(`/c/${clinic}/room`);
  for (const [id, name] of rooms) {
    const form = page.getByRole('form', { name: /Ajouter le cabinet|Add room/ });
    await form.getByLabel(/Numéro|Number/).fill(id);
    await form.getByLabel(/Nom affiché|Display name/).fill(name);
    await form.getByRole('button', { name: /Ajouter le cabinet|Add room/ }).click();
    await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
    await page.getByRole('button', { name: /Changer de cabinet|Change room/ }).click();
  }
  await expectAllSynced(page);
  await admin.context.close();
}
