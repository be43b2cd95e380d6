/**
 * What does not work on an insecure address, said plainly. Browsers give
 * service workers (the offline reload), notifications and push only to
 * secure origins: https, or localhost. On `http://<LAN address>` they
 * silently do nothing, so the patient page and Admin say so.
 */
import type { Locale } from '../i18n/index.js';
import { makeT } from '../i18n/index.js';
import { Notice } from '../ui/Notice.js';
import './secure-origin.css';

/** This page's origin is secure (https or localhost), as the browser judges it. */
export function isSecureOrigin(): boolean {
  return typeof window === 'undefined' || window.isSecureContext !== false;
}

const fr = {
  patientTitle: 'Pas de notification sur cette adresse',
  patientBody:
    'Cette page n’est pas en https : votre téléphone ne peut pas afficher de notification « c’est votre tour ». Gardez cette page ouverte à l’écran : elle sonne et vibre tant qu’elle est ouverte.',
  staffTitle: 'Adresse non sécurisée (http)',
  staffBody:
    'Les navigateurs réservent aux adresses https (ou localhost) les notifications et le push sur les téléphones des patients, et le redémarrage hors ligne des écrans et des postes (service worker). Sur {origin}, ces fonctions ne font rien. Servez QueueMed en https (voir « HTTPS » dans le README).',
};
const en: typeof fr = {
  patientTitle: 'No notifications on this address',
  patientBody:
    'This page is not on https: your phone cannot show an “it’s your turn” notification. Keep this page on screen: it rings and vibrates while it is open.',
  staffTitle: 'Insecure address (http)',
  staffBody:
    'Browsers give notifications and push on patients’ phones, and the offline reload of displays and desks (service worker), only to https addresses (or localhost). On {origin}, these do nothing. Serve QueueMed over https (see “HTTPS” in the README).',
};
const t = makeT({ fr, en });

export function InsecureOriginNotice({
  audience,
  locale,
  origin = typeof location === 'undefined' ? '' : location.origin,
}: {
  audience: 'patient' | 'staff';
  locale: Locale;
  /** The insecure address to name (staff): defaults to this page's. */
  origin?: string;
}) {
  const tr = t(locale);
  return (
    <Notice
      tone="warning"
      variant="bar"
      role="note"
      className="insecure-origin"
      testId="insecure-origin"
      title={tr(audience === 'patient' ? 'patientTitle' : 'staffTitle')}
    >
      <p>{tr(audience === 'patient' ? 'patientBody' : 'staffBody', { origin })}</p>
    </Notice>
  );
}
