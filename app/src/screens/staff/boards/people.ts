/**
 * Names and colours of the clinic's staff by user id, for assignees,
 * comment authors and "moved by": the board doc stores ids only. Known from
 * who is online (the clinic's and the board's presence: names the relay
 * stamped), the staff list when the person is an admin, and remembered in
 * localStorage per clinic, so a colleague seen once keeps a name offline.
 */
import { useEffect, useMemo, useState } from 'react';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import { colorFor } from '../../../../../shared/presence.js';
import type { BoardPresenceState } from '../../../stores/board-presence.js';
import type { ClinicSession } from '../../../stores/clinic-session.js';
import { useSession } from '../context.js';
import { useApi } from '../use-api.js';

export interface Person {
  readonly id: string;
  readonly name: string;
  readonly color: string;
}

const key = (clinicId: string) => `queuemed.people.${clinicId}`;

function remembered(clinicId: string): Record<string, string> {
  try {
    const raw = JSON.parse(localStorage.getItem(key(clinicId)) ?? '{}') as unknown;
    if (typeof raw !== 'object' || raw === null) return {};
    return Object.fromEntries(
      Object.entries(raw).filter((e): e is [string, string] => typeof e[1] === 'string'),
    );
  } catch {
    return {};
  }
}

/** Everyone this screen can name, sorted by name, with a lookup by id. */
export function usePeople(
  clinic: ClinicSession,
  boardPresence: StoreApi<BoardPresenceState> | null,
): { people: readonly Person[]; nameOf: (id: string) => string | null } {
  const session = useSession((s) => s.session);
  const role = session?.clinics.find((c) => c.id === clinic.clinicId)?.role;
  const staff = useApi(
    'GET /api/clinics/:clinicId/staff',
    role === 'admin' ? { clinicId: clinic.clinicId } : null,
  ).data;
  const clinicPeople = useStore(clinic.presence, (s) => s.people);
  const emptyPresence = useMemo(
    () => ({ getState: () => ({ people: [] }), subscribe: () => () => undefined }),
    [],
  );
  const boardPeople = useStore(
    (boardPresence ?? emptyPresence) as StoreApi<Pick<BoardPresenceState, 'people'>>,
    (s) => s.people,
  );
  const [stored] = useState(() => remembered(clinic.clinicId));
  const names = useMemo(() => {
    const out: Record<string, string> = { ...stored };
    for (const s of staff?.staff ?? []) if (!s.disabled) out[s.id] = s.name;
    for (const p of [...clinicPeople, ...boardPeople]) out[p.user.id] = p.user.name;
    if (session) out[session.user.id] = session.user.name;
    return out;
  }, [stored, staff, clinicPeople, boardPeople, session]);
  useEffect(() => {
    try {
      localStorage.setItem(key(clinic.clinicId), JSON.stringify(names));
    } catch {
      // private mode: names last for this page
    }
  }, [clinic.clinicId, names]);
  return useMemo(() => {
    const people = Object.entries(names)
      .map(([id, name]) => ({ id, name, color: colorFor(id) }))
      .sort((a, b) => a.name.localeCompare(b.name));
    return { people, nameOf: (id: string) => names[id] ?? null };
  }, [names]);
}
