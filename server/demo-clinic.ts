/**
 * The demo clinic `serve` seeds when the database has no clinic: two rooms,
 * three staff accounts sharing one random password, an admin API token, and
 * a huddle board with a few operational cards (no patient data).
 */
import { randomBytes } from 'node:crypto';
import type * as Y from 'yjs';
import {
  addCard,
  addChecklistItem,
  addComment,
  templateLocale,
  toggleChecklistItem,
  vote,
  type BoardOpContext,
  type BoardResult,
} from '../shared/board/index.js';
import { boardDocName, parseClinicId } from '../shared/ids.js';
import { serverOrigin, type Locale } from '../shared/queue/index.js';
import type { Board } from './boards/boards.js';
import { createClinic } from './clinic-setup.js';
import type { RunningServer } from './server.js';

export const DEMO_CLINIC_ID = parseClinicId('demo');

export const DEMO_STAFF = [
  { email: 'admin@demo.queuemed.test', name: 'Camille Admin', role: 'admin' },
  { email: 'accueil@demo.queuemed.test', name: 'Alex Accueil', role: 'receptionist' },
  { email: 'medecin@demo.queuemed.test', name: 'Dr Morgan', role: 'doctor' },
] as const;

export interface DemoClinic {
  readonly token: string;
  readonly emails: string[];
  readonly password: string;
}

type DemoServer = Pick<
  RunningServer,
  'clinics' | 'store' | 'tokens' | 'users' | 'boards' | 'relay'
>;

/**
 * Seeds the demo clinic when there is no clinic at all; null otherwise. Every
 * start also gives an existing demo clinic its board if it has none yet
 * (`ensureDemoBoard`), so a demo database made before boards existed gets one.
 */
export async function seedDemoIfEmpty(server: DemoServer, now: number): Promise<DemoClinic | null> {
  if ((await server.clinics.count()) > 0) {
    await ensureDemoBoard(server, now);
    return null;
  }
  await createClinic(
    { clinics: server.clinics, store: server.store },
    {
      id: DEMO_CLINIC_ID,
      name: 'Clinique Démo',
      rooms: [
        { id: '1', name: 'Cabinet 1' },
        { id: '2', name: 'Cabinet 2' },
      ],
    },
    now,
  );
  const { token } = await server.tokens.create(
    { clinicId: DEMO_CLINIC_ID, role: 'admin', label: 'Demo admin' },
    now,
  );
  const password = randomBytes(9).toString('base64url');
  for (const s of DEMO_STAFF) {
    await server.users.add(
      {
        email: s.email,
        name: s.name,
        password,
        clinics: [{ clinicId: DEMO_CLINIC_ID, role: s.role }],
      },
      now,
    );
  }
  await ensureDemoBoard(server, now);
  return { token, emails: DEMO_STAFF.map((s) => s.email), password };
}

// ── the demo board ────────────────────────────────────────────────────────

type DemoRole = (typeof DEMO_STAFF)[number]['role'];

/** One operational card of the demo huddle: who raised it, and what it carries. */
interface DemoCard {
  readonly by: DemoRole;
  readonly column: 'safety' | 'staffing' | 'equipment' | 'follow-ups';
  readonly title: string;
  readonly body: string;
  readonly labels?: readonly ('urgent' | 'near-miss' | 'escalated' | 'resolved')[];
  readonly assignees?: readonly DemoRole[];
  /** Days from today. */
  readonly dueInDays?: number;
  /** Items; a leading "✓ " marks one done. */
  readonly checklist?: readonly string[];
  readonly votes?: readonly DemoRole[];
  readonly comments?: readonly { readonly by: DemoRole; readonly text: string }[];
}

interface DemoBoardContent {
  readonly title: string;
  readonly cards: readonly DemoCard[];
}

/** What the demo huddle holds, in the clinic's language: the running of the clinic, never a patient. */
export const DEMO_BOARD: Readonly<Record<Locale, DemoBoardContent>> = {
  fr: {
    title: 'Point d’équipe du matin',
    cards: [
      {
        by: 'receptionist',
        column: 'safety',
        title: 'Sol glissant à l’entrée les jours de pluie',
        body: 'Panneau « sol glissant » posé le matin en attendant un tapis absorbant.',
        labels: ['urgent'],
        assignees: ['admin'],
      },
      {
        by: 'doctor',
        column: 'safety',
        title: 'Deux personnes se sont levées au même appel',
        body: 'En salle d’attente, toujours annoncer le numéro du ticket et le cabinet, pas seulement « au suivant ».',
        labels: ['near-miss'],
        votes: ['receptionist', 'admin'],
        comments: [
          {
            by: 'receptionist',
            text: 'L’écran d’appel affiche aussi le cabinet : on le rappelle à l’oral.',
          },
        ],
      },
      {
        by: 'admin',
        column: 'staffing',
        title: 'Formation : Cabinet 2 fermé l’après-midi',
        body: 'Ce jour-là, les consultations de l’après-midi passent au Cabinet 1 ; l’accueil prévient à l’arrivée.',
        dueInDays: 2,
      },
      {
        by: 'receptionist',
        column: 'equipment',
        title: 'Imprimante de l’accueil : cartouche presque vide',
        body: '',
        assignees: ['receptionist'],
        dueInDays: 3,
        checklist: ['✓ Commander la cartouche', 'La changer à réception'],
      },
      {
        by: 'doctor',
        column: 'equipment',
        title: 'Tensiomètre du Cabinet 1 à recalibrer',
        body: 'Écart de 10 mmHg avec celui du Cabinet 2. Le fournisseur passe sur rendez-vous.',
        labels: ['escalated'],
        assignees: ['admin', 'doctor'],
      },
      {
        by: 'admin',
        column: 'follow-ups',
        title: 'Afficher le QR code de la file d’attente',
        body: 'L’affiche se télécharge dans Admin → Lien QR.',
        assignees: ['receptionist'],
        checklist: ['Imprimer l’affiche', 'La poser à l’entrée', 'Une autre en salle d’attente'],
        votes: ['doctor'],
      },
    ],
  },
  en: {
    title: 'Morning huddle',
    cards: [
      {
        by: 'receptionist',
        column: 'safety',
        title: 'Slippery floor at the entrance on rainy days',
        body: 'A "wet floor" sign goes out in the morning until an absorbent mat arrives.',
        labels: ['urgent'],
        assignees: ['admin'],
      },
      {
        by: 'doctor',
        column: 'safety',
        title: 'Two people stood up at the same call',
        body: 'In the waiting room, always say the ticket number and the room, not just "next, please".',
        labels: ['near-miss'],
        votes: ['receptionist', 'admin'],
        comments: [
          {
            by: 'receptionist',
            text: 'The call screen shows the room too: we say it out loud as well.',
          },
        ],
      },
      {
        by: 'admin',
        column: 'staffing',
        title: 'Training: Room 2 closed in the afternoon',
        body: 'That day, afternoon consultations move to Room 1; reception tells people as they arrive.',
        dueInDays: 2,
      },
      {
        by: 'receptionist',
        column: 'equipment',
        title: 'Reception printer: cartridge almost empty',
        body: '',
        assignees: ['receptionist'],
        dueInDays: 3,
        checklist: ['✓ Order the cartridge', 'Replace it when it arrives'],
      },
      {
        by: 'doctor',
        column: 'equipment',
        title: 'Room 1 blood pressure monitor needs recalibrating',
        body: 'Reads 10 mmHg off the one in Room 2. The supplier comes by appointment.',
        labels: ['escalated'],
        assignees: ['admin', 'doctor'],
      },
      {
        by: 'admin',
        column: 'follow-ups',
        title: 'Put up the queue QR code poster',
        body: 'The poster is in Admin → QR link.',
        assignees: ['receptionist'],
        checklist: ['Print the poster', 'Put it up at the entrance', 'Another in the waiting room'],
        votes: ['doctor'],
      },
    ],
  },
};

const DAY_MS = 24 * 60 * 60 * 1000;

/** The value of a board operation, or an Error: demo content that does not apply is a bug. */
function must<T extends object>(r: BoardResult<T>, what: string): T {
  if (!r.ok) throw new Error(`demo board: ${what}: ${r.error.code} ${r.error.message}`);
  return r;
}

function writeDemoCards(
  doc: Y.Doc,
  cards: readonly DemoCard[],
  users: Readonly<Record<DemoRole, string>>,
  now: number,
): void {
  const as = (role: DemoRole): BoardOpContext => ({
    actor: users[role],
    now,
    origin: serverOrigin,
  });
  for (const c of cards) {
    const { cardId } = must(
      addCard(
        doc,
        {
          column: c.column,
          title: c.title,
          body: c.body,
          ...(c.labels ? { labels: c.labels } : {}),
          ...(c.assignees ? { assignees: c.assignees.map((r) => users[r]) } : {}),
          ...(c.dueInDays !== undefined
            ? { due: new Date(now + c.dueInDays * DAY_MS).toISOString().slice(0, 10) }
            : {}),
        },
        as(c.by),
      ),
      c.title,
    );
    for (const item of c.checklist ?? []) {
      const done = item.startsWith('✓ ');
      const { itemId } = must(
        addChecklistItem(doc, { cardId, text: done ? item.slice(2) : item }, as(c.by)),
        item,
      );
      if (done) must(toggleChecklistItem(doc, { cardId, itemId, done: true }, as(c.by)), item);
    }
    for (const role of c.votes ?? []) must(vote(doc, { cardId }, as(role)), `vote on ${c.title}`);
    for (const m of c.comments ?? [])
      must(addComment(doc, { cardId, text: m.text }, as(m.by)), m.text);
  }
}

/**
 * Gives the demo clinic its huddle board, once: through the board service
 * (the boards row, the doc seeded with the huddle template in the clinic's
 * language, the staff doc's list), then a few cards written by the demo
 * staff. Nothing when there is no demo clinic, when it is not the seeded
 * one (its demo accounts are missing), or when it already has a board —
 * archived ones included, so a restart never adds a second one nor brings
 * back one the team archived. The board, or null.
 */
export async function ensureDemoBoard(
  server: Pick<RunningServer, 'clinics' | 'users' | 'boards' | 'relay'>,
  now: number,
): Promise<Board | null> {
  const clinic = await server.clinics.get(DEMO_CLINIC_ID);
  if (!clinic) return null;
  if ((await server.boards.list(DEMO_CLINIC_ID)).length > 0) return null;
  const users = {} as Record<DemoRole, string>;
  for (const s of DEMO_STAFF) {
    const user = await server.users.findByEmail(s.email);
    if (!user?.clinics.some((m) => m.clinicId === DEMO_CLINIC_ID)) return null;
    users[s.role] = user.id;
  }
  const content = DEMO_BOARD[templateLocale(clinic.locale)];
  const board = await server.boards.create(DEMO_CLINIC_ID, {
    title: content.title,
    template: 'huddle',
    createdBy: users.admin,
  });
  await server.relay.change(boardDocName(board.id), (doc) =>
    writeDemoCards(doc, content.cards, users, now),
  );
  return board;
}
