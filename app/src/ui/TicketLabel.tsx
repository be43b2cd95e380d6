/**
 * A ticket number ("A-012"), never broken at its dash, with the "provisional"
 * badge of a number issued offline (it may change once the server confirms
 * it). `size` large: the room screen's current ticket.
 */
import { StatusPill } from './StatusPill.js';
import { cx } from './cx.js';
import './TicketLabel.css';

export function TicketLabel({
  label,
  provisional,
  size = 'normal',
  testId,
}: {
  label: string;
  /** The badge's word and its explanation, when the number is provisional. */
  provisional?: { text: string; hint: string } | false;
  size?: 'normal' | 'large';
  testId?: string;
}) {
  return (
    <>
      <span className={cx('ticket', size === 'large' && 'ticket-large')} data-testid={testId}>
        {label}
      </span>
      {provisional && (
        <StatusPill tone="warning" className="badge" title={provisional.hint}>
          {provisional.text}
        </StatusPill>
      )}
    </>
  );
}
