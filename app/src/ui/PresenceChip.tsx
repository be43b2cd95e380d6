/**
 * A colleague, in their colour: `avatar`, their initials in a ring (the top
 * bar's who-is-online); `chip`, a dot and a short text ("Claire is editing").
 * A colleague not heard from lately is `stale`: a grey dashed ring, initials
 * kept readable.
 */
import type { CSSProperties, ReactNode } from 'react';
import { cx } from './cx.js';
import './PresenceChip.css';

export const initials = (name: string) =>
  name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]!.toUpperCase())
    .join('') || '?';

/** The person's colour as a custom property: it comes from their presence, not the theme. */
const peer = (color: string) => ({ '--peer': color }) as CSSProperties;

export function PresenceChip({
  name,
  color,
  variant = 'avatar',
  stale = false,
  title,
  children,
}: {
  name: string;
  color: string;
  variant?: 'avatar' | 'chip';
  stale?: boolean;
  /** The chip's tooltip (what they are doing). */
  title?: string;
  /** The chip's text (default: the name). */
  children?: ReactNode;
}) {
  if (variant === 'avatar')
    return (
      <span
        className={cx('avatar', stale && 'avatar-stale')}
        style={peer(color)}
        aria-hidden="true"
      >
        {initials(name)}
      </span>
    );
  return (
    <span
      className={cx('editor-chip', stale && 'editor-chip-stale')}
      style={peer(color)}
      title={title}
    >
      {children ?? name}
    </span>
  );
}
