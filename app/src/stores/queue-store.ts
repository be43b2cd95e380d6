/**
 * One zustand vanilla store per open clinic: plain, immutable view data
 * derived from the public doc (`queue:<clinic>`) and, for staff, the staff
 * doc (`staff:<clinic>`), plus actions that call the shared domain
 * operations. React reads this store only; it never touches Y types.
 *
 * Built on `createDocStore`: one derivation per burst of doc changes
 * (coalesced in a microtask) through `queueSnapshot`, again every `tickMs`
 * so waiting times move, and when the session's clock moves.
 */
import type * as Y from 'yjs';
import type { StoreApi } from 'zustand/vanilla';
import type { EntryId } from '../../../shared/ids.js';
import {
  addPatientEntry,
  callNext,
  callTicket,
  callOutcome,
  cancelEntry,
  configureRoom,
  configureService,
  entriesOfDay,
  fail,
  finishService,
  localOrigin,
  markNoShow,
  patientIds,
  queueSnapshot,
  reactivateEntry,
  readClinic,
  readPatient,
  readRooms,
  readServices,
  recall,
  remainingNumbers,
  deviceTag,
  removeRoom,
  reorderEntry,
  sendBack,
  setPriority,
  setQueueOpen,
  startService,
  transferEntry,
  updatePatient,
  type CallOutcome,
  type ClinicView,
  type EntryView,
  type OpContext,
  type PriorityClass,
  type QueueStats,
  type Result,
  type RoomConfig,
  type RoomId,
  type RoomInput,
  type ServiceConfig,
  type ServiceId,
  type ServiceInput,
  type WaitingItem,
} from '../../../shared/queue/index.js';
import type { NumberSource } from '../sync/numbers.js';
import { createDocStore, type ViewClock } from './doc-store.js';

export interface PatientSummary {
  readonly name: string;
  readonly phone: string;
}

export interface QueueView {
  /** The public doc is seeded (synced at least once, or restored from IndexedDB). */
  readonly ready: boolean;
  readonly clinic: ClinicView | null;
  readonly services: readonly ServiceConfig[];
  readonly rooms: readonly RoomConfig[];
  /** Waiting tickets in call order, with position and estimated wait. */
  readonly waiting: readonly WaitingItem[];
  /** Called or in service, most recent first. */
  readonly active: readonly EntryView[];
  /** Done, no-show or cancelled today, most recent first. */
  readonly finished: readonly EntryView[];
  readonly stats: QueueStats | null;
  /** Staff doc: names and phones by entry id (empty without a staff doc). */
  readonly patients: Readonly<Record<string, PatientSummary>>;
  /** Numbers left in this device's offline reserve today; null before the doc is ready. */
  readonly remainingNumbers: number | null;
  /** This device's tag for today's offline series (`K` → A-K1), once the server gave one. */
  readonly deviceTag: string | null;
  /** Clock used for this derivation (server-corrected). */
  readonly now: number;
}

export type ActionResult = Result<object>;

export interface WalkIn {
  readonly name: string;
  readonly phone?: string;
  readonly service?: ServiceId;
  readonly priority?: PriorityClass;
}

export interface QueueActions {
  /** Adds at once, numbered from `number` (issued by the server) or else the device's reserve. */
  addWalkIn(args: WalkIn & { number?: number }): Result<{ entry: EntryView }>;
  /** What the add form does: asks the server for the number first (within ~500 ms), then adds. */
  issueWalkIn(args: WalkIn): Promise<Result<{ entry: EntryView }>>;
  setOpen(open: boolean): ActionResult;
  cancel(entryId: EntryId): ActionResult;
  reactivate(entryId: EntryId): ActionResult;
  /** Drop `entryId` right before/after `target` (drag and drop). */
  reorder(entryId: EntryId, target: EntryId, where: 'before' | 'after'): ActionResult;
  /** Keyboard move by one place in the waiting list (−1 up, +1 down). */
  moveBy(entryId: EntryId, delta: -1 | 1): ActionResult;
  setPriority(entryId: EntryId, priority: PriorityClass): ActionResult;
  transfer(entryId: EntryId, to: { service?: ServiceId; room?: RoomId }): ActionResult;
  updatePatient(entryId: EntryId, patch: { name?: string; phone?: string }): ActionResult;
  callNext(room: RoomId): Result<{ entry: EntryView }>;
  callTicket(entryId: EntryId, room: RoomId): ActionResult;
  recall(entryId: EntryId, room: RoomId): ActionResult;
  start(entryId: EntryId, room: RoomId): ActionResult;
  finish(entryId: EntryId, room: RoomId): ActionResult;
  noShow(entryId: EntryId, room: RoomId): ActionResult;
  sendBack(entryId: EntryId, room: RoomId): ActionResult;
  callOutcome(entryId: EntryId, room: RoomId): CallOutcome;
  configureService(input: ServiceInput): ActionResult;
  configureRoom(input: RoomInput): ActionResult;
  removeRoom(id: RoomId): ActionResult;
  /** Recompute now (e.g. after the clock offset changed). */
  refresh(): void;
  destroy(): void;
}

export type QueueState = QueueView & QueueActions;

export interface QueueStoreDeps {
  readonly queueDoc: Y.Doc;
  readonly staffDoc?: Y.Doc | null;
  /** The session's server-corrected clock (`subscribe`: derive again when it moves). */
  readonly clock: ViewClock;
  /** This issuing replica's id for ticket numbers. */
  readonly device?: string;
  /** Where ticket numbers come from (the server, else the reserve); without it, the reserve only. */
  readonly numbers?: NumberSource;
  /** Who acts (user id), recorded in the transaction origin. */
  readonly actor?: string;
  /** How often waiting times are recomputed without doc changes (0: never). */
  readonly tickMs?: number;
}

const EMPTY_PATIENTS: Readonly<Record<string, PatientSummary>> = Object.freeze({});

export function deriveView(
  queueDoc: Y.Doc,
  staffDoc: Y.Doc | null,
  now: number,
  device: string | undefined,
  previousPatients: Readonly<Record<string, PatientSummary>> = EMPTY_PATIENTS,
  withheld?: ReadonlySet<number>,
): QueueView {
  const clinic = readClinic(queueDoc);
  const snapshot = queueSnapshot(queueDoc, now);
  const today = snapshot.day === null ? [] : entriesOfDay(queueDoc, snapshot.day);
  const recent = (e: EntryView) => e.updatedAt;
  const active = today
    .filter((e) => e.status === 'called' || e.status === 'in-service')
    .sort((a, b) => recent(b) - recent(a));
  const finished = today
    .filter((e) => e.status === 'done' || e.status === 'no-show' || e.status === 'cancelled')
    .sort((a, b) => (b.finishedAt ?? b.updatedAt) - (a.finishedAt ?? a.updatedAt));
  let patients = previousPatients;
  if (staffDoc) {
    const next: Record<string, PatientSummary> = {};
    let same = true;
    const ids = patientIds(staffDoc);
    if (ids.length !== Object.keys(previousPatients).length) same = false;
    for (const id of ids) {
      const p = readPatient(staffDoc, id);
      if (!p) continue;
      const old = previousPatients[id];
      if (old && old.name === p.name && old.phone === p.phone) next[id] = old;
      else {
        next[id] = { name: p.name, phone: p.phone };
        same = false;
      }
    }
    patients = same ? previousPatients : next;
  }
  return {
    ready: clinic !== null,
    clinic,
    services: readServices(queueDoc),
    rooms: readRooms(queueDoc),
    waiting: snapshot.waiting,
    active,
    finished,
    stats: clinic ? snapshot.stats : null,
    patients,
    remainingNumbers:
      device !== undefined && snapshot.day !== null
        ? remainingNumbers(queueDoc, device, snapshot.day, withheld)
        : null,
    deviceTag:
      device !== undefined && snapshot.day !== null
        ? deviceTag(queueDoc, device, snapshot.day)
        : null,
    now,
  };
}

export function createQueueStore(deps: QueueStoreDeps): StoreApi<QueueState> {
  const { queueDoc, staffDoc = null } = deps;
  const ctx = (): OpContext => ({
    now: deps.clock.now(),
    origin: localOrigin(deps.actor),
    ...(deps.device === undefined ? {} : { device: deps.device }),
    ...(deps.numbers === undefined ? {} : { withheld: deps.numbers.withheld() }),
  });
  const noStaff = () => fail('not-seeded', 'staff data unavailable');

  const docs = createDocStore<QueueView, QueueActions>({
    docs: staffDoc ? [queueDoc, staffDoc] : [queueDoc],
    derive: (now, previous) =>
      deriveView(
        queueDoc,
        staffDoc,
        now,
        deps.device,
        previous?.patients,
        deps.numbers?.withheld(),
      ),
    clock: deps.clock,
    tickMs: deps.tickMs ?? 15_000,
    actions: (get) => ({
      async issueWalkIn(args) {
        if (!staffDoc) return noStaff();
        // Closed queue: do not take a number for a ticket that cannot be added.
        const number = readClinic(queueDoc)?.open ? await deps.numbers?.take() : null;
        const r = get().addWalkIn(
          number === null || number === undefined ? args : { ...args, number },
        );
        if (r.ok) deps.numbers?.added();
        return r;
      },
      addWalkIn(args) {
        if (!staffDoc) return noStaff();
        const { name, phone, service, priority, number } = args;
        const r = addPatientEntry(
          queueDoc,
          staffDoc,
          {
            source: 'walk-in',
            ...(service ? { service } : {}),
            ...(priority ? { priority } : {}),
            patient: { name: name.trim(), ...(phone ? { phone: phone.trim() } : {}) },
          },
          number === undefined ? ctx() : { ...ctx(), number },
        );
        return r.ok ? { ok: true, entry: r.entry } : r;
      },
      setOpen: (open) => setQueueOpen(queueDoc, { open }, ctx()),
      cancel: (entryId) => cancelEntry(queueDoc, { entryId }, ctx()),
      reactivate: (entryId) => reactivateEntry(queueDoc, { entryId }, ctx()),
      reorder: (entryId, target, where) =>
        reorderEntry(
          queueDoc,
          where === 'before' ? { entryId, before: target } : { entryId, after: target },
          ctx(),
        ),
      moveBy(entryId, delta) {
        const list = get().waiting;
        const i = list.findIndex((w) => w.entry.id === entryId);
        const target = list[i + delta];
        if (i < 0 || !target) return { ok: true };
        return reorderEntry(
          queueDoc,
          delta < 0 ? { entryId, before: target.entry.id } : { entryId, after: target.entry.id },
          ctx(),
        );
      },
      setPriority: (entryId, priority) => setPriority(queueDoc, { entryId, priority }, ctx()),
      transfer: (entryId, to) => transferEntry(queueDoc, { entryId, ...to }, ctx()),
      updatePatient(entryId, patch) {
        if (!staffDoc) return noStaff();
        return updatePatient(queueDoc, staffDoc, { entryId, ...patch }, ctx());
      },
      callNext: (room) => callNext(queueDoc, { room }, ctx()),
      callTicket: (entryId, room) => callTicket(queueDoc, { entryId, room }, ctx()),
      recall: (entryId, room) => recall(queueDoc, { entryId, room }, ctx()),
      start: (entryId, room) => startService(queueDoc, { entryId, room }, ctx()),
      finish: (entryId, room) => finishService(queueDoc, { entryId, room }, ctx()),
      noShow: (entryId, room) => markNoShow(queueDoc, { entryId, room }, ctx()),
      sendBack: (entryId, room) => sendBack(queueDoc, { entryId, room }, ctx()),
      callOutcome: (entryId, room) => callOutcome(queueDoc, entryId, room),
      configureService: (input) => configureService(queueDoc, input, ctx()),
      configureRoom: (input) => configureRoom(queueDoc, input, ctx()),
      removeRoom: (id) => removeRoom(queueDoc, { id }, ctx()),
      refresh: () => docs.refresh(),
      destroy: () => docs.destroy(),
    }),
  });
  return docs.store;
}
