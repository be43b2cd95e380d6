/**
 * QueueMed's design system: tokens (tokens.css, three themes), the base
 * stylesheet every page imports (base.css), and the parts the screens repeat.
 * Each component imports its own stylesheet.
 */
export { Button, IconButton, buttonClass, type ButtonSize, type ButtonVariant } from './Button.js';
export { Card, CardTitle, Count } from './Card.js';
export { DataTable, type Column } from './DataTable.js';
export { Field, TextField } from './Field.js';
export { Notice, type NoticeTone, type NoticeVariant } from './Notice.js';
export { PresenceChip, initials } from './PresenceChip.js';
export { PriorityPill, StatusPill, TicketStatus, type PillTone } from './StatusPill.js';
export { TicketLabel } from './TicketLabel.js';
export { cx } from './cx.js';
