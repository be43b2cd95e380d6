/**
 * Every text colour of tokens.css on every background it is drawn on, checked
 * for WCAG AA contrast in each theme by contrast.test.ts. A stylesheet that puts
 * a text token on a new background adds the pair here; a new `--color-*-text`
 * token fails the test until it appears in a pair.
 *
 * `large`: the text is only ever large (WCAG: at least 24 px, or 18.66 px bold),
 * so 3:1 is enough. Only the ticket numbers qualify: on the display they are
 * never below 4.45vh (48 px at 1080 lines, 32 px at 720), on the phone never
 * below 34 px, in the room screen 3.4rem. Everything else — the display's labels
 * (2.6vh, 19 px at 720 lines) included — needs 4.5:1.
 */

export const THEMES = ['staff', 'display', 'patient'] as const;
export type Theme = (typeof THEMES)[number];

export interface ContrastPair {
  /** A `--color-*-text` token. */
  text: `--color-${string}`;
  /** The background token it sits on. */
  background: `--color-${string}`;
  /** Where the pair is used (the failure message names it). */
  where: string;
  large?: true;
  /** Only these themes draw it (default: all three). */
  themes?: readonly Theme[];
}

export const CONTRAST_PAIRS: readonly ContrastPair[] = [
  { text: '--color-text', background: '--color-page', where: 'page text' },
  { text: '--color-text', background: '--color-surface', where: 'cards, panels, inputs' },
  { text: '--color-text', background: '--color-surface-muted', where: 'timer, patient stats' },
  { text: '--color-text', background: '--color-surface-hover', where: 'hovered button, tab' },
  { text: '--color-text', background: '--color-accent-soft-bg', where: 'selected row' },
  {
    text: '--color-text',
    background: '--color-danger-bg',
    where: 'confirm question, join warning',
  },
  { text: '--color-text', background: '--color-neutral-bg', where: 'display next tickets' },
  { text: '--color-text-muted', background: '--color-page', where: 'hints, labels on the page' },
  { text: '--color-text-muted', background: '--color-surface', where: 'hints, table heads' },
  { text: '--color-text-muted', background: '--color-surface-muted', where: 'timer label' },
  {
    text: '--color-text-muted',
    background: '--color-surface-hover',
    where: 'ghost button hovered',
  },
  {
    text: '--color-text-muted',
    background: '--color-accent-soft-bg',
    where: 'selected row handle',
  },
  { text: '--color-accent-text', background: '--color-surface', where: 'links, secondary button' },
  { text: '--color-accent-text', background: '--color-page', where: 'links; display muted icon' },
  { text: '--color-accent-text', background: '--color-accent-soft-bg', where: 'active tab' },
  { text: '--color-on-accent-text', background: '--color-accent-bg', where: 'primary button' },
  { text: '--color-on-accent-text', background: '--color-accent-bg-hover', where: 'primary hover' },
  { text: '--color-inverse-text', background: '--color-inverse-bg', where: 'toast; display join' },
  { text: '--color-neutral-text', background: '--color-neutral-bg', where: 'badge, count, pill' },
  { text: '--color-info-text', background: '--color-info-bg', where: 'info notice, called status' },
  { text: '--color-success-text', background: '--color-success-bg', where: 'ok notice and pill' },
  {
    text: '--color-success-text',
    background: '--color-surface',
    where: 'connection light, synced',
  },
  {
    text: '--color-warning-text',
    background: '--color-warning-bg',
    where: 'warning notice, badge',
  },
  { text: '--color-warning-text', background: '--color-surface', where: 'connection light' },
  { text: '--color-danger-text', background: '--color-danger-bg', where: 'error notice, status' },
  { text: '--color-danger-text', background: '--color-surface', where: 'danger button' },
  { text: '--color-priority-text', background: '--color-priority-bg', where: 'priority pill' },
  { text: '--color-disabled-text', background: '--color-disabled-bg', where: 'disabled button' },
  { text: '--color-on-solid-text', background: '--color-success-solid', where: 'called card' },
  { text: '--color-on-solid-text', background: '--color-warning-solid', where: 'solid warning' },
  { text: '--color-on-solid-text', background: '--color-danger-solid', where: 'urgent; offline' },
  {
    text: '--color-ticket-text',
    background: '--color-surface',
    where: 'ticket number',
    large: true,
  },
  { text: '--color-ticket-text', background: '--color-page', where: 'ticket number', large: true },
  {
    text: '--color-ticket-stale-text',
    background: '--color-surface',
    where: 'ticket of a call that may be over',
    large: true,
  },
];
