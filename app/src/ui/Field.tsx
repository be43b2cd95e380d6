/**
 * A form control with its visible label, and optionally a hint and an error
 * under it. The label wraps the control, so clicking the text focuses it and
 * screen readers name it; the hint and the error, outside the label, describe
 * it (aria-describedby), and an error marks it invalid.
 */
import {
  cloneElement,
  isValidElement,
  useId,
  type ComponentProps,
  type ReactElement,
  type ReactNode,
} from 'react';
import { cx } from './cx.js';
import './Field.css';

interface FieldText {
  label: ReactNode;
  hint?: ReactNode;
  error?: ReactNode;
  /** Takes the remaining width of an inline form. */
  grow?: boolean;
}

export function Field({
  label,
  hint,
  error,
  grow = false,
  children,
}: FieldText & { children: ReactNode }) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  const control =
    describedBy && isValidElement(children)
      ? cloneElement(children as ReactElement<Record<string, unknown>>, {
          'aria-describedby': describedBy,
          'aria-invalid': error ? true : undefined,
        })
      : children;
  const className = cx('field', grow && 'grow', error ? 'field-invalid' : undefined);
  const labelled = (
    <>
      <span className="field-label">{label}</span>
      {control}
    </>
  );
  if (!describedBy) return <label className={className}>{labelled}</label>;
  // The hint and the error stay outside the <label>, so that they are not part of the control's name.
  return (
    <div className={className}>
      <label className="field-labelled">{labelled}</label>
      {hint && (
        <span className="field-hint" id={hintId}>
          {hint}
        </span>
      )}
      {error && (
        <span className="field-error" id={errorId}>
          {error}
        </span>
      )}
    </div>
  );
}

/** A labelled text input that hands back the new string rather than the event. */
export function TextField({
  label,
  hint,
  error,
  grow,
  onValue,
  ...input
}: Omit<ComponentProps<'input'>, 'onChange'> &
  FieldText & {
    value: string;
    onValue: (value: string) => void;
  }) {
  return (
    <Field label={label} hint={hint} error={error} grow={grow}>
      <input {...input} onChange={(e) => onValue(e.target.value)} />
    </Field>
  );
}
