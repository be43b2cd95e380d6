/**
 * A ticket number ("A-012"), never broken at its dash, with the "provisional"
 * badge of a number issued offline (it may change once the server confirms
 * it). `size`: normal takes the text's size and colour; large is the room
 * screen's current ticket; fit has the ticket colour and weight but leaves its
 * size to the screen (the display and the phone size it to their panel).
 * `stale`: the call it belongs to may be over (an offline display), greyed.
 */
import { StatusPill } from './StatusPill.js';
import { cx } from './cx.js';
import './TicketLabel.css';

export function TicketLabel({
  label,
  provisional,
  size = 'normal',
  stale = false,
  className,
  testId,
}: {
  label: string;
  /** The badge's word and its explanation, when the number is provisional. */
  provisional?: { text: string; hint: string } | false;
  size?: 'normal' | 'large' | 'fit';
  stale?: boolean;
  /** Layout only (its size on a screen that fits it to a panel). */
  className?: string;
  testId?: string;
}) {
  return (
    <>
      <span
        className={cx(
          'ticket-label',
          size !== 'normal' && `ticket-label-${size}`,
          stale && 'ticket-label-stale',
          className,
        )}
        data-testid={testId}
      >
        {label}
      </span>
      {provisional && (
        <StatusPill tone="warning" className="ticket-label-provisional" title={provisional.hint}>
          {provisional.text}
        </StatusPill>
      )}
    </>
  );
}
