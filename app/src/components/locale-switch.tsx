import { LOCALES, useLocale } from '../i18n/index.js';
import './locale-switch.css';

const NAMES = { fr: 'Français', en: 'English' } as const;

/** FR / EN toggle; the choice is remembered in this browser. */
export function LocaleSwitch() {
  const [locale, setLocale] = useLocale();
  return (
    <div className="locale-switch" role="group" aria-label="Langue / Language">
      {LOCALES.map((l) => (
        <button
          key={l}
          type="button"
          className={l === locale ? 'active' : ''}
          aria-pressed={l === locale}
          lang={l}
          title={NAMES[l]}
          onClick={() => setLocale(l)}
        >
          {l.toUpperCase()}
        </button>
      ))}
    </div>
  );
}
