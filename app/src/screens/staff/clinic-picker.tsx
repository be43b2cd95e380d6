import { useEffect } from 'react';
import { LocaleSwitch } from '../../components/locale-switch.js';
import { Link, navigate } from '../../components/router.js';
import { Button } from '../../ui/Button.js';
import { StatusPill } from '../../ui/StatusPill.js';
import { SCREENS_BY_ROLE } from './staff-shell.js';
import { useSession, useSessionStore, useT } from './context.js';
import { LoginCard } from './login-card.js';
import type { StaffKey } from './strings.js';

/** Staff of one clinic go straight to their first screen; staff of several choose. */
export function ClinicPicker() {
  const t = useT();
  const session = useSession((s) => s.session);
  const sessionStore = useSessionStore();
  const clinics = session?.clinics ?? [];
  const only = clinics.length === 1 ? clinics[0] : undefined;
  useEffect(() => {
    if (only) navigate(`/c/${only.id}/${SCREENS_BY_ROLE[only.role][0]}`, { replace: true });
  }, [only]);
  if (only) return null;
  return (
    <LoginCard>
      <h1>{clinics.length ? t('chooseClinic') : t('noClinic')}</h1>
      <ul className="clinic-list">
        {clinics.map((c) => (
          <li key={c.id}>
            <Link to={`/c/${c.id}/${SCREENS_BY_ROLE[c.role][0]}`} className="clinic-link">
              <span className="clinic-link-name">{c.name}</span>
              <StatusPill>{t(`role_${c.role}` as StaffKey)}</StatusPill>
            </Link>
          </li>
        ))}
      </ul>
      <div className="login-foot">
        <LocaleSwitch />
        <Button
          variant="ghost"
          onClick={() =>
            void sessionStore
              .getState()
              .logout()
              .then(() => navigate('/login', { replace: true }))
          }
        >
          {t('signOut')}
        </Button>
      </div>
    </LoginCard>
  );
}
