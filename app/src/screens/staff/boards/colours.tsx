/**
 * The colours a label or a column's edge can take, and the swatches to
 * choose one. They are data (the doc stores the hex value, so everyone sees
 * the same colour); each has a name for those who do not see it.
 */
import type { CSSProperties } from 'react';
import { useBoardT } from './context.js';
import type { BoardKey } from './strings.js';

export const BOARD_COLOURS: readonly { readonly value: string; readonly name: BoardKey }[] = [
  { value: '#0b5cad', name: 'colour_blue' },
  { value: '#17663a', name: 'colour_green' },
  { value: '#b45f00', name: 'colour_orange' },
  { value: '#b3261e', name: 'colour_red' },
  { value: '#6b3fa0', name: 'colour_purple' },
  { value: '#566274', name: 'colour_grey' },
];

const same = (a: string | null, b: string | null) =>
  (a ?? '').toLowerCase() === (b ?? '').toLowerCase();

/** One swatch per colour (a radio group), and "no colour" first when `noColour` is set. */
export function ColourChoice({
  label,
  value,
  onChange,
  noColour = false,
  className,
}: {
  label: string;
  value: string | null;
  onChange: (colour: string | null) => void;
  noColour?: boolean;
  className?: string;
}) {
  const t = useBoardT();
  return (
    <div
      className={['colour-choice', className].filter(Boolean).join(' ')}
      role="radiogroup"
      aria-label={label}
    >
      {noColour && (
        <button
          type="button"
          role="radio"
          aria-checked={value === null}
          aria-label={t('noColour')}
          title={t('noColour')}
          className="colour-swatch colour-none"
          onClick={() => onChange(null)}
        />
      )}
      {BOARD_COLOURS.map((c) => (
        <button
          key={c.value}
          type="button"
          role="radio"
          aria-checked={same(c.value, value)}
          aria-label={t(c.name)}
          title={t(c.name)}
          className="colour-swatch"
          data-colour={c.value}
          style={{ '--label': c.value } as CSSProperties}
          onClick={() => onChange(c.value)}
        />
      ))}
    </div>
  );
}
