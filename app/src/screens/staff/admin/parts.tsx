/** Building blocks the admin sections share: the card, tables, row buttons, add forms. */
import type { FormEvent, ReactNode } from 'react';
import { Button } from '../../../ui/Button.js';
import { Card } from '../../../ui/Card.js';
import { DataTable as Table } from '../../../ui/DataTable.js';
import { useT } from '../context.js';
import type { StaffKey } from '../strings.js';
import { STAFF_ROLES } from '../../../../../shared/presence.js';

export function Section({
  id,
  title,
  children,
}: {
  id: string;
  title: string;
  children: ReactNode;
}) {
  return (
    <Card className="admin-section" id={id} title={title} titleId={`${id}-title`}>
      {children}
    </Card>
  );
}

/** A table of configured items; `actions` adds a last column for row buttons, named for screen readers only. */
export function DataTable({
  columns,
  actions = false,
  children,
}: {
  columns: readonly string[];
  actions?: boolean;
  children: ReactNode;
}) {
  const t = useT();
  return (
    <Table columns={columns} actionsLabel={actions ? t('colActions') : undefined}>
      {children}
    </Table>
  );
}

/** A small button acting on one row; `name` says which row to a screen reader. */
export function RowButton({
  label,
  name,
  onClick,
}: {
  label: string;
  name: string;
  onClick: () => void;
}) {
  return (
    <Button variant="ghost" size="small" onClick={onClick}>
      {label}
      <span className="sr-only"> {name}</span>
    </Button>
  );
}

/** The "open" checkbox of a service or room. */
export function OpenCheckbox({
  name,
  open,
  onToggle,
}: {
  name: string;
  open: boolean;
  onToggle: (open: boolean) => void;
}) {
  const t = useT();
  return (
    <input
      type="checkbox"
      aria-label={`${t('open')} ${name}`}
      checked={open}
      onChange={(e) => onToggle(e.target.checked)}
    />
  );
}

/** A one-line form that adds an item; `wrap` lets its fields wrap on narrow screens. */
export function AddForm({
  submitLabel,
  onSubmit,
  wrap = false,
  children,
}: {
  submitLabel: string;
  onSubmit: () => void;
  wrap?: boolean;
  children: ReactNode;
}) {
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit();
  };
  return (
    <form className={wrap ? 'inline-form wrap' : 'inline-form'} onSubmit={submit}>
      {children}
      <Button type="submit">{submitLabel}</Button>
    </form>
  );
}

export type Role = (typeof STAFF_ROLES)[number];

export function RoleOptions({ roles }: { roles: readonly Role[] }) {
  const t = useT();
  return roles.map((r) => (
    <option key={r} value={r}>
      {t(`role_${r}` as StaffKey)}
    </option>
  ));
}
