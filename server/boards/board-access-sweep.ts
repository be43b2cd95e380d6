/**
 * Keeps the sockets open on boards in line with the boards table when the
 * change was made by another server instance: every `everyMs`, the boards
 * with sockets open here are read afresh, and a socket whose access no
 * longer matches (writable on an archived board, read-only on a restored
 * one) is closed with 1012; the client reconnects and is authorised again.
 * The instance that made the change closes its own sockets at once
 * (board-service.ts); this is the other instances' path.
 */
import type { Logger } from 'pino';
import { parseDocName } from '../../shared/ids.js';
import { CloseCode } from '../../shared/protocol.js';
import type { Access } from '../docs/kinds.js';
import type { Relay } from '../relay/relay.js';
import type { BoardLookupCache } from './board-lookup.js';
import type { BoardRepo } from './boards.js';

export interface BoardAccessSweepDeps {
  readonly relay: Pick<Relay, 'openDocs' | 'closeDoc'>;
  readonly boards: Pick<BoardRepo, 'get'>;
  readonly lookup: Pick<BoardLookupCache, 'invalidate'>;
  readonly logger: Logger;
  /** Default 2 s. */
  readonly everyMs?: number;
}

/** One pass: reads each open board's row, closes the sockets whose access is stale. Returns how many. */
export async function sweepBoardAccess(deps: BoardAccessSweepDeps): Promise<number> {
  let closed = 0;
  for (const { doc, access } of deps.relay.openDocs()) {
    const parsed = parseDocName(doc);
    if (parsed.kind !== 'board') continue;
    const board = await deps.boards.get(parsed.id);
    // Unregistered now (never expected: boards are not deleted): nobody may stay.
    const expected: Access = board === null ? 'none' : board.archivedAt !== null ? 'read' : 'write';
    const stale = (a: Access) => a !== expected;
    if (!access.some(stale)) continue;
    deps.lookup.invalidate(parsed.id);
    closed += deps.relay.closeDoc(
      doc,
      CloseCode.restart,
      expected === 'read' ? 'board archived' : 'board access changed',
      stale,
    );
  }
  return closed;
}

/** Starts the periodic sweep; returns its stop function. */
export function startBoardAccessSweep(deps: BoardAccessSweepDeps): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    sweepBoardAccess(deps)
      .catch((err: unknown) => deps.logger.error({ err }, 'board access sweep failed'))
      .finally(() => (running = false));
  }, deps.everyMs ?? 2_000);
  timer.unref();
  return () => clearInterval(timer);
}
