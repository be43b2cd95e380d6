/**
 * A table of items: column heads, then the rows the screen renders (`<tr>`s).
 * `actionsLabel` adds a last column for row buttons, its head named for screen
 * readers only. A column given as an object can carry a class (its width) or
 * be named for screen readers only.
 */
import type { ReactNode } from 'react';
import { cx } from './cx.js';
import './DataTable.css';

export type Column =
  | string
  | {
      key: string;
      label: ReactNode;
      className?: string;
      srOnly?: boolean;
      /** A longer explanation of the column, as a tooltip. */
      title?: string;
    };

export function DataTable({
  columns,
  actionsLabel,
  caption,
  className,
  testId,
  children,
}: {
  columns: readonly Column[];
  actionsLabel?: string;
  /** For screen readers: what the table holds, or how to use it. */
  caption?: string;
  className?: string;
  testId?: string;
  children: ReactNode;
}) {
  // A table wider than its card scrolls inside it, never the page (reception at 1100–1280 px).
  return (
    <div className="data-table-scroll">
      <table className={cx('data-table', className)} data-testid={testId}>
        {caption && <caption className="sr-only">{caption}</caption>}
        <thead>
          <tr>
            {columns.map((c) =>
              typeof c === 'string' ? (
                <th key={c} scope="col">
                  {c}
                </th>
              ) : (
                <th key={c.key} scope="col" className={c.className} title={c.title}>
                  {c.srOnly ? <span className="sr-only">{c.label}</span> : c.label}
                </th>
              ),
            )}
            {actionsLabel !== undefined && (
              <th scope="col">
                <span className="sr-only">{actionsLabel}</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
