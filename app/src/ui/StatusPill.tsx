/**
 * A short word in a rounded chip: a ticket's status, its priority, whether the
 * queue is open, a role, "disabled". `tone` carries the meaning in colour (the
 * word carries it in text); `size` small sits inside table rows and titles.
 */
import type { ReactNode } from 'react';
import type { EntryStatus, PriorityClass } from '../../../shared/queue/index.js';
import { cx } from './cx.js';
import './StatusPill.css';

export type PillTone =
  'neutral' | 'info' | 'success' | 'warning' | 'danger' | 'priority' | 'urgent';

export function StatusPill({
  tone = 'neutral',
  size = 'small',
  title,
  className,
  testId,
  children,
}: {
  tone?: PillTone;
  size?: 'small' | 'normal';
  /** A longer explanation, as a tooltip. */
  title?: string;
  className?: string;
  testId?: string;
  children: ReactNode;
}) {
  return (
    <span
      className={cx('pill', `pill-${tone}`, size === 'small' && 'pill-small', className)}
      title={title}
      data-testid={testId}
    >
      {children}
    </span>
  );
}

const STATUS_TONE: Record<EntryStatus, PillTone> = {
  waiting: 'neutral',
  called: 'info',
  'in-service': 'success',
  done: 'neutral',
  'no-show': 'danger',
  cancelled: 'danger',
};

/** A ticket's status, in the words the screen passes. */
export function TicketStatus({
  status,
  className,
  children,
}: {
  status: EntryStatus;
  className?: string;
  children: ReactNode;
}) {
  return (
    <StatusPill tone={STATUS_TONE[status]} className={className}>
      {children}
    </StatusPill>
  );
}

const PRIORITY_TONE: Record<PriorityClass, PillTone> = {
  normal: 'neutral',
  priority: 'priority',
  urgent: 'urgent',
};

/** A ticket's priority class, in the words the screen passes. */
export function PriorityPill({
  priority,
  className,
  children,
}: {
  priority: PriorityClass;
  className?: string;
  children: ReactNode;
}) {
  return (
    <StatusPill tone={PRIORITY_TONE[priority]} className={className}>
      {children}
    </StatusPill>
  );
}
