/** The thin top bar of the patient pages: brand, optional status, language switch. */
import type { ReactNode } from 'react';
import { useLocale } from '../../i18n/index.js';
import { t } from './strings.js';

export function TopBar({ children }: { children?: ReactNode }) {
  const [locale, setLocale] = useLocale();
  const tr = t(locale);
  return (
    <div className="patient-top">
      <span className="patient-brand">QueueMed</span>
      <span className="patient-top-right">
        {children}
        <button
          type="button"
          className="patient-lang"
          lang={locale === 'fr' ? 'en' : 'fr'}
          aria-label={tr('languageLabel')}
          onClick={() => setLocale(locale === 'fr' ? 'en' : 'fr')}
        >
          {tr('language')}
        </button>
      </span>
    </div>
  );
}
