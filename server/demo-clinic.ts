/**
 * The demo clinic `serve` seeds when the database has no clinic: two rooms,
 * three staff accounts sharing one random password, and an admin API token.
 */
import { randomBytes } from 'node:crypto';
import { parseClinicId } from '../shared/ids.js';
import { createClinic } from './clinic-setup.js';
import type { RunningServer } from './server.js';

export const DEMO_CLINIC_ID = parseClinicId('demo');

export const DEMO_STAFF = [
  { email: 'admin@demo.queuemed.test', name: 'Camille Admin', role: 'admin' },
  { email: 'accueil@demo.queuemed.test', name: 'Alex Accueil', role: 'receptionist' },
  { email: 'medecin@demo.queuemed.test', name: 'Dr Morgan', role: 'doctor' },
] as const;

export interface DemoClinic {
  readonly token: string;
  readonly emails: string[];
  readonly password: string;
}

/** Seeds the demo clinic when there is no clinic at all; null otherwise. */
export async function seedDemoIfEmpty(
  server: Pick<RunningServer, 'clinics' | 'store' | 'tokens' | 'users'>,
  now: number,
): Promise<DemoClinic | null> {
  if ((await server.clinics.count()) > 0) return null;
  await createClinic(
    { clinics: server.clinics, store: server.store },
    {
      id: DEMO_CLINIC_ID,
      name: 'Clinique Démo',
      rooms: [
        { id: '1', name: 'Cabinet 1' },
        { id: '2', name: 'Cabinet 2' },
      ],
    },
    now,
  );
  const { token } = await server.tokens.create(
    { clinicId: DEMO_CLINIC_ID, role: 'admin', label: 'Demo admin' },
    now,
  );
  const password = randomBytes(9).toString('base64url');
  for (const s of DEMO_STAFF) {
    await server.users.add(
      {
        email: s.email,
        name: s.name,
        password,
        clinics: [{ clinicId: DEMO_CLINIC_ID, role: s.role }],
      },
      now,
    );
  }
  return { token, emails: DEMO_STAFF.map((s) => s.email), password };
}
