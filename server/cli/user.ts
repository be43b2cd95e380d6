/** `queuemed user add <email> --clinic <id>… --role <role> --password-stdin [--name "Name"]` */
import { parseClinicId } from '../../shared/ids.js';
import { STAFF_ROLES } from '../../shared/presence.js';
import { UnknownClinicError } from '../auth/tokens.js';
import { createUserRepo, isStaffRoleName } from '../auth/users.js';
import {
  isHelp,
  noClinic,
  parse,
  STORAGE_HELP,
  STORAGE_OPTIONS,
  usage,
  UsageError,
  withStorage,
  type Io,
} from './io.js';

const ROLE_LIST = STAFF_ROLES.join('|');

export const USER_HELP = `Usage: queuemed user add <email> --clinic <clinicId> [--clinic <other>…] --role <${ROLE_LIST}> --password-stdin [--name "Name"]

Creates a staff account that logs in with its email and password, with the
same role in every clinic given. The password is read from stdin (one line,
at least 8 characters), e.g.  printf '%s' "$PW" | queuemed user add …
--name defaults to the part of the email before @.
${STORAGE_HELP}`;

export async function userCommand(args: string[], io: Io): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'add') return usage(io, USER_HELP, isHelp(sub));
  const { values, positionals } = parse(rest, {
    ...STORAGE_OPTIONS,
    clinic: { type: 'string', multiple: true },
    role: { type: 'string' },
    name: { type: 'string' },
    'password-stdin': { type: 'boolean' },
  });
  if (values.help) return (io.out(USER_HELP), 0);
  if (positionals.length !== 1) throw new UsageError('user add takes exactly one <email>');
  const email = positionals[0]!;
  if (!values.clinic?.length) throw new UsageError('user add needs --clinic <clinicId>');
  if (!isStaffRoleName(values.role)) throw new UsageError(`user add needs --role ${ROLE_LIST}`);
  const role = values.role;
  if (!values['password-stdin']) {
    throw new UsageError(
      'user add needs --password-stdin (the password is never a command-line argument)',
    );
  }
  const clinicIds = values.clinic.map(parseClinicId);
  const name = values.name?.trim() || email.trim().split('@')[0] || email;
  if (!io.readStdin) throw new UsageError('no stdin to read the password from');
  // One line: a trailing newline from `echo` or a terminal is not part of the password.
  const password = (await io.readStdin()).replace(/\r?\n$/, '');
  if (password.length === 0) throw new UsageError('empty password on stdin');
  if (/[\r\n]/.test(password)) throw new UsageError('the password must be a single line');

  const user = await withStorage(values, io, async (db) => {
    try {
      return await createUserRepo(db).add(
        { email, name, password, clinics: clinicIds.map((clinicId) => ({ clinicId, role })) },
        Date.now(),
      );
    } catch (err) {
      if (err instanceof UnknownClinicError) throw noClinic(err.clinicId);
      throw err;
    }
  });
  io.out(`user ${user.email} created (${role} of ${clinicIds.join(', ')})`);
  return 0;
}
