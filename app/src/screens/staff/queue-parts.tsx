/** Pieces the reception, ticket panel and room screens share. */
import type { PriorityClass } from '../../../../shared/queue/index.js';
import { Field } from '../../components/field.js';
import { useT } from './context.js';
import type { StaffKey } from './strings.js';

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
