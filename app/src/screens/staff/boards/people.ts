/**
 * Names and colours of the clinic's staff by user id, for assignees,
 * comment authors and "moved by": the board doc stores ids only. Known from
 * the clinic's members (`GET /api/clinics/:clinicId/members`, once per board
 * screen, again when the clinic reconnects after a failed fetch), who is
 * online (the clinic's and the board's presence: names the relay stamped),
 * and remembered in localStorage per clinic, so a colleague seen once keeps
 * a name offline.
 *
 * The people one can assign: the members (and oneself) once the list has
 * come; before that, or offline, everyone this screen can name.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
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

/**
 * Who can be assigned, sorted by name: the clinic's members and oneself when
 * the list came (`members`), else everyone with a known name.
 */
export function assignable(
  names: Readonly<Record<string, string>>,
  members: readonly { id: string; name: string }[] | null,
  self: string | null,
): Person[] {
  const ids = members
    ? new Set([...members.map((m) => m.id), ...(self ? [self] : [])])
    : new Set(Object.keys(names));
  return [...ids]
    .map((id) => ({
      id,
      name: names[id] ?? members?.find((m) => m.id === id)?.name ?? id,
      color: colorFor(id),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The people one can assign, sorted by name, with a name lookup by id for everyone known. */
export function usePeople(
  clinic: ClinicSession,
  boardPresence: StoreApi<BoardPresenceState> | null,
): { people: readonly Person[]; nameOf: (id: string) => string | null } {
  const session = useSession((s) => s.session);
  const params = useMemo(() => ({ clinicId: clinic.clinicId }), [clinic.clinicId]);
  const { data: listed, error, reload } = useApi('GET /api/clinics/:clinicId/members', params);
  const members = listed?.members ?? null;
  // Fetched while offline: try again when the clinic is back.
  const online = useStore(clinic.connection, (s) => s.status === 'synced');
  const failed = error !== null && members === null;
  const wasOnline = useRef(online);
  useEffect(() => {
    if (online && !wasOnline.current && failed) reload();
    wasOnline.current = online;
  }, [online, failed, reload]);
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
    for (const m of members ?? []) out[m.id] = m.name;
    for (const p of [...clinicPeople, ...boardPeople]) out[p.user.id] = p.user.name;
    if (session) out[session.user.id] = session.user.name;
    return out;
  }, [stored, members, clinicPeople, boardPeople, session]);
  useEffect(() => {
    try {
      localStorage.setItem(key(clinic.clinicId), JSON.stringify(names));
    } catch {
      // private mode: names last for this page
    }
  }, [clinic.clinicId, names]);
  const self = session?.user.id ?? null;
  return useMemo(
    () => ({
      people: assignable(names, members, self),
      nameOf: (id: string) => names[id] ?? null,
    }),
    [names, members, self],
  );
}
