import type { ComponentProps, ReactNode } from 'react';

/**
 * A form control with its visible label; the label wraps the control so
 * that clicking the text focuses it and screen readers name it.
 */
export function Field({
  label,
  grow = false,
  children,
}: {
  label: ReactNode;
  /** Takes the remaining width of an inline form. */
  grow?: boolean;
  children: ReactNode;
}) {
  return (
    <label className={grow ? 'field grow' : 'field'}>
      <span>{label}</span>
      {children}
    </label>
  );
}

/** A labelled text input that hands back the new string rather than the event. */
export function TextField({
  label,
  grow,
  onValue,
  ...input
}: Omit<ComponentProps<'input'>, 'onChange'> & {
  label: ReactNode;
  grow?: boolean;
  value: string;
  onValue: (value: string) => void;
}) {
  return (
    <Field label={label} grow={grow}>
      <input {...input} onChange={(e) => onValue(e.target.value)} />
    </Field>
  );
}
