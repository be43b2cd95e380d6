import { useState, type FormEvent } from 'react';
import { Button } from '../../ui/Button.js';
import { TextField } from '../../ui/Field.js';
import { Notice } from '../../ui/Notice.js';
import { LocaleSwitch } from '../../components/locale-switch.js';
import { navigate } from '../../components/router.js';
import { HttpError } from '../../sync/http.js';
import { useSessionStore, useT } from './context.js';
import { LoginCard } from './login-card.js';

export function LoginScreen() {
  const t = useT();
  const session = useSessionStore();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const next = new URLSearchParams(window.location.search).get('next');
      await session
        .getState()
        .login(email, password, () =>
          navigate(next && next.startsWith('/c/') ? next : '/', { replace: true }),
        );
    } catch (err) {
      if (err instanceof HttpError) {
        setError(
          err.status === 401
            ? t('badCredentials')
            : err.status === 429
              ? t('tooMany')
              : err.status === 403
                ? t('disabled')
                : err.status === 0
                  ? t('networkError')
                  : t('genericError', { message: err.message }),
        );
      } else setError(t('genericError', { message: String(err) }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <LoginCard>
      <h1>{t('signInTitle')}</h1>
      <p className="muted">{t('signInHint')}</p>
      <form onSubmit={submit} className="stack">
        <TextField
          label={t('email')}
          type="email"
          autoComplete="username"
          required
          autoFocus
          value={email}
          onValue={setEmail}
        />
        <TextField
          label={t('password')}
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onValue={setPassword}
        />
        {error && <Notice tone="danger">{error}</Notice>}
        <Button variant="primary" block type="submit" disabled={busy}>
          {busy ? t('signingIn') : t('signInButton')}
        </Button>
      </form>
      <div className="login-foot">
        <LocaleSwitch />
      </div>
    </LoginCard>
  );
}
