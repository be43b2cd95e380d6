/**
 * `queuemed` — the command line: one module per command in this folder.
 * It reads nothing from the process itself: `server/main.ts` passes in the
 * arguments, environment, streams, stdin and stop signal (`Io`).
 *
 *   queuemed serve [--port N] [--host H] [--public-url URL] [--tls-cert FILE --tls-key FILE] [--data DIR | --database-url URL]
 *   queuemed clinic add <clinicId> --name "<name>"
 *   queuemed token create --clinic <clinicId> --role <role> [--ttl 1h]
 *   queuemed token revoke <token>
 *   queuemed user add <email> --clinic <clinicId>… --role <role> --password-stdin [--name "Name"]
 *   queuemed join-link <clinicId> [--printable] [--public-url URL]
 */
import { InvalidIdError } from '../../shared/ids.js';
import { ROLES, STAFF_ROLES } from '../../shared/presence.js';
import { InvalidUserInputError } from '../auth/users.js';
import { ConfigError } from '../config.js';
import { clinicCommand } from './clinic.js';
import { isHelp, UsageError, type Io } from './io.js';
import { joinLinkCommand } from './join-link.js';
import { serveCommand } from './serve.js';
import { tokenCommand } from './token.js';
import { userCommand } from './user.js';

export type { Io } from './io.js';

const HELP = `queuemed — local-first waiting room for clinics

Usage:
  queuemed serve [--port N] [--host H] [--public-url URL] [--tls-cert FILE --tls-key FILE] [--data DIR | --database-url URL]
  queuemed clinic add <clinicId> --name "<name>"
  queuemed token create --clinic <clinicId> --role <${ROLES.join('|')}> [--ttl 1h]
  queuemed token revoke <token>
  queuemed user add <email> --clinic <clinicId> [--clinic <other>…] --role <${STAFF_ROLES.join('|')}> --password-stdin [--name "Name"]
  queuemed join-link <clinicId> [--printable] [--public-url URL]

Run \`queuemed <command> --help\` for details.`;

const COMMANDS: Record<string, (args: string[], io: Io) => Promise<number>> = {
  serve: serveCommand,
  clinic: clinicCommand,
  token: tokenCommand,
  user: userCommand,
  'join-link': joinLinkCommand,
};

/** Runs the CLI; resolves with the exit code (serve resolves once stopped). */
export async function runCli(argv: string[], io: Io): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (command === undefined || isHelp(command)) {
      io.out(HELP);
      return command === undefined ? 2 : 0;
    }
    const run = COMMANDS[command];
    if (!run) {
      io.err(`queuemed: unknown command ${JSON.stringify(command)}\n\n${HELP}`);
      return 2;
    }
    return await run(rest, io);
  } catch (err) {
    if (
      err instanceof UsageError ||
      err instanceof ConfigError ||
      err instanceof InvalidIdError ||
      err instanceof InvalidUserInputError
    ) {
      io.err(`queuemed: ${err.message}`);
      return 2;
    }
    io.err(`queuemed: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}
