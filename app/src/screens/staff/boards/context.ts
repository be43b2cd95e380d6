import { useLocale } from '../../../i18n/index.js';
import { boardT } from './strings.js';

/** The boards screens' translator for the current locale. */
export function useBoardT() {
  const [locale] = useLocale();
  return boardT(locale);
}
