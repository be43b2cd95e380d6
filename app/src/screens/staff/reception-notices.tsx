/** Reception's notices: the last action's outcome, and "your edit lost" for each lost edit. */
import { useStore } from 'zustand';
import type { EntryId } from '../../../../shared/ids.js';
import type { ClinicSession } from '../../stores/clinic-session.js';
import type { LostEdit } from '../../stores/lost-edits.js';
import { selectEntryLabel } from '../../stores/queue-selectors.js';
import { Button } from '../../ui/Button.js';
import { Notice } from '../../ui/Notice.js';
import { useT } from './context.js';
import type { Message } from './queue-parts.js';

/** The outcome of the last action (ticket added, or why it failed), until closed. */
export function MessageAlert({ message, onClose }: { message: Message; onClose: () => void }) {
  const t = useT();
  return (
    <Notice
      tone={message.kind === 'error' ? 'danger' : 'success'}
      role="alert"
      onClose={onClose}
      closeLabel={t('close')}
    >
      {message.text}
    </Notice>
  );
}

/** "Your edit lost": a committed value replaced by a colleague's concurrent edit. */
export function LostEdits({
  clinic,
  onSelect,
}: {
  clinic: ClinicSession;
  onSelect: (id: EntryId) => void;
}) {
  const lost = useStore(clinic.lostEdits, (s) => s.lost);
  if (lost.length === 0) return null;
  return (
    <div className="lost-edits">
      {lost.map((l) => (
        <LostEditNotice key={l.id} clinic={clinic} lost={l} onSelect={onSelect} />
      ))}
    </div>
  );
}

function LostEditNotice({
  clinic,
  lost,
  onSelect,
}: {
  clinic: ClinicSession;
  lost: LostEdit;
  onSelect: (id: EntryId) => void;
}) {
  const t = useT();
  const label = useStore(clinic.queue, selectEntryLabel(lost.entryId));
  return (
    <Notice
      tone="warning"
      testId="lost-edit"
      onClose={() => clinic.lostEdits.getState().dismiss(lost.id)}
      closeLabel={t('close')}
    >
      <span>
        {t('editLost', {
          field: t(lost.field === 'name' ? 'patientName' : 'phone'),
          label: label ?? '—',
          mine: lost.mine,
          theirs: lost.theirs,
        })}{' '}
        <Button variant="link" onClick={() => onSelect(lost.entryId)}>
          {t('openTicket')}
        </Button>
      </span>
    </Notice>
  );
}
