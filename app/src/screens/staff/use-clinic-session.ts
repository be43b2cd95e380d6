import { useEffect, useState } from 'react';
import { isClinicId } from '../../../../shared/ids.js';
import type { PresenceUser } from '../../../../shared/presence.js';
import { openClinicSession, type ClinicSession } from '../../stores/clinic-session.js';
import { deviceId } from '../../sync/device-id.js';
import { useSessionStore } from './context.js';

/** Opens the clinic's docs and stores for as long as the screen is mounted. */
export function useClinicSession(
  clinicId: string,
  user: PresenceUser | null,
): ClinicSession | null {
  const sessionStore = useSessionStore();
  const [session, setSession] = useState<ClinicSession | null>(null);
  const userKey = user ? `${user.id}|${user.name}|${user.role}` : '';
  useEffect(() => {
    if (!user || !isClinicId(clinicId)) return;
    const { http, clock } = sessionStore.getState();
    const s = openClinicSession({ clinicId, user, device: deviceId(), http, clock });
    setSession(s);
    (window as unknown as { __queuemed?: ClinicSession }).__queuemed = s;
    return () => {
      setSession(null);
      s.destroy();
    };
    // the user object is rebuilt on every render; its identity is userKey
  }, [clinicId, userKey, sessionStore]);
  return session;
}
