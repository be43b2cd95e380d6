/**
 * The staff app's routes (`entries/staff.tsx` starts it; the display and the
 * patient pages have their own entries and never load this). Staff screens
 * load the session, redirect to /login when signed out, and check the clinic
 * membership before opening any document.
 */
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { matchPath, navigate, usePathname } from './components/router.js';
import { AdminScreen } from './screens/staff/admin/admin-screen.js';
import { BoardScreen } from './screens/staff/boards/board-screen.js';
import { BoardsListScreen } from './screens/staff/boards/boards-list-screen.js';
import { ClinicPicker } from './screens/staff/clinic-picker.js';
import { SessionContext, useSession, useSessionStore, useT } from './screens/staff/context.js';
import { LoginScreen } from './screens/staff/login-screen.js';
import { ReceptionScreen } from './screens/staff/reception-screen.js';
import { RoomScreen } from './screens/staff/room-screen.js';
import { SCREENS_BY_ROLE, StaffShell, type StaffScreen } from './screens/staff/staff-shell.js';
import { useClinicSession } from './screens/staff/use-clinic-session.js';
import { presenceUser } from './stores/clinic-session.js';
import { createSessionStore, type StaffRole } from './stores/session-store.js';
import { watchAppVersion } from './sync/app-version.js';
import { Card } from './ui/Card.js';

export function App() {
  const path = usePathname();
  const sessionStore = useMemo(() => createSessionStore(), []);
  useEffect(() => {
    void sessionStore.getState().load();
    // A session restored from the cache during a cut is checked again once the network is back.
    const recheck = () => {
      if (sessionStore.getState().fromCache) void sessionStore.getState().load();
    };
    window.addEventListener('online', recheck);
    return () => window.removeEventListener('online', recheck);
  }, [sessionStore]);
  const [updateReady, setUpdateReady] = useState(false);
  useEffect(() => {
    const w = watchAppVersion({
      quiet: () => document.querySelector('[data-unsynced]:not([data-unsynced="0"])') === null,
      onUpdateReady: () => setUpdateReady(true),
    });
    return () => w.stop();
  }, []);
  return (
    <SessionContext.Provider value={sessionStore}>
      <StaffRoutes path={path} />
      {updateReady && <UpdateBanner />}
    </SessionContext.Provider>
  );
}

function UpdateBanner() {
  const t = useT();
  return (
    <div className="update-banner" role="status">
      {t('updateReady')}
    </div>
  );
}

function StaffRoutes({ path }: { path: string }) {
  const status = useSession((s) => s.status);
  const t = useT();
  useEffect(() => {
    if (status === 'signed-out' && path !== '/login') {
      const next = path.startsWith('/c/') ? `?next=${encodeURIComponent(path)}` : '';
      navigate(`/login${next}`, { replace: true });
    }
    if (status === 'signed-in' && path === '/login') navigate('/', { replace: true });
  }, [status, path]);
  if (path === '/login') return status === 'loading' ? <Loading /> : <LoginScreen />;
  if (status !== 'signed-in') return <Loading label={t('loading')} />;
  if (path === '/' || path === '') return <ClinicPicker />;
  let m: Record<string, string> | null;
  if ((m = matchPath('/c/:clinicId/reception', path)))
    return <ClinicRoute clinicId={m.clinicId!} screen="reception" />;
  if ((m = matchPath('/c/:clinicId/room/:room?', path)))
    return <ClinicRoute clinicId={m.clinicId!} screen="room" room={m.room ?? null} />;
  if ((m = matchPath('/c/:clinicId/admin', path)))
    return <ClinicRoute clinicId={m.clinicId!} screen="admin" />;
  if ((m = matchPath('/c/:clinicId/boards/:boardId?', path)))
    return <ClinicRoute clinicId={m.clinicId!} screen="boards" board={m.boardId ?? null} />;
  if ((m = matchPath('/c/:clinicId', path))) return <Redirect to={`/c/${m.clinicId!}/reception`} />;
  return <Redirect to="/" />;
}

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

function Loading({ label }: { label?: string }) {
  return (
    <main className="center-page" aria-busy="true">
      <p className="muted">{label ?? '…'}</p>
    </main>
  );
}

function NoAccess({ message }: { message: string }) {
  const t = useT();
  return (
    <main className="center-page">
      <Card className="narrow" aria-labelledby="no-access-title">
        <h1 id="no-access-title">{message}</h1>
        <p>
          <a href="/" onClick={(e) => (e.preventDefault(), navigate('/'))}>
            {t('backToClinics')}
          </a>
        </p>
      </Card>
    </main>
  );
}

function ClinicRoute({
  clinicId,
  screen,
  room,
  board,
}: {
  clinicId: string;
  screen: StaffScreen;
  room?: string | null;
  board?: string | null;
}) {
  const t = useT();
  const session = useSession((s) => s.session);
  const membership = session?.clinics.find((c) => c.id === clinicId);
  if (!session || !membership) return <NoAccess message={t('noAccess')} />;
  if (!SCREENS_BY_ROLE[membership.role].includes(screen))
    return <NoAccess message={t('noAccessRole')} />;
  return (
    <OpenClinic clinicId={clinicId} role={membership.role} user={session.user}>
      {(clinic) => (
        <StaffShell clinic={clinic} screen={screen}>
          {screen === 'reception' && <ReceptionScreen clinic={clinic} />}
          {screen === 'room' && <RoomScreen clinic={clinic} room={room ?? null} />}
          {screen === 'admin' && <AdminScreen clinic={clinic} />}
          {screen === 'boards' &&
            (board ? (
              <BoardScreen key={board} clinic={clinic} boardId={board} />
            ) : (
              <BoardsListScreen clinic={clinic} />
            ))}
        </StaffShell>
      )}
    </OpenClinic>
  );
}

function OpenClinic({
  clinicId,
  role,
  user,
  children,
}: {
  clinicId: string;
  role: StaffRole;
  user: { id: string; name: string };
  children: (clinic: NonNullable<ReturnType<typeof useClinicSession>>) => ReactNode;
}) {
  const t = useT();
  const sessionStore = useSessionStore();
  const presence = useMemo(() => presenceUser(user, role), [user, role]);
  const clinic = useClinicSession(clinicId, presence);
  if (!clinic) return <Loading label={t('loading')} />;
  return (
    <>
      <ExpiryWatch clinic={clinic} onExpired={() => sessionStore.getState().expired()} />
      {children(clinic)}
    </>
  );
}

/** A relay close 4401 means the session was revoked or expired: back to the login page. */
function ExpiryWatch({
  clinic,
  onExpired,
}: {
  clinic: NonNullable<ReturnType<typeof useClinicSession>>;
  onExpired: () => void;
}) {
  const code = useStore(clinic.connection, (s) => s.closedCode);
  useEffect(() => {
    if (code === 4401) onExpired();
  }, [code, onExpired]);
  return null;
}
