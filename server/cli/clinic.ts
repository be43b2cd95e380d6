/** `queuemed clinic add <clinicId> --name "<name>" [--timezone TZ] [--locale fr|en]` */
import { parseClinicId } from '../../shared/ids.js';
import { createClinicRepo } from '../auth/clinics.js';
import { createClinic } from '../clinic-setup.js';
import { createSqlDocStore } from '../store/sql-store.js';
import {
  isHelp,
  parse,
  STORAGE_HELP,
  STORAGE_OPTIONS,
  usage,
  UsageError,
  withStorage,
  type Io,
} from './io.js';

export const CLINIC_HELP = `Usage: queuemed clinic add <clinicId> --name "<name>" [--timezone Europe/Paris] [--locale fr|en]

Creates a clinic and seeds its queue and staff documents.
${STORAGE_HELP}`;

export async function clinicCommand(args: string[], io: Io): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'add') return usage(io, CLINIC_HELP, isHelp(sub));
  const { values, positionals } = parse(rest, {
    ...STORAGE_OPTIONS,
    name: { type: 'string' },
    timezone: { type: 'string' },
    locale: { type: 'string' },
  });
  if (values.help) return (io.out(CLINIC_HELP), 0);
  if (positionals.length !== 1) throw new UsageError('clinic add takes exactly one <clinicId>');
  if (!values.name?.trim()) throw new UsageError('clinic add needs --name "<name>"');
  const locale = values.locale ?? 'fr';
  if (locale !== 'fr' && locale !== 'en') throw new UsageError('--locale must be fr or en');
  const timezone = values.timezone ?? 'Europe/Paris';
  if (!isTimeZone(timezone)) throw new UsageError(`unknown --timezone ${JSON.stringify(timezone)}`);
  const id = parseClinicId(positionals[0]);
  await withStorage(values, io, (db) =>
    createClinic(
      { clinics: createClinicRepo(db), store: createSqlDocStore(db) },
      { id, name: values.name!.trim(), timezone, locale },
      Date.now(),
    ),
  );
  io.out(`clinic ${id} created`);
  return 0;
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
