/**
 * What each board template starts with (rule B3). Applied once, by the
 * server, in `seedBoardDoc`. Ids are fixed per template, so two server
 * instances seeding the same board at once write identical values.
 * The words are in the clinic's language (French or English), chosen when
 * the board is created: the screens show what is in the doc. Both languages
 * share one structure — the French words are put on the English content by
 * item id, so ids, colours, order and a card's column never differ.
 */
import type { Locale } from '../queue/types.js';

export const BOARD_TEMPLATES = ['blank', 'huddle', 'ideas', 'handover', 'retro'] as const;
export type BoardTemplate = (typeof BOARD_TEMPLATES)[number];

export const isBoardTemplate = (value: unknown): value is BoardTemplate =>
  (BOARD_TEMPLATES as readonly unknown[]).includes(value);

export interface TemplateColumn {
  readonly id: string;
  readonly title: string;
  readonly color?: string;
}
export interface TemplateLabel {
  readonly id: string;
  readonly name: string;
  readonly color: string;
}
export interface TemplateCard {
  readonly id: string;
  readonly column: string;
  readonly title: string;
  readonly body?: string;
}
export interface TemplateContent {
  readonly columns: readonly TemplateColumn[];
  readonly labels: readonly TemplateLabel[];
  readonly cards: readonly TemplateCard[];
}

const RED = '#c62828';
const ORANGE = '#ef6c00';
const BLUE = '#1565c0';
const GREEN = '#2e7d32';
const GREY = '#616161';

export const TEMPLATE_CONTENT: Readonly<Record<BoardTemplate, TemplateContent>> = {
  blank: {
    columns: [
      { id: 'todo', title: 'To do' },
      { id: 'doing', title: 'Doing' },
      { id: 'done', title: 'Done', color: GREEN },
    ],
    labels: [],
    cards: [],
  },
  huddle: {
    columns: [
      { id: 'safety', title: 'Safety concerns', color: RED },
      { id: 'staffing', title: "Today's staffing", color: BLUE },
      { id: 'equipment', title: 'Equipment', color: ORANGE },
      { id: 'follow-ups', title: 'Follow-ups', color: GREEN },
    ],
    labels: [
      { id: 'urgent', name: 'Urgent', color: RED },
      { id: 'near-miss', name: 'Near miss', color: ORANGE },
      { id: 'escalated', name: 'Escalated', color: BLUE },
      { id: 'resolved', name: 'Resolved', color: GREEN },
    ],
    cards: [
      {
        id: 'how-to',
        column: 'follow-ups',
        title: 'How we use this board',
        body: 'One card per point raised at the huddle. No patient names or identifiers: use the room or the ticket number.',
      },
    ],
  },
  ideas: {
    columns: [
      { id: 'ideas', title: 'Ideas' },
      { id: 'review', title: 'Under review', color: BLUE },
      { id: 'trying', title: 'Trying', color: ORANGE },
      { id: 'adopted', title: 'Adopted', color: GREEN },
    ],
    labels: [
      { id: 'quick-win', name: 'Quick win', color: GREEN },
      { id: 'needs-budget', name: 'Needs budget', color: ORANGE },
      { id: 'patients', name: 'Patient experience', color: BLUE },
    ],
    cards: [],
  },
  handover: {
    columns: [
      { id: 'hand-over', title: 'To hand over', color: ORANGE },
      { id: 'watch', title: 'Watch', color: RED },
      { id: 'done', title: 'Done', color: GREEN },
    ],
    labels: [
      { id: 'urgent', name: 'Urgent', color: RED },
      { id: 'pending-result', name: 'Pending result', color: BLUE },
      { id: 'call-back', name: 'Call back', color: GREY },
    ],
    cards: [],
  },
  retro: {
    columns: [
      { id: 'went-well', title: 'Went well', color: GREEN },
      { id: 'to-improve', title: 'To improve', color: ORANGE },
      { id: 'actions', title: 'Actions', color: BLUE },
    ],
    labels: [],
    cards: [],
  },
};

/** A template's words in another language, by item id (the structure is TEMPLATE_CONTENT's). */
interface TemplateWords {
  readonly columns: Readonly<Record<string, string>>;
  readonly labels: Readonly<Record<string, string>>;
  readonly cards: Readonly<Record<string, { readonly title: string; readonly body?: string }>>;
}

const FRENCH: Readonly<Record<BoardTemplate, TemplateWords>> = {
  blank: {
    columns: { todo: 'À faire', doing: 'En cours', done: 'Fait' },
    labels: {},
    cards: {},
  },
  huddle: {
    columns: {
      safety: 'Sécurité',
      staffing: 'Effectifs du jour',
      equipment: 'Matériel',
      'follow-ups': 'Suivis',
    },
    labels: {
      urgent: 'Urgent',
      'near-miss': 'Presqu’accident',
      escalated: 'Signalé',
      resolved: 'Résolu',
    },
    cards: {
      'how-to': {
        title: 'Comment utiliser ce tableau',
        body: 'Une carte par point soulevé au point d’équipe. Aucun nom ni identifiant de patient : indiquez la salle ou le numéro de ticket.',
      },
    },
  },
  ideas: {
    columns: { ideas: 'Idées', review: 'À l’étude', trying: 'À l’essai', adopted: 'Adoptées' },
    labels: {
      'quick-win': 'Gain rapide',
      'needs-budget': 'Budget nécessaire',
      patients: 'Expérience patient',
    },
    cards: {},
  },
  handover: {
    columns: { 'hand-over': 'À transmettre', watch: 'À surveiller', done: 'Fait' },
    labels: { urgent: 'Urgent', 'pending-result': 'Résultat attendu', 'call-back': 'À rappeler' },
    cards: {},
  },
  retro: {
    columns: {
      'went-well': 'Ce qui a bien marché',
      'to-improve': 'À améliorer',
      actions: 'Actions',
    },
    labels: {},
    cards: {},
  },
};

/** The content with its words replaced by id; an item without a word keeps the English one. */
function inWords(content: TemplateContent, words: TemplateWords): TemplateContent {
  return {
    columns: content.columns.map((c) => ({ ...c, title: words.columns[c.id] ?? c.title })),
    labels: content.labels.map((l) => ({ ...l, name: words.labels[l.id] ?? l.name })),
    cards: content.cards.map((c) => {
      const w = words.cards[c.id];
      return w ? { ...c, title: w.title, ...(w.body !== undefined ? { body: w.body } : {}) } : c;
    }),
  };
}

/** Every template in each language the clinics speak (`en` is TEMPLATE_CONTENT itself). */
export const TEMPLATE_CONTENT_BY_LOCALE: Readonly<
  Record<Locale, Readonly<Record<BoardTemplate, TemplateContent>>>
> = {
  fr: Object.fromEntries(
    BOARD_TEMPLATES.map((t) => [t, inWords(TEMPLATE_CONTENT[t], FRENCH[t])]),
  ) as Record<BoardTemplate, TemplateContent>,
  en: TEMPLATE_CONTENT,
};

/**
 * The language a clinic's boards are seeded in, from its locale setting
 * (a BCP 47 tag: `fr`, `en-GB`…): English for `en…`, French otherwise —
 * French being the clinics' default.
 */
export function templateLocale(clinicLocale: unknown): Locale {
  return typeof clinicLocale === 'string' && /^en(?:-|$)/i.test(clinicLocale) ? 'en' : 'fr';
}

/** A template's content in a language. */
export const templateContent = (template: BoardTemplate, locale: Locale): TemplateContent =>
  TEMPLATE_CONTENT_BY_LOCALE[locale][template];
