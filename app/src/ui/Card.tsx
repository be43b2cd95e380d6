/**
 * A panel of a screen: a titled section, optionally with the number of things
 * it lists beside the title ("Waiting list 12") and actions on the right of it.
 * The title names the section for assistive technology (aria-labelledby).
 */
import { useId, type ComponentProps, type ReactNode } from 'react';
import { cx } from './cx.js';
import './Card.css';

export function Card({
  title,
  count,
  titleId,
  actions,
  className,
  children,
  ...section
}: Omit<ComponentProps<'section'>, 'title'> & {
  title?: ReactNode;
  /** Shown as a small counter after the title. */
  count?: number;
  /** The heading's id (default: generated). */
  titleId?: string;
  /** Beside the title, on the right (a close button, a toggle). */
  actions?: ReactNode;
}) {
  const generated = useId();
  const headingId = titleId ?? generated;
  const heading = title !== undefined && (
    <CardTitle id={headingId} count={count}>
      {title}
    </CardTitle>
  );
  return (
    <section
      className={cx('card', className)}
      aria-labelledby={title !== undefined ? headingId : undefined}
      {...section}
    >
      {actions ? (
        <div className="card-head">
          {heading}
          {actions}
        </div>
      ) : (
        heading
      )}
      {children}
    </section>
  );
}

/**
 * A card's title, for a card whose heading is not its first child (reception's
 * waiting list, under the walk-in form): give the card `aria-labelledby={id}`.
 */
export function CardTitle({
  id,
  count,
  children,
}: {
  id: string;
  count?: number;
  children: ReactNode;
}) {
  return (
    <h2 id={id} className="card-title">
      {children}
      {count !== undefined && (
        <>
          {' '}
          <Count value={count} />
        </>
      )}
    </h2>
  );
}

/** The small counter after a title. */
export function Count({ value }: { value: number }) {
  return <span className="count">{value}</span>;
}
