/**
 * Helpers for the boards journeys: create a board from the list, find
 * lanes and cards, open a card or a column's menu, add a card, read the
 * whole board as plain text (to compare what two people see), and the
 * board's own connection light.
 */
import type { Locator, Page } from '@playwright/test';
import { expect } from './fixtures.js';

/** Creates a board from the clinic's boards list and waits for the board screen; returns its id. */
export async function createBoard(
  page: Page,
  clinic: string,
  title: string,
  template: 'blank' | 'huddle' | 'ideas' | 'handover' | 'retro',
): Promise<string> {
  await page.goto(`/c/${clinic}/boards`);
  const form = page.getByRole('form', { name: /Nouveau tableau|New board/ });
  await form.getByLabel(/Titre du tableau|Board title/).fill(title);
  await form.locator(`input[type="radio"][value="${template}"]`).check();
  await form.getByRole('button', { name: /Créer le tableau|Create board/ }).click();
  await expect(page).toHaveURL(new RegExp(`/c/${clinic}/boards/[a-z0-9-]+$`));
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  return new URL(page.url()).pathname.split('/').pop()!;
}

/** The board's connection light (not the clinic's, in the top bar). */
export const boardLight = (page: Page) => page.locator('.board-tools [data-status]');

export async function expectBoardSynced(page: Page): Promise<void> {
  await expect(boardLight(page)).toHaveAttribute('data-status', 'synced', { timeout: 20_000 });
  await expect(boardLight(page)).toHaveAttribute('data-unsynced', '0', { timeout: 20_000 });
}

export const lane = (page: Page, title: string): Locator =>
  page.getByTestId('board-lane').and(page.locator(`[aria-label="${title}"]`));

export const card = (page: Page, title: string): Locator =>
  page.locator(`[data-testid="board-card"][data-title="${title}"]`);

/** Opens the card titled `title` in the detail, from its title button. */
export async function openCard(page: Page, title: string): Promise<void> {
  await card(page, title).getByRole('button', { name: title, exact: true }).click();
}

/** Opens the menu (⋯) of the lane titled `column`. */
export async function openColumnMenu(page: Page, column: string): Promise<void> {
  await lane(page, column).getByLabel(`Actions de la colonne ${column}`).first().click();
}

/** Adds a card at the bottom of the lane titled `column`, with Enter. */
export async function addCard(page: Page, column: string, title: string): Promise<void> {
  const input = lane(page, column).locator('.add-card input');
  await input.fill(title);
  await input.press('Enter');
  await expect(card(page, title)).toHaveCount(1);
}

/** The board as "Lane: card, card" lines, in order: what a person sees. */
export async function boardText(page: Page): Promise<string> {
  return page
    .getByTestId('board-lane')
    .evaluateAll((lanes) =>
      lanes
        .map(
          (l) =>
            `${l.getAttribute('aria-label')}: ${[
              ...l.querySelectorAll('[data-testid="board-card"]'),
            ]
              .map((c) => c.getAttribute('data-title'))
              .join(', ')}`,
        )
        .join('\n'),
    );
}

/** The title of the lane holding the card titled `title`. */
export async function laneOf(page: Page, title: string): Promise<string | null> {
  return card(page, title).evaluate(
    (c) => c.closest('[data-testid="board-lane"]')?.getAttribute('aria-label') ?? null,
  );
}
