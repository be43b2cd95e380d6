/**
 * A button for an action that is hard to take back (close the queue, revoke
 * a display): the first click asks, in place, with the consequence spelled
 * out; the action runs only on "confirm". Escape or "keep" backs out.
 * Inline rather than a modal, so nothing else on the screen is blocked.
 */
import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';

export function ConfirmButton({
  children,
  question,
  confirmLabel,
  keepLabel,
  onConfirm,
  className = 'btn',
  danger = true,
}: {
  /** The button's label before asking. */
  children: ReactNode;
  /** What will happen, as a question. */
  question: string;
  confirmLabel: string;
  keepLabel: string;
  onConfirm: () => void;
  className?: string;
  danger?: boolean;
}) {
  const [asking, setAsking] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const openerRef = useRef<HTMLButtonElement>(null);
  const questionId = useId();
  const wasAsking = useRef(false);
  useEffect(() => {
    if (asking) confirmRef.current?.focus();
    else if (wasAsking.current) openerRef.current?.focus();
    wasAsking.current = asking;
  }, [asking]);
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      // Backs out of this question only, not the panel around it.
      e.preventDefault();
      e.stopPropagation();
      setAsking(false);
    }
  };
  if (!asking)
    return (
      <button ref={openerRef} type="button" className={className} onClick={() => setAsking(true)}>
        {children}
      </button>
    );
  return (
    <span
      className="confirm-inline"
      role="group"
      aria-labelledby={questionId}
      onKeyDown={onKeyDown}
    >
      <span id={questionId} className="confirm-question">
        {question}
      </span>
      <button
        ref={confirmRef}
        type="button"
        className={danger ? 'btn btn-small btn-danger' : 'btn btn-small btn-primary'}
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        {confirmLabel}
      </button>
      <button type="button" className="btn btn-small" onClick={() => setAsking(false)}>
        {keepLabel}
      </button>
    </span>
  );
}
