/**
 * The relay's board lookup (which clinic, archived or not), in front of the
 * boards table: every upgrade onto a board asks it, so answers are cached —
 * a registered board for 30 s, an unknown id for 1 s (a board just created
 * on another instance is not refused for long). This instance's PATCH and
 * create invalidate their board at once; another instance's archive is seen
 * within the TTL (and its sockets there are closed by that instance).
 */
import type { BoardLookup } from '../docs/kinds.js';
import type { BoardRepo } from './boards.js';

export interface BoardLookupCache {
  readonly lookup: (boardId: string) => Promise<BoardLookup | null>;
  /** Forgets what is cached about a board (after create or patch). */
  invalidate(boardId: string): void;
}

export interface BoardLookupOptions {
  readonly now?: () => number;
  readonly ttlMs?: number;
  readonly missTtlMs?: number;
  /** Entries kept at most; the cache is emptied when it would grow past this. */
  readonly maxEntries?: number;
}

export function createBoardLookup(
  boards: Pick<BoardRepo, 'get'>,
  options: BoardLookupOptions = {},
): BoardLookupCache {
  const now = options.now ?? Date.now;
  const ttl = options.ttlMs ?? 30_000;
  const missTtl = options.missTtlMs ?? 1_000;
  const max = options.maxEntries ?? 10_000;
  const cache = new Map<string, { value: BoardLookup | null; until: number }>();
  // Bumped by invalidate: a lookup that started before must not cache its (stale) answer.
  const generation = new Map<string, number>();

  return {
    async lookup(boardId) {
      const hit = cache.get(boardId);
      if (hit && hit.until > now()) return hit.value;
      const started = generation.get(boardId) ?? 0;
      const board = await boards.get(boardId);
      const value = board && { clinicId: board.clinicId, archived: board.archivedAt !== null };
      if ((generation.get(boardId) ?? 0) === started) {
        if (cache.size >= max) cache.clear();
        cache.set(boardId, { value, until: now() + (value ? ttl : missTtl) });
      }
      return value;
    },
    invalidate(boardId) {
      cache.delete(boardId);
      generation.set(boardId, (generation.get(boardId) ?? 0) + 1);
    },
  };
}
