/** Pieces the reception, ticket panel and room screens share. */
import type { PriorityClass, QueueError } from '../../../../shared/queue/index.js';
import { Field } from '../../ui/Field.js';
import { useT } from './context.js';
import type { StaffKey } from './strings.js';

/** Shows a failed action's error; true when it succeeded. */
export type Report = (r: { ok: true } | { ok: false; error: QueueError }) => boolean;

/** A line of feedback above reception's lists (ticket added, or why not). */
export interface Message {
  readonly kind: 'ok' | 'error';
  readonly text: string;
}

const PRIORITIES: readonly PriorityClass[] = ['normal', 'priority', 'urgent'];

/** Shown until the clinic's doc holds the server's seed (first load, no local copy). */
export function NotReady() {
  const t = useT();
  return (
    <main className="page">
      <p className="muted">{t('notReady')}</p>
    </main>
  );
}

export function PriorityField({
  value,
  onChange,
  disabled,
}: {
  value: PriorityClass;
  onChange: (p: PriorityClass) => void;
  disabled?: boolean;
}) {
  const t = useT();
  return (
    <Field label={t('priority')}>
      <select
        value={value}
        onChange={(e) => onChange(e.target.value as PriorityClass)}
        disabled={disabled}
      >
        {PRIORITIES.map((p) => (
          <option key={p} value={p}>
            {t(`priority_${p}` as StaffKey)}
          </option>
        ))}
      </select>
    </Field>
  );
}

/** One option per service or room, by display name. */
export function NamedOptions({ items }: { items: readonly { id: string; name: string }[] }) {
  return items.map((i) => (
    <option key={i.id} value={i.id}>
      {i.name}
    </option>
  ));
}

/**
 * A choice of service or room that hands back the item's own typed id
 * (null for the `none` option, or a value no item has).
 */
export function NamedSelect<Id extends string>({
  items,
  value,
  onChange,
  none,
  disabled,
}: {
  items: readonly { id: Id; name: string }[];
  value: Id | null;
  onChange: (id: Id | null) => void;
  /** The label of a first, empty option ("any room"). */
  none?: string;
  disabled?: boolean;
}) {
  return (
    <select
      value={value ?? ''}
      onChange={(e) => onChange(items.find((i) => i.id === e.target.value)?.id ?? null)}
      disabled={disabled}
    >
      {none !== undefined && <option value="">{none}</option>}
      <NamedOptions items={items} />
    </select>
  );
}
