import type { Logger } from 'pino';
import type { ClinicRepo } from '../auth/clinics.js';
import type { TokenRepo } from '../auth/tokens.js';
import type { UserRepo } from '../auth/users.js';
import type { Database } from '../db/types.js';
import type { QueueService } from '../queue/queue-service.js';
import type { Relay } from '../relay/relay.js';

/** What the API route modules (clinics, queue, displays, join, API keys) are given. */
export interface ApiDeps {
  readonly db: Database;
  readonly clinics: ClinicRepo;
  readonly tokens: TokenRepo;
  readonly users: UserRepo;
  /** Server-side document changes go through the relay's write path (stored, then relayed). */
  readonly relay: Pick<Relay, 'change' | 'changeMany' | 'read' | 'isOnline' | 'closeCredential'>;
  /** Server-issued tickets and number blocks (through the relay's write path). */
  readonly queue: QueueService;
  /** External base URL for links and QR codes (PUBLIC_URL, else this server's own address). */
  readonly publicUrl: () => string;
  readonly logger: Logger;
  readonly now: () => number;
}
