import type { ReactNode } from 'react';
import { useT } from './context.js';

/** The centred card with the brand that sign-in and the clinic choice share. */
export function LoginCard({ children }: { children: ReactNode }) {
  const t = useT();
  return (
    <main className="login-page">
      <div className="login-card">
        <div className="brand brand-large">
          <span className="brand-mark" aria-hidden="true">
            Q
          </span>
          {t('appName')}
        </div>
        {children}
      </div>
    </main>
  );
}
