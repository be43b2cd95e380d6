/**
 * A message about the screen's state: the result of an action, a warning, an
 * error. `tone` sets its colours and, unless `role` says otherwise, how it is
 * announced: danger and warning interrupt (role=alert), info and success wait
 * their turn (role=status). `variant`: box (default), bar (a coloured edge, for
 * longer explanations), banner (a full-width strip under a top bar).
 */
import type { ReactNode } from 'react';
import { cx } from './cx.js';
import './Notice.css';

export type NoticeTone = 'info' | 'success' | 'warning' | 'danger';

/** Class names of each tone (the older names stay until every screen uses <Notice>). */
const TONE_CLASS: Record<NoticeTone, string> = {
  info: 'alert-info',
  success: 'alert-ok',
  warning: 'alert-warn',
  danger: 'alert-error',
};

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
  variant?: 'box' | 'bar' | 'banner';
  /** A thicker border in the tone's strong colour, body text in the page's colour: hard to miss. */
  strong?: boolean;
  /** Default: alert for danger and warning, status for info and success; `null` for none. */
  role?: 'alert' | 'status' | 'note' | null;
  /** Shows a × button that calls it; `closeLabel` names it. */
  onClose?: () => void;
  closeLabel?: string;
  className?: string;
  testId?: string;
  children?: ReactNode;
}) {
  const announce =
    role === undefined ? (tone === 'danger' || tone === 'warning' ? 'alert' : 'status') : role;
  return (
    <div
      className={cx(
        variant === 'banner' ? 'banner' : 'alert',
        variant === 'banner' ? `banner-${tone}` : TONE_CLASS[tone],
        variant === 'bar' && 'alert-bar',
        strong && 'alert-strong',
        className,
      )}
      role={announce ?? undefined}
      data-testid={testId}
    >
      {title !== undefined && <strong className="alert-title">{title}</strong>}
      {children}
      {onClose && (
        <button type="button" className="alert-close" aria-label={closeLabel} onClick={onClose}>
          ×
        </button>
      )}
    </div>
  );
}
