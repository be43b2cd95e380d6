/**
 * What each board template starts with (rule B3). Applied once, by the
 * server, in `seedBoardDoc`. Ids are fixed per template, so two server
 * instances seeding the same board at once write identical values.
 * Titles are English: the screens show what is in the doc.
 */

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
