/**
 * The frame of every staff screen: brand, clinic, navigation by role,
 * who is online, the connection light, language, sign out.
 */
import type { ReactNode } from 'react';
import { useStore } from 'zustand';
import { ConnectionLight } from '../../components/connection-light.js';
import { LocaleSwitch } from '../../components/locale-switch.js';
import { PresenceList } from '../../components/presence-list.js';
import { Link, navigate } from '../../components/router.js';
import type { ClinicSession } from '../../stores/clinic-session.js';
import type { PeerPresence } from '../../stores/presence-store.js';
import type { StaffRole } from '../../stores/session-store.js';
import { Button } from '../../ui/Button.js';
import { Notice } from '../../ui/Notice.js';
import { useSession, useSessionStore, useT } from './context.js';
import type { StaffKey } from './strings.js';

export type StaffScreen = 'reception' | 'room' | 'admin' | 'boards';

/** The boards (huddles, ideas, handovers) are open to every staff role. */
export const SCREENS_BY_ROLE: Record<StaffRole, readonly StaffScreen[]> = {
  admin: ['reception', 'room', 'boards', 'admin'],
  receptionist: ['reception', 'room', 'boards'],
  doctor: ['room', 'reception', 'boards'],
};

/** "Claire (you) · Reception", "Dr Martin · Practitioner · Room 2", plus "not heard from" when stale. */
export function useDescribePeer(
  rooms: readonly { id: string; name: string }[] = [],
): (p: PeerPresence) => string {
  const t = useT();
  return (p) => {
    const role = t(`role_${p.user.role}` as StaffKey);
    const a = p.activity;
    const where = a
      ? a.screen === 'room' && a.room
        ? roomLabel(t, rooms, a.room)
        : t(
            (a.screen === 'admin' || a.screen === 'room' || a.screen === 'boards'
              ? a.screen
              : 'reception') as StaffKey,
          )
      : '';
    const parts = [`${p.user.name}${p.self ? ` (${t('you')})` : ''}`, role];
    // A receptionist on the reception screen: "Accueil" once, not twice.
    if (where && where !== role) parts.push(where);
    if (p.stale) parts.push(t('peerStale'));
    return parts.join(' · ');
  };
}

/** A room's display name; "Room <id>" only for an id no room is configured with. */
export function roomLabel(
  t: ReturnType<typeof useT>,
  rooms: readonly { id: string; name: string }[],
  id: string,
): string {
  const name = rooms.find((r) => r.id === id)?.name;
  if (name) return name;
  return `${t('room')} ${id}`;
}

export function StaffShell({
  clinic,
  screen,
  children,
}: {
  clinic: ClinicSession;
  screen: StaffScreen;
  children: ReactNode;
}) {
  const t = useT();
  const sessionStore = useSessionStore();
  const session = useSession((s) => s.session);
  const fromCache = useSession((s) => s.fromCache);
  const people = useStore(clinic.presence, (s) => s.people);
  const clinicName = useStore(clinic.queue, (s) => s.clinic?.name);
  const rooms = useStore(clinic.queue, (s) => s.rooms);
  const describe = useDescribePeer(rooms);
  const membership = session?.clinics.find((c) => c.id === clinic.clinicId);
  const shownName = clinicName ?? membership?.name ?? clinic.clinicId;
  const screens = membership ? SCREENS_BY_ROLE[membership.role] : [];
  const base = `/c/${clinic.clinicId}`;
  const logout = async () => {
    await sessionStore.getState().logout();
    navigate('/login', { replace: true });
  };
  return (
    <div className="staff-app">
      <header className="topbar">
        <div className="topbar-left">
          <Link to="/" className="brand" aria-label={t('backToClinics')}>
            <span className="brand-mark" aria-hidden="true">
              Q
            </span>
            {t('appName')}
          </Link>
          <span className="clinic-name" title={shownName}>
            {shownName}
          </span>
          <nav className="tabs" aria-label="Navigation">
            {screens.map((s) => (
              <Link
                key={s}
                to={`${base}/${s}`}
                className={s === screen ? 'tab active' : 'tab'}
                aria-current={s === screen ? 'page' : undefined}
              >
                {t(s)}
              </Link>
            ))}
          </nav>
        </div>
        <div className="topbar-right">
          <PresenceList people={people} label={t('online')} describe={describe} />
          <ConnectionLight store={clinic.connection} />
          <LocaleSwitch />
          <span className="user-name" title={session?.user.name}>
            {session?.user.name}
          </span>
          <Button variant="ghost" onClick={() => void logout()}>
            {t('signOut')}
          </Button>
        </div>
      </header>
      {fromCache && (
        <Notice tone="warning" variant="banner" role={null}>
          {t('offlineCached')}
        </Notice>
      )}
      {children}
    </div>
  );
}
