/**
 * Reception: the live queue of today — add a walk-in in a few keystrokes,
 * reorder by drag or Alt+↑/↓, priorities, transfers, cancel/reactivate,
 * open/close the queue, who each room serves, live stats, and who edits what.
 *
 * The parts: `walk-in-form.tsx`, `waiting-table.tsx`, `finished-list.tsx`,
 * `entry-panel.tsx` (the selected ticket), `reception-side.tsx` (rooms, who is
 * online), `reception-notices.tsx` (messages, lost edits).
 */
import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { EntryId } from '../../../../shared/ids.js';
import type { EntryView } from '../../../../shared/queue/index.js';
import { ConfirmButton } from '../../components/confirm-button.js';
import { UndoToast } from '../../components/undo-toast.js';
import type { ClinicSession } from '../../stores/clinic-session.js';
import { Button } from '../../ui/Button.js';
import { Card, CardTitle } from '../../ui/Card.js';
import { StatusPill } from '../../ui/StatusPill.js';
import { selectEditorsOf } from '../../stores/presence-selectors.js';
import { selectEntry, selectQueueOpen } from '../../stores/queue-selectors.js';
import { useT } from './context.js';
import { EntryPanel } from './entry-panel.js';
import { FinishedList } from './finished-list.js';
import { duration } from './format.js';
import { NotReady, type Message, type Report } from './queue-parts.js';
import { LostEdits, MessageAlert } from './reception-notices.js';
import { OnlinePanel, RoomsPanel } from './reception-side.js';
import type { StaffKey } from './strings.js';
import { WaitingTable } from './waiting-table.js';
import { WalkInForm } from './walk-in-form.js';

export function ReceptionScreen({ clinic }: { clinic: ClinicSession }) {
  const t = useT();
  const q = clinic.queue;
  const ready = useStore(q, (s) => s.ready);
  const open = useStore(q, selectQueueOpen);
  const waitingCount = useStore(q, (s) => s.waiting.length);
  const patients = useStore(q, (s) => s.patients);
  const [selected, setSelected] = useState<EntryId | null>(null);
  const selectedEntry = useStore(q, selectEntry(selected));
  const editors = useStore(clinic.presence, selectEditorsOf(selected));
  const [message, setMessage] = useState<Message | null>(null);
  const setActivity = useStore(clinic.presence, (s) => s.setActivity);
  useEffect(() => {
    setActivity(selected ? { screen: 'reception', entryId: selected } : { screen: 'reception' });
  }, [selected, setActivity]);

  const report: Report = (r) => {
    if (!r.ok) setMessage({ kind: 'error', text: r.error.message });
    return r.ok;
  };
  // Cancelling is one click, so it can be taken back for a while.
  const [undo, setUndo] = useState<{ id: EntryId; label: string } | null>(null);
  const cancelWithUndo = (entry: EntryView) => {
    if (report(q.getState().cancel(entry.id))) setUndo({ id: entry.id, label: entry.label });
  };

  if (!ready) return <NotReady />;
  return (
    <main className="page reception" id="main">
      <div className="page-head">
        <h1>{t('reception')}</h1>
        <div className="page-actions">
          <StatusPill tone={open ? 'success' : 'neutral'} size="normal" testId="queue-state">
            {open ? t('queueOpen') : t('queueClosed')}
          </StatusPill>
          {open ? (
            <ConfirmButton
              question={t('confirmCloseQueue')}
              confirmLabel={t('closeQueue')}
              keepLabel={t('keepOpen')}
              onConfirm={() => report(q.getState().setOpen(false))}
            >
              {t('closeQueue')}
            </ConfirmButton>
          ) : (
            <Button onClick={() => report(q.getState().setOpen(true))}>{t('openQueue')}</Button>
          )}
        </div>
      </div>
      <Stats clinic={clinic} />
      <LostEdits clinic={clinic} onSelect={setSelected} />
      {message && <MessageAlert message={message} onClose={() => setMessage(null)} />}
      <div className="reception-grid">
        <Card aria-labelledby="waiting-title">
          <WalkInForm clinic={clinic} disabled={!open} onDone={setMessage} />
          <CardTitle id="waiting-title" count={waitingCount}>
            {t('waitingList')}
          </CardTitle>
          <WaitingTable
            clinic={clinic}
            selected={selected}
            onSelect={setSelected}
            report={report}
          />
          <FinishedList
            clinic={clinic}
            onSelect={setSelected}
            onReactivate={(id) => report(q.getState().reactivate(id))}
          />
        </Card>
        <aside className="side">
          {selectedEntry && (
            <EntryPanel
              key={selectedEntry.id}
              clinic={clinic}
              entry={selectedEntry}
              patient={patients[selectedEntry.id]}
              editors={editors}
              onClose={() => setSelected(null)}
              onCancel={cancelWithUndo}
              report={report}
            />
          )}
          <RoomsPanel clinic={clinic} />
          <OnlinePanel clinic={clinic} />
        </aside>
      </div>
      {undo && (
        <UndoToast
          key={undo.id}
          text={t('ticketCancelled', { label: undo.label })}
          undoLabel={t('undo')}
          onUndo={() => {
            report(q.getState().reactivate(undo.id));
            setUndo(null);
          }}
          onDone={() => setUndo(null)}
        />
      )}
    </main>
  );
}

/** The day so far: waiting, average and longest wait, served, no-shows. */
function Stats({ clinic }: { clinic: ClinicSession }) {
  const t = useT();
  const stats = useStore(clinic.queue, (s) => s.stats);
  const items: [StaffKey, string][] = [
    ['statWaiting', String(stats?.waiting ?? 0)],
    ['statAvgWait', duration(stats?.averageWaitMs)],
    ['statLongest', duration(stats?.longestWaitMs)],
    ['statServed', String(stats?.served ?? 0)],
    ['statNoShows', String(stats?.noShows ?? 0)],
  ];
  return (
    <dl className="stats">
      {items.map(([k, v]) => (
        <div key={k} className="stat" data-testid={`stat-${k}`}>
          <dt>{t(k)}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}
