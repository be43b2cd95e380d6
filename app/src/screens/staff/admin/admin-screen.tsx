/**
 * Admin: one card per section. Clinic settings, services and rooms edit
 * the public doc through domain ops; staff, displays, the QR join link and
 * API keys go through the HTTP API. This folder holds one file per
 * section, plus what they share: `parts` (card, table, row buttons, add
 * form), `notice` (the ok/error line) and `use-draft` (add-form fields).
 */
import { useEffect } from 'react';
import { useStore } from 'zustand';
import type { ClinicSession } from '../../../stores/clinic-session.js';
import { useT } from '../context.js';
import { ApiKeysSection } from './api-keys-section.js';
import { ClinicSection } from './clinic-section.js';
import { DisplaysSection } from './displays-section.js';
import { JoinLinkSection } from './join-link-section.js';
import { RoomsSection } from './rooms-section.js';
import { ServicesSection } from './services-section.js';
import { StaffSection } from './staff-section.js';

export function AdminScreen({ clinic }: { clinic: ClinicSession }) {
  const t = useT();
  const setActivity = useStore(clinic.presence, (s) => s.setActivity);
  useEffect(() => setActivity({ screen: 'admin' }), [setActivity]);
  return (
    <main className="page admin" id="main">
      <div className="page-head">
        <h1>{t('admin')}</h1>
      </div>
      <div className="admin-grid">
        <ClinicSection clinic={clinic} />
        <ServicesSection clinic={clinic} />
        <RoomsSection clinic={clinic} />
        <StaffSection clinicId={clinic.clinicId} />
        <DisplaysSection clinicId={clinic.clinicId} />
        <JoinLinkSection clinicId={clinic.clinicId} />
        <ApiKeysSection clinicId={clinic.clinicId} />
      </div>
    </main>
  );
}
