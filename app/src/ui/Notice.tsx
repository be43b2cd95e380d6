/**
 * A message about the screen's state: the result of an action, a warning, an
 * error. `tone` sets its colours and, unless `role` says otherwise, how it is
 * announced: danger and warning interrupt (role=alert), info and success wait
 * their turn (role=status). `variant`: box (default), bar (a coloured edge, for
 * longer explanations and the phone's messages), banner (a full-width strip
 * under a top bar), solid (filled with the tone's strong colour, white text:
 * the TV's "offline" read from across the room).
 */
import type { ReactNode } from 'react';
import { cx } from './cx.js';
import './Notice.css';

export type NoticeTone = 'info' | 'success' | 'warning' | 'danger';
export type NoticeVariant = 'box' | 'bar' | 'banner' | 'solid';

export function Notice({
  tone,
  title,
  variant = 'box',
  strong = false,
  role,
  onClose,
  closeLabel,
  className,
  testId,
  children,
}: {
  tone: NoticeTone;
  /** A first line in bold. */
  title?: ReactNode;
  variant?: NoticeVariant;
  /** A thicker border in the tone's strong colour, body text in the page's colour: hard to miss. */
  strong?: boolean;
  /** Default: alert for danger and warning, status for info and success; `null` for none. */
  role?: 'alert' | 'status' | 'note' | null;
  /** Shows a × button that calls it; `closeLabel` names it. */
  onClose?: () => void;
  closeLabel?: string;
  /** Layout only (where it sits, its type size); the look is the tone's and the variant's. */
  className?: string;
  testId?: string;
  children?: ReactNode;
}) {
  const announce =
    role === undefined ? (tone === 'danger' || tone === 'warning' ? 'alert' : 'status') : role;
  return (
    <div
      className={cx(
        'notice',
        `notice-${tone}`,
        `notice-${variant}`,
        strong && 'notice-strong',
        onClose && 'notice-closable',
        className,
      )}
      role={announce ?? undefined}
      data-testid={testId}
    >
      {title !== undefined && <strong className="notice-title">{title}</strong>}
      {children}
      {onClose && (
        <button type="button" className="notice-close" aria-label={closeLabel} onClick={onClose}>
          ×
        </button>
      )}
    </div>
  );
}
