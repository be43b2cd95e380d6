/** `queuemed join-link <clinicId> [--printable] [--public-url URL]` */
import { parseClinicId } from '../../shared/ids.js';
import { createClinicRepo } from '../auth/clinics.js';
import { createJoinLinkRepo, joinUrl, printableJoinUrl } from '../auth/join-links.js';
import { resolvePublicUrl } from '../config.js';
import { describeUrl, lanUrls } from '../http/public-url.js';
import {
  noClinic,
  parse,
  STORAGE_HELP,
  STORAGE_OPTIONS,
  UsageError,
  withStorage,
  type Io,
} from './io.js';

export const JOIN_LINK_HELP = `Usage: queuemed join-link <clinicId> [--printable] [--public-url URL]

Prints a join URL of the clinic, alone on stdout: by default today's QR link
(the one the displays show; it changes every clinic day), with --printable
the poster's link (/join/p/…, valid until an admin regenerates it).

  --printable           the printable poster's link instead of today's
  --public-url URL      the address phones open (env PUBLIC_URL). Without it,
                        the running server builds links on the address each
                        browser used, which this command cannot know: it
                        assumes this machine's LAN address and PORT (8080),
                        and says so on stderr.
${STORAGE_HELP}`;

export async function joinLinkCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, {
    ...STORAGE_OPTIONS,
    printable: { type: 'boolean' },
    'public-url': { type: 'string' },
  });
  if (values.help) return (io.out(JOIN_LINK_HELP), 0);
  if (positionals.length !== 1) throw new UsageError('join-link takes exactly one <clinicId>');
  const clinicId = parseClinicId(positionals[0]);
  const base = assumedPublicUrl(values['public-url'], io);
  const secret = await withStorage(values, io, async (db) => {
    const clinic = await createClinicRepo(db).get(clinicId);
    if (!clinic) throw noClinic(clinicId);
    const repo = createJoinLinkRepo(db);
    return values.printable
      ? (await repo.printable(clinic.id, Date.now())).secret
      : (await repo.current(clinic, Date.now())).secret;
  });
  io.out(values.printable ? printableJoinUrl(base, secret) : joinUrl(base, secret));
  return 0;
}

/**
 * The base `join-link` prints on: --public-url, PUBLIC_URL, else what a
 * server on this machine would most likely be reached at (its LAN address
 * and PORT) — said on stderr, with a warning when phones cannot open it.
 */
function assumedPublicUrl(flag: string | undefined, io: Io): string {
  const configured = resolvePublicUrl(flag ?? io.env.PUBLIC_URL);
  const port = Number(io.env.PORT) || 8080;
  const tls = !!io.env.TLS_CERT_FILE;
  const base =
    configured ?? lanUrls(port, tls)[0] ?? `${tls ? 'https' : 'http'}://localhost:${port}`;
  if (configured === null) {
    io.err(
      `queuemed: PUBLIC_URL is not set; assumed ${base} (this machine's address, port ${port}). ` +
        'The running server builds links on the address each browser used; pass --public-url to be exact.',
    );
  }
  for (const line of publicUrlWarnings(base)) io.err(`queuemed: ${line}`);
  return base;
}

/** What is wrong with an address phones are meant to open (empty when nothing). */
export function publicUrlWarnings(url: string): string[] {
  const { loopback, secure } = describeUrl(url);
  if (loopback) {
    return [
      `WARNING: ${url} is a loopback address: only this machine can open it, phones cannot join. ` +
        'Set PUBLIC_URL (or --public-url) to an address phones reach, e.g. http://<this machine’s LAN address>:<port>.',
    ];
  }
  if (!secure) {
    return [
      `note: ${url} is not https: phones cannot get notifications, push or the offline reload there ` +
        '(browsers keep them for secure origins). See README, "HTTPS".',
    ];
  }
  return [];
}
