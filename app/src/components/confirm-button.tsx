/**
 * A button for an action that is hard to take back (close the queue, revoke
 * a display): the first click asks, in place, with the consequence spelled
 * out; the action runs only on "confirm". Escape or "keep" backs out.
 * Inline rather than a modal, so nothing else on the screen is blocked.
 */
import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { Button, type ButtonLook } from '../ui/Button.js';
import './confirm-button.css';

export function ConfirmButton({
  children,
  question,
  confirmLabel,
  keepLabel,
  onConfirm,
  variant,
  size,
  danger = true,
}: ButtonLook & {
  /** The button's label before asking. */
  children: ReactNode;
  /** What will happen, as a question. */
  question: string;
  confirmLabel: string;
  keepLabel: string;
  onConfirm: () => void;
  /** The confirm button is a danger one (default) or a primary one. */
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
      <Button ref={openerRef} variant={variant} size={size} onClick={() => setAsking(true)}>
        {children}
      </Button>
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
      <Button
        ref={confirmRef}
        size="small"
        variant={danger ? 'danger' : 'primary'}
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        {confirmLabel}
      </Button>
      <Button size="small" onClick={() => setAsking(false)}>
        {keepLabel}
      </Button>
    </span>
  );
}
