/** `queuemed token create …` and `queuemed token revoke <token>` */
import { parseClinicId } from '../../shared/ids.js';
import { ROLES, type Role } from '../../shared/presence.js';
import { createClinicRepo } from '../auth/clinics.js';
import { createTokenRepo } from '../auth/tokens.js';
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

export const TOKEN_CREATE_HELP = `Usage: queuemed token create --clinic <clinicId> --role <${ROLES.join('|')}> [--ttl 1h] [--label TEXT]

Prints a new access token, alone on stdout. --ttl accepts s, m, h, d (e.g. 90m, 7d).
${STORAGE_HELP}`;

export const TOKEN_REVOKE_HELP = `Usage: queuemed token revoke <token>

Revokes a token; servers using the same database close its sockets within seconds.
${STORAGE_HELP}`;

export async function tokenCommand(args: string[], io: Io): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'create') return create(rest, io);
  if (sub === 'revoke') return revoke(rest, io);
  return usage(io, `${TOKEN_CREATE_HELP}\n\n${TOKEN_REVOKE_HELP}`, isHelp(sub));
}

async function create(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, {
    ...STORAGE_OPTIONS,
    clinic: { type: 'string' },
    role: { type: 'string' },
    ttl: { type: 'string' },
    label: { type: 'string' },
  });
  if (values.help) return (io.out(TOKEN_CREATE_HELP), 0);
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
  if (!values.clinic) throw new UsageError('token create needs --clinic <clinicId>');
  if (!values.role || !(ROLES as readonly string[]).includes(values.role)) {
    throw new UsageError(`token create needs --role ${ROLES.join('|')}`);
  }
  const clinicId = parseClinicId(values.clinic);
  const ttlMs = values.ttl !== undefined ? parseTtl(values.ttl) : undefined;
  const token = await withStorage(values, io, async (db) => {
    if (!(await createClinicRepo(db).get(clinicId))) throw noClinic(clinicId);
    const created = await createTokenRepo(db).create(
      {
        clinicId,
        role: values.role as Role,
        ...(ttlMs !== undefined ? { ttlMs } : {}),
        ...(values.label ? { label: values.label } : {}),
      },
      Date.now(),
    );
    return created.token;
  });
  io.out(token);
  return 0;
}

async function revoke(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, STORAGE_OPTIONS);
  if (values.help) return (io.out(TOKEN_REVOKE_HELP), 0);
  if (positionals.length !== 1) throw new UsageError('token revoke takes exactly one <token>');
  const revoked = await withStorage(values, io, (db) =>
    createTokenRepo(db).revoke(positionals[0]!, Date.now()),
  );
  if (!revoked) {
    io.err('queuemed: no such token (or already revoked)');
    return 1;
  }
  io.out('token revoked');
  return 0;
}

export function parseTtl(text: string): number {
  const m = /^(\d+)\s*(s|m|h|d)$/.exec(text.trim());
  if (!m)
    throw new UsageError(
      `invalid --ttl ${JSON.stringify(text)}: use a number and s, m, h or d (e.g. 1h)`,
    );
  const unit = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 's' | 'm' | 'h' | 'd'];
  const ms = Number(m[1]) * unit;
  if (ms <= 0) throw new UsageError('--ttl must be positive');
  return ms;
}
