/** The thin top bar of the patient pages: brand, optional status, language switch. */
import { useEffect, type ReactNode } from 'react';
import { setLocale as setAppLocale, useLocale, type Locale } from '../../i18n/index.js';
import { Button } from '../../ui/Button.js';
import { t } from './strings.js';

/** Set once the patient has picked a language with the switch: then it is theirs, whatever the clinic speaks. */
const CHOSEN_KEY = 'queuemed.patient.locale-chosen';

function patientChose(): boolean {
  try {
    return localStorage.getItem(CHOSEN_KEY) !== null;
  } catch {
    return false;
  }
}

/**
 * The patient pages speak the clinic's language (from the join info or the
 * public doc) until the patient picks one with the switch.
 */
export function useClinicLocale(clinicLocale: string | null | undefined): void {
  useEffect(() => {
    if ((clinicLocale === 'fr' || clinicLocale === 'en') && !patientChose())
      setAppLocale(clinicLocale);
  }, [clinicLocale]);
}

function choose(locale: Locale): void {
  try {
    localStorage.setItem(CHOSEN_KEY, locale);
  } catch {
    // private mode: the choice lasts for this page only
  }
  setAppLocale(locale);
}

export function TopBar({ children }: { children?: ReactNode }) {
  const [locale] = useLocale();
  const tr = t(locale);
  return (
    <div className="patient-top">
      <span className="patient-brand">QueueMed</span>
      <span className="patient-top-right">
        {children}
        <Button
          size="small"
          lang={locale === 'fr' ? 'en' : 'fr'}
          aria-label={tr('languageLabel')}
          onClick={() => choose(locale === 'fr' ? 'en' : 'fr')}
        >
          {tr('language')}
        </Button>
      </span>
    </div>
  );
}
