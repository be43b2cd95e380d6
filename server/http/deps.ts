import type { Logger } from 'pino';
import type { ClinicRepo } from '../auth/clinics.js';
import type { DisplayPairingRepo } from '../auth/displays.js';
import type { JoinLinkRepo } from '../auth/join-links.js';
import type { TokenRepo } from '../auth/tokens.js';
import type { UserRepo } from '../auth/users.js';
import type { BoardService } from '../boards/board-service.js';
import type { QueueService } from '../queue/queue-service.js';
import type { Relay } from '../relay/relay.js';
import type { PublicUrlPolicy } from './public-url.js';

/** What the API route modules (clinics, queue, displays, join, API keys) are given. */
export interface ApiDeps {
  readonly clinics: ClinicRepo;
  readonly joinLinks: JoinLinkRepo;
  readonly displayPairings: DisplayPairingRepo;
  readonly tokens: TokenRepo;
  readonly users: UserRepo;
  /** Server-side document changes go through the relay's write path (stored, then relayed). */
  readonly relay: Pick<
    Relay,
    'change' | 'changeMany' | 'read' | 'isOnline' | 'closeCredential' | 'closeDoc'
  >;
  /** Server-issued tickets and number blocks (through the relay's write path). */
  readonly queue: QueueService;
  /** Boards: the table, their seeded docs and the staff docs' board list (server/boards). */
  readonly boards: BoardService;
  /** How links and QR codes get their base: PUBLIC_URL, else the address the asking browser used (public-url.ts). */
  readonly publicUrl: PublicUrlPolicy;
  readonly logger: Logger;
  readonly now: () => number;
}
