import fs from 'node:fs';
import path from 'node:path';
import type { Page, TestInfo } from '@playwright/test';
import {
  addCard,
  boardLight,
  boardText,
  card,
  createBoard,
  expectBoardSynced,
  lane,
  laneOf,
  openCard,
  openColumnMenu,
} from './board-helpers.js';
import { expect, test } from './fixtures.js';
import { staffPage } from './staff-helpers.js';

/** Screenshots go to SHOTS_DIR when set (to look at them), else beside the results. */
async function shot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const dir = process.env.SHOTS_DIR;
  if (dir) fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: dir ? path.join(dir, name) : testInfo.outputPath(name) });
}

/** The page does not scroll sideways (a wide board scrolls inside itself). */
const fitsWidth = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

test('two colleagues share a board: cards, presence on a card, concurrent moves, votes, an offline edit, one board after', async ({
  browser,
  server,
}, testInfo) => {
  const clinic = server.addClinic('boards');
  const a = await staffPage(browser, server, clinic, 'receptionist', 'Alice Tableau');
  const b = await staffPage(browser, server, clinic, 'doctor', 'Bruno Tableau');

  // The Boards tab is in every staff screen's bar; Alice creates a retro board from it.
  await a.page.getByRole('link', { name: 'Tableaux' }).click();
  await expect(a.page.getByRole('heading', { level: 1, name: 'Tableaux' })).toBeVisible();
  const boardId = await createBoard(a.page, clinic, 'Rétro de décembre', 'retro');
  await b.page.goto(`/c/${clinic}/boards`);
  await expect(
    b.page.getByTestId('board-tile').filter({ hasText: 'Rétro de décembre' }),
  ).toBeVisible();
  await b.page.getByRole('link', { name: 'Rétro de décembre' }).click();
  await expect(b.page).toHaveURL(new RegExp(`/boards/${boardId}$`));
  await expectBoardSynced(a.page);
  await expectBoardSynced(b.page);
  await expect(lane(a.page, 'Ce qui a bien marché')).toBeVisible();

  // Both add cards; each sees the other's.
  await addCard(a.page, 'Ce qui a bien marché', 'Accueil fluide le lundi');
  await addCard(a.page, 'À améliorer', 'Imprimante de l’accueil');
  await addCard(b.page, 'À améliorer', 'Planning des gardes');
  await addCard(b.page, 'Actions', 'Commander des gants');
  await expect(card(a.page, 'Planning des gardes')).toBeVisible();
  await expect(card(b.page, 'Imprimante de l’accueil')).toBeVisible();

  // Alice opens a card: Bruno sees her badge on it.
  await openCard(a.page, 'Planning des gardes');
  await expect(a.page.getByTestId('card-detail')).toBeVisible();
  const badge = card(b.page, 'Planning des gardes').getByTestId('card-peers');
  await expect(badge).toBeVisible();
  await expect(badge).toHaveAttribute('title', /Alice Tableau/);
  // She types in the description; he sees her editing it, then the text.
  const body = a.page.getByTestId('card-detail').getByLabel('Description');
  await body.click();
  await expect(badge).toHaveAttribute('title', /Alice Tableau modifie la description/);
  await body.pressSequentially('Tour de garde à revoir avant janvier');
  await shot(b.page, testInfo, 'board-presence-1440.png');
  // Bruno opens it too and types at the start while Alice's caret waits at the end:
  // her next words still land at the end, both texts agree.
  await openCard(b.page, 'Planning des gardes');
  const bBody = b.page.getByTestId('card-detail').getByLabel('Description');
  await expect(bBody).toHaveValue('Tour de garde à revoir avant janvier');
  await bBody.focus();
  await b.page.keyboard.press('Control+Home');
  await b.page.keyboard.type('Urgent : ');
  await expect(body).toHaveValue('Urgent : Tour de garde à revoir avant janvier');
  await a.page.keyboard.type(' et février');
  const both = 'Urgent : Tour de garde à revoir avant janvier et février';
  await expect(body).toHaveValue(both);
  await expect(bBody).toHaveValue(both);
  await b.page.getByTestId('card-detail').getByRole('button', { name: 'Fermer' }).click();
  await a.page.getByTestId('card-detail').getByRole('button', { name: 'Fermer' }).click();
  await expect(badge).toHaveCount(0);

  // Votes: both +1 the same card.
  for (const p of [a.page, b.page])
    await card(p, 'Commander des gants').getByTestId('vote').click();
  for (const p of [a.page, b.page]) {
    const vote = card(p, 'Commander des gants').getByTestId('vote');
    await expect(vote.getByTestId('vote-count')).toHaveText('2');
    await expect(vote).toHaveAttribute('aria-pressed', 'true');
  }

  // Concurrent moves of the same card: Alice offline moves it with the keyboard,
  // Bruno online moves it through the Move… dialog; once together, one card, one place.
  await a.context.setOffline(true);
  await expect(boardLight(a.page)).toHaveAttribute('data-status', 'offline');
  await card(a.page, 'Imprimante de l’accueil').focus();
  await a.page.keyboard.press('Alt+ArrowRight');
  await expect(a.page.getByTestId('board-live')).toContainText('Imprimante de l’accueil');
  expect(await laneOf(a.page, 'Imprimante de l’accueil')).toBe('Actions');
  await card(b.page, 'Imprimante de l’accueil').getByRole('button', { name: 'Déplacer…' }).click();
  const dialog = b.page.getByTestId('move-dialog');
  await dialog.getByLabel('Colonne').selectOption({ label: 'Ce qui a bien marché' });
  await dialog.getByRole('button', { name: 'Déplacer', exact: true }).click();
  expect(await laneOf(b.page, 'Imprimante de l’accueil')).toBe('Ce qui a bien marché');

  // Alice, still offline, edits a card title and adds a card.
  await addCard(a.page, 'Ce qui a bien marché', 'Ajouté hors ligne');
  await expect(boardLight(a.page)).not.toHaveAttribute('data-unsynced', '0');
  await shot(a.page, testInfo, 'board-offline-1440.png');
  // Offline, the boards list reads from the local copy, and the board opens again from it.
  await a.page.getByRole('link', { name: /Tous les tableaux/ }).click();
  await expect(a.page.getByTestId('boards-offline')).toBeVisible();
  await a.page.getByRole('link', { name: 'Rétro de décembre' }).click();
  await expect(card(a.page, 'Ajouté hors ligne')).toBeVisible();
  expect(await laneOf(a.page, 'Imprimante de l’accueil')).toBe('Actions');
  // Bruno meanwhile adds one too.
  await addCard(b.page, 'Actions', 'Réviser le protocole');

  await a.context.setOffline(false);
  await expectBoardSynced(a.page);
  await expectBoardSynced(b.page);
  await expect.poll(() => boardText(a.page), { timeout: 20_000 }).toBe(await boardText(b.page));
  const text = await boardText(a.page);
  for (const title of [
    'Accueil fluide le lundi',
    'Imprimante de l’accueil',
    'Planning des gardes',
    'Commander des gants',
    'Ajouté hors ligne',
    'Réviser le protocole',
  ])
    expect(text.split(title).length - 1, `${title} once in\n${text}`).toBe(1);
  await expect(card(a.page, 'Imprimante de l’accueil')).toHaveCount(1);
  await expect(card(b.page, 'Imprimante de l’accueil')).toHaveCount(1);

  // A colleague's move is told, not silent; our own is undone with Ctrl+Z.
  await card(a.page, 'Accueil fluide le lundi').focus();
  await a.page.keyboard.press('Alt+ArrowRight');
  expect(await laneOf(a.page, 'Accueil fluide le lundi')).toBe('À améliorer');
  await expect(card(b.page, 'Accueil fluide le lundi').getByTestId('moved-by')).toContainText(
    'Alice Tableau',
  );
  expect(await laneOf(b.page, 'Accueil fluide le lundi')).toBe('À améliorer');
  await a.page.keyboard.press('Control+z');
  await expect.poll(() => laneOf(b.page, 'Accueil fluide le lundi')).toBe('Ce qui a bien marché');
  expect(await laneOf(a.page, 'Accueil fluide le lundi')).toBe('Ce qui a bien marché');

  await shot(a.page, testInfo, 'board-1440.png');
  await a.page.setViewportSize({ width: 1280, height: 800 });
  await shot(a.page, testInfo, 'board-1280.png');
  // The board scrolls sideways inside itself, never the page.
  expect(await fitsWidth(a.page)).toBe(true);
  await a.context.close();
  await b.context.close();
});

test('a huddle board with fifteen cards reads at 1440 and 1280: lanes scroll inside the board, the card detail beside it', async ({
  browser,
  server,
}, testInfo) => {
  const clinic = server.addClinic('boards-look', 'Clinique du Parc');
  const a = await staffPage(browser, server, clinic, 'admin', 'Claire Martin');
  // A colleague who has never signed in: offered as an assignee (the clinic's members).
  server.addStaff(`absent-${process.pid}@${clinic}.e2e.test`, 'doctor', {
    clinic,
    name: 'Dr Zoé Absente',
  });
  await createBoard(a.page, clinic, 'Point du matin', 'huddle');
  await a.page.goto(`/c/${clinic}/boards`);
  await createBoard(a.page, clinic, 'Idées d’amélioration', 'ideas');
  await a.page.goto(`/c/${clinic}/boards`);
  await shot(a.page, testInfo, 'boards-list-1440.png');
  await a.page.getByRole('link', { name: 'Point du matin' }).click();
  await expectBoardSynced(a.page);
  const cards: [string, string][] = [
    ['Sécurité', 'Sol mouillé devant la salle 2'],
    ['Sécurité', 'Extincteur du couloir à vérifier'],
    ['Sécurité', 'Porte de secours bloquée par des cartons'],
    ['Effectifs du jour', 'Dr Martin absente cet après-midi'],
    ['Effectifs du jour', 'Remplaçant à l’accueil de 12 h à 14 h'],
    ['Effectifs du jour', 'Stagiaire infirmier : accueil à 9 h'],
    ['Matériel', 'Imprimante de l’accueil en panne'],
    ['Matériel', 'Commander des gants taille M'],
    ['Matériel', 'Tensiomètre de la salle 3 à recalibrer'],
    ['Matériel', 'Lecteur de cartes Vitale lent'],
    ['Suivis', 'Relancer le prestataire de ménage'],
    ['Suivis', 'Mettre à jour le planning de janvier'],
    ['Suivis', 'Former l’équipe au nouvel écran d’appel'],
    ['Suivis', 'Réunion qualité jeudi'],
  ];
  for (const [column, title] of cards) await addCard(a.page, column, title);

  // Details on a few cards: label, due (one overdue), checklist, comment, assignee, vote.
  await card(a.page, 'Imprimante de l’accueil en panne').click();
  const detail = a.page.getByTestId('card-detail');
  await detail.getByRole('button', { name: 'Urgent' }).click();
  await detail.getByLabel('Échéance').fill('2020-01-15');
  await detail.getByRole('button', { name: /Claire Martin/ }).click();
  await detail.getByRole('button', { name: /Dr Zoé Absente/ }).click();
  await expect(detail.getByRole('button', { name: /Dr Zoé Absente/ })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  await detail.getByLabel('Nouvel élément').fill('Appeler la maintenance');
  await detail.getByRole('button', { name: 'Ajouter un élément' }).click();
  await detail.getByLabel('Nouvel élément').fill('Prévoir une imprimante de secours');
  await detail.getByRole('button', { name: 'Ajouter un élément' }).click();
  await detail.getByRole('checkbox', { name: 'Appeler la maintenance' }).check();
  await detail.getByLabel('Votre commentaire').fill('Le technicien passe demain matin.');
  await detail.getByRole('button', { name: 'Publier' }).click();
  await expect(detail.getByTestId('comments')).toContainText('Claire Martin');
  await detail.getByTestId('comments').getByRole('button', { name: 'Modifier' }).click();
  await detail.getByTestId('comments').getByLabel('Modifier').fill('Le technicien passe jeudi.');
  await detail.getByTestId('comments').getByRole('button', { name: 'Enregistrer' }).click();
  await expect(detail.getByTestId('comments')).toContainText('Le technicien passe jeudi.');
  await expect(detail.getByTestId('comments')).toContainText('(modifié)');
  // A phone number in the description: a gentle notice, nothing blocked.
  await detail.getByLabel('Description').fill('Rappeler M. Dupont au 06 12 34 56 78');
  await expect(detail.getByTestId('privacy-hint')).toContainText('numéro de téléphone');
  await shot(a.page, testInfo, 'board-card-detail-1440.png');
  await detail.getByRole('button', { name: 'Fermer' }).click();
  await card(a.page, 'Commander des gants taille M').getByTestId('vote').click();
  const overdue = card(a.page, 'Imprimante de l’accueil en panne').getByTestId('card-due');
  await expect(overdue).toHaveAttribute('data-due', 'overdue');
  await expect(card(a.page, 'Imprimante de l’accueil en panne')).toContainText('1/2');

  await shot(a.page, testInfo, 'board-15-cards-1440.png');
  await a.page.setViewportSize({ width: 1280, height: 800 });
  await shot(a.page, testInfo, 'board-15-cards-1280.png');
  // An administrator's top bar (four tabs) stays one row at 1280.
  expect((await a.page.locator('.topbar').boundingBox())!.height).toBeLessThan(64);
  expect(await fitsWidth(a.page)).toBe(true);
  // At 1280 the card detail and the Move… dialog.
  await card(a.page, 'Lecteur de cartes Vitale lent').click();
  await expect(a.page.getByTestId('card-detail')).toBeVisible();
  // The open card stays whole beside the detail, not under it.
  await expect
    .poll(async () => {
      const c = (await card(a.page, 'Lecteur de cartes Vitale lent').boundingBox())!;
      const d = (await detail.boundingBox())!;
      return c.x + c.width <= d.x;
    })
    .toBe(true);
  await shot(a.page, testInfo, 'board-card-detail-1280.png');
  // Labels are renamed from the detail; the cards show the new name.
  await detail.getByRole('button', { name: /Renommer les étiquettes/ }).click();
  const urgent = detail.getByLabel('Renommer l’étiquette Urgent');
  await urgent.fill('Très urgent');
  await urgent.press('Enter');
  await expect(detail.getByLabel('Renommer l’étiquette Très urgent')).toBeVisible();
  await detail.getByRole('button', { name: 'Terminé' }).click();
  await expect(card(a.page, 'Imprimante de l’accueil en panne')).toContainText('Très urgent');
  await a.page.getByTestId('card-detail').getByRole('button', { name: 'Déplacer…' }).click();
  await expect(a.page.getByTestId('move-dialog')).toBeVisible();
  await shot(a.page, testInfo, 'board-move-dialog-1280.png');
  await a.page.keyboard.press('Escape');
  await expect(a.page.getByTestId('move-dialog')).toHaveCount(0);
  await expect(a.page.getByTestId('card-detail')).toBeVisible();
  await a.page.keyboard.press('Escape');
  await expect(a.page.getByTestId('card-detail')).toHaveCount(0);
  await expect(card(a.page, 'Lecteur de cartes Vitale lent')).toBeFocused();

  // A column moves left through its menu.
  await openColumnMenu(a.page, 'Suivis');
  await lane(a.page, 'Suivis')
    .getByRole('button', { name: /Déplacer à gauche/ })
    .click();
  await expect
    .poll(() =>
      a.page
        .getByTestId('board-lane')
        .evaluateAll((ls) => ls.map((l) => l.getAttribute('aria-label'))),
    )
    .toEqual(['Sécurité', 'Effectifs du jour', 'Suivis', 'Matériel']);

  // A column's colour from its menu: its edge.
  await openColumnMenu(a.page, 'Suivis');
  await lane(a.page, 'Suivis').getByRole('radio', { name: 'Violet' }).click();
  await expect(lane(a.page, 'Suivis')).toHaveAttribute('style', /--lane: ?#6b3fa0/);

  // Drag and drop: a card dropped on another lane lands there, announced.
  await card(a.page, 'Réunion qualité jeudi').dragTo(card(a.page, 'Sol mouillé devant la salle 2'));
  await expect.poll(() => laneOf(a.page, 'Réunion qualité jeudi')).toBe('Sécurité');
  await expect(a.page.getByTestId('board-live')).toContainText('Réunion qualité jeudi');

  // Filters: overdue only.
  await a.page.getByRole('search').getByLabel('Échéance').selectOption('overdue');
  await expect(a.page.getByTestId('board-card')).toHaveCount(1);
  await a.page.getByRole('button', { name: 'Effacer les filtres' }).click();
  await expect(a.page.getByTestId('board-card')).toHaveCount(15);

  // A column archived: its cards wait in "Non classées"; restored from the archive panel.
  await openColumnMenu(a.page, 'Matériel');
  await lane(a.page, 'Matériel')
    .getByRole('button', { name: /Archiver la colonne/ })
    .click();
  await expect(lane(a.page, 'Non classées').getByTestId('board-card')).toHaveCount(4);
  await shot(a.page, testInfo, 'board-unsorted-1280.png');
  await a.page.getByRole('button', { name: /Archives \(1\)/ }).click();
  await a.page
    .getByTestId('archive-panel')
    .getByRole('button', { name: /Restaurer/ })
    .click();
  await expect(lane(a.page, 'Matériel').getByTestId('board-card')).toHaveCount(4);
  await expect(lane(a.page, 'Non classées')).toHaveCount(0);

  // Every change of this session reached the relay.
  await expectBoardSynced(a.page);

  // In English, the same board.
  await a.page.getByRole('button', { name: 'EN', exact: true }).click();
  await expect(a.page.getByRole('button', { name: 'My cards' })).toBeVisible();
  await shot(a.page, testInfo, 'board-english-1280.png');
  await a.page.getByRole('button', { name: 'FR', exact: true }).click();

  // Archived from the list: flagged there, and the board opens read-only.
  await a.page.goto(`/c/${clinic}/boards`);
  const tile = a.page.getByTestId('board-tile').filter({ hasText: 'Point du matin' });
  await tile.getByRole('button', { name: /Archiver/ }).click();
  const archived = a.page.getByTestId('archived-boards').getByTestId('board-tile');
  await expect(archived).toContainText('Point du matin');
  await expect(archived.getByTestId('board-archived')).toBeVisible();
  await shot(a.page, testInfo, 'boards-list-archived-1280.png');
  await archived.getByRole('link', { name: 'Point du matin' }).click();
  await expect(a.page.getByTestId('board-read-only')).toBeVisible();
  await expect(a.page.locator('.add-card')).toHaveCount(0);
  await expect(card(a.page, 'Réunion qualité jeudi').getByTestId('vote')).toBeDisabled();
  await a.page.goto(`/c/${clinic}/boards`);
  await archived.getByRole('button', { name: /Restaurer/ }).click();
  await expect(
    a.page
      .getByTestId('active-boards')
      .getByTestId('board-tile')
      .filter({ hasText: 'Point du matin' }),
  ).toBeVisible();
  await a.context.close();
});

// After the cut the tab's presence runs under a fresh awareness id; the forged write then
// used to leave the board 'Déconnecté (4422)' (synced-doc.ts: closing the old copy threw).
test('a forged write (a vote in a colleague’s name) is refused by the relay; the edits that travelled with it are dropped and listed; the board goes on', async ({
  browser,
  server,
}, testInfo) => {
  const clinic = server.addClinic('boards-forged');
  const a = await staffPage(browser, server, clinic, 'receptionist', 'Alice Faussaire');
  await createBoard(a.page, clinic, 'Idées', 'ideas');
  await addCard(a.page, 'Idées', 'Salle d’attente plus calme');
  await expectBoardSynced(a.page);
  const cardId = await card(a.page, 'Salle d’attente plus calme').getAttribute('data-card');
  // Offline, an honest card; then a tampered client writes into the doc what only
  // another user may write. Both travel together when the network is back.
  await a.context.setOffline(true);
  await expect(boardLight(a.page)).toHaveAttribute('data-status', 'offline');
  await addCard(a.page, 'À l’essai', 'Plantes vertes');
  await a.page.evaluate((id) => {
    type Text = { doc: { getMap(name: string): { set(k: string, v: number): void } } };
    const session = (
      window as unknown as {
        __queuemedBoard: { board: { getState(): { textOf(id: string, f: string): Text } } };
      }
    ).__queuemedBoard;
    session.board.getState().textOf(id!, 'title').doc.getMap('votes').set(`${id}:someone-else`, 1);
  }, cardId);
  await a.context.setOffline(false);
  const dropped = a.page.getByTestId('dropped-edits');
  await expect(dropped).toContainText('Plantes vertes');
  await shot(a.page, testInfo, 'board-dropped-edits-1440.png');
  await expect(card(a.page, 'Plantes vertes')).toHaveCount(0);
  await expect(card(a.page, 'Salle d’attente plus calme').getByTestId('vote-count')).toHaveText(
    '0',
  );
  await dropped.getByRole('button', { name: 'Compris' }).click();
  await expect(dropped).toHaveCount(0);
  // Honest work goes on.
  await addCard(a.page, 'À l’essai', 'Plantes vertes');
  await expectBoardSynced(a.page);
  await a.context.close();
});
