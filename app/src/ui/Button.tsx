/**
 * Buttons. `variant`: primary (the one main action of a place), secondary (the
 * default), outline (a secondary action that must still be seen: accent text
 * and border), danger (destroys or cancels something), ghost (quiet, in
 * toolbars and table rows), link (looks like a link, acts in place). `size`:
 * small in table rows, large and huge for the room screen's few big actions.
 * The patient and display themes size them for a finger and for a TV
 * (Button.css). A toggle passes `aria-pressed`, which shows when it is on.
 */
import type { ComponentProps } from 'react';
import { cx } from './cx.js';
import './Button.css';

export type ButtonVariant = 'primary' | 'secondary' | 'outline' | 'danger' | 'ghost' | 'link';
export type ButtonSize = 'small' | 'normal' | 'large' | 'huge';

export interface ButtonLook {
  variant?: ButtonVariant;
  size?: ButtonSize;
  /** Full width. */
  block?: boolean;
}

/** The class names of a button's look, for an element that must look like one. */
export function buttonClass({ variant = 'secondary', size = 'normal', block }: ButtonLook = {}) {
  if (variant === 'link') return 'button-link';
  return cx(
    'button',
    variant !== 'secondary' && `button-${variant}`,
    size !== 'normal' && `button-${size}`,
    block && 'button-block',
  );
}

export function Button({
  variant,
  size,
  block,
  className,
  type = 'button',
  ...rest
}: ComponentProps<'button'> & ButtonLook) {
  return (
    <button
      type={type}
      className={cx(buttonClass({ variant, size, block }), className)}
      {...rest}
    />
  );
}

/** A small square button showing a symbol; `label` names it for screen readers. */
export function IconButton({
  label,
  className,
  type = 'button',
  ...rest
}: Omit<ComponentProps<'button'>, 'aria-label'> & { label: string }) {
  return (
    <button type={type} className={cx('icon-button', className)} aria-label={label} {...rest} />
  );
}
