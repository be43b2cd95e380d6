/**
 * Display pairing (table `display_pairings`). A display with no credential
 * starts a pairing and gets two things: a secret `pairingId` it polls with
 * (only its SHA-256 is stored) and a short `code` it shows on screen. An
 * admin types the code and picks the clinic (`pair`); the display's next poll
 * collects its device token, which is minted at that moment by the caller
 * and claimed here exactly once (`claim`), so no plaintext token is ever
 * stored and a second poll gets nothing.
 *
 * A paired display is a token of kind 'display'; until it has collected
 * that token it is listed as a pending pairing (`pendingDisplayId`).
 */
import { createHash, randomBytes as nodeRandomBytes } from 'node:crypto';
import { parseClinicId, type ClinicId } from '../../shared/ids.js';
import type { Database } from '../db/types.js';

/** Unambiguous on a TV across a room: no I/L/1, O/0. */
export const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const CODE_LENGTH = 6;
/** How long a code shown on a display can be typed. */
export const PAIRING_TTL_MS = 10 * 60_000;
/** After an admin pairs, the display has at least this long to collect its token (it polls every few seconds). */
export const COLLECT_WINDOW_MS = 2 * 60_000;
/** Finished or expired pairings are kept this long, so a late poll or a stale code answers 410 rather than 404. */
export const PAIRING_RETENTION_MS = 24 * 3_600_000;

const PAIRING_ID_BYTES = 32;
const PAIRING_ID_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const PENDING_PREFIX = 'pending-';

export interface PairingStarted {
  /** The display's polling secret (base64url, 32 bytes). */
  readonly pairingId: string;
  /** As shown: `K7P-4QX`. */
  readonly code: string;
  readonly expiresAt: number;
}

export interface PairingRecord {
  readonly idHash: string;
  /** Normalized: 6 characters, no dash. */
  readonly code: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly clinicId: ClinicId | null;
  readonly displayName: string | null;
  readonly pairedAt: number | null;
  /** Set once the display has collected its token. */
  readonly tokenId: string | null;
}

export type PairOutcome =
  | { readonly status: 'paired'; readonly pairing: PairingRecord }
  | { readonly status: 'unknown' | 'expired' | 'already-paired' };

/** What a display's poll finds. 'ready': paired, the caller mints a token and claims it. */
export type PollOutcome =
  | { readonly status: 'pending'; readonly expiresAt: number }
  | { readonly status: 'ready'; readonly pairing: PairingRecord }
  | { readonly status: 'unknown' | 'gone' };

export interface DisplayPairingRepo {
  /** A new pairing; also prunes long-finished ones. */
  start(now: number): Promise<PairingStarted>;
  /** An admin pairs the code (typed with or without dash, any case) with a clinic. */
  pair(code: string, clinicId: ClinicId, name: string | null, now: number): Promise<PairOutcome>;
  poll(pairingId: string, now: number): Promise<PollOutcome>;
  /** Records the token minted for a ready pairing; false when another poll claimed it first (or it expired). */
  claim(pairingId: string, tokenId: string, now: number): Promise<boolean>;
  /** Paired with the clinic, token not collected yet, still collectable. */
  listPending(clinicId: ClinicId, now: number): Promise<PairingRecord[]>;
  /** Cancels a pending pairing by its pendingDisplayId; false when there is none in that clinic. */
  cancelPending(clinicId: ClinicId, displayId: string, now: number): Promise<boolean>;
}

export interface DisplayPairingRepoOptions {
  readonly randomBytes?: (size: number) => Uint8Array;
}

type PairingRow = {
  id_hash: string;
  code: string;
  created_at: number;
  expires_at: number;
  clinic_id: string | null;
  display_name: string | null;
  paired_at: number | null;
  token_id: string | null;
};
const COLUMNS =
  'id_hash, code, created_at, expires_at, clinic_id, display_name, paired_at, token_id';

export function createDisplayPairingRepo(
  db: Database,
  options: DisplayPairingRepoOptions = {},
): DisplayPairingRepo {
  const random = options.randomBytes ?? nodeRandomBytes;

  function newCode(): string {
    // Rejection sampling: 248 = 8 × 31, so every letter is equally likely.
    let code = '';
    while (code.length < CODE_LENGTH) {
      for (const b of random(16)) {
        if (b < 248 && code.length < CODE_LENGTH) code += CODE_ALPHABET[b % CODE_ALPHABET.length];
      }
    }
    return code;
  }

  async function byCode(code: string): Promise<PairingRecord | null> {
    const rows = await db.query<PairingRow>(
      `SELECT ${COLUMNS} FROM display_pairings WHERE code = $1`,
      [code],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async function byId(pairingId: string): Promise<PairingRecord | null> {
    if (!PAIRING_ID_PATTERN.test(pairingId)) return null;
    const rows = await db.query<PairingRow>(
      `SELECT ${COLUMNS} FROM display_pairings WHERE id_hash = $1`,
      [sha256(pairingId)],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async function listPending(clinicId: ClinicId, now: number): Promise<PairingRecord[]> {
    const rows = await db.query<PairingRow>(
      `SELECT ${COLUMNS} FROM display_pairings
       WHERE clinic_id = $1 AND paired_at IS NOT NULL AND token_id IS NULL AND expires_at > $2
       ORDER BY paired_at DESC, id_hash`,
      [clinicId, now],
    );
    return rows.map(toRecord);
  }

  return {
    async start(now) {
      await db.execute('DELETE FROM display_pairings WHERE expires_at < $1', [
        now - PAIRING_RETENTION_MS,
      ]);
      const pairingId = Buffer.from(random(PAIRING_ID_BYTES)).toString('base64url');
      const expiresAt = now + PAIRING_TTL_MS;
      // 31^6 ≈ 887 million codes: a collision is rare, and retried with another code.
      for (let attempt = 0; attempt < 8; attempt++) {
        const code = newCode();
        const inserted = await db.execute(
          `INSERT INTO display_pairings (id_hash, code, created_at, expires_at)
           VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
          [sha256(pairingId), code, now, expiresAt],
        );
        if (inserted === 1) return { pairingId, code: formatCode(code), expiresAt };
      }
      throw new Error('could not allocate a free pairing code');
    },

    async pair(typed, clinicId, name, now) {
      const code = normalizeCode(typed);
      if (code === null) return { status: 'unknown' };
      const changed = await db.execute(
        `UPDATE display_pairings
         SET clinic_id = $2, display_name = $3, paired_at = $4,
             expires_at = CASE WHEN expires_at < $5 THEN $5 ELSE expires_at END
         WHERE code = $1 AND paired_at IS NULL AND expires_at > $4`,
        [code, clinicId, name ?? `Display ${formatCode(code)}`, now, now + COLLECT_WINDOW_MS],
      );
      const pairing = await byCode(code);
      if (!pairing) return { status: 'unknown' };
      if (changed === 1) return { status: 'paired', pairing };
      if (pairing.pairedAt !== null) return { status: 'already-paired' };
      return { status: 'expired' };
    },

    async poll(pairingId, now) {
      const pairing = await byId(pairingId);
      if (!pairing) return { status: 'unknown' };
      if (pairing.tokenId !== null || pairing.expiresAt <= now) return { status: 'gone' };
      if (pairing.pairedAt === null) return { status: 'pending', expiresAt: pairing.expiresAt };
      return { status: 'ready', pairing };
    },

    async claim(pairingId, tokenId, now) {
      if (!PAIRING_ID_PATTERN.test(pairingId)) return false;
      const changed = await db.execute(
        `UPDATE display_pairings SET token_id = $2
         WHERE id_hash = $1 AND token_id IS NULL AND paired_at IS NOT NULL AND expires_at > $3`,
        [sha256(pairingId), tokenId, now],
      );
      return changed === 1;
    },

    listPending,

    async cancelPending(clinicId, displayId, now) {
      const pending = await listPending(clinicId, now);
      const target = pending.find((p) => pendingDisplayId(p) === displayId);
      if (!target) return false;
      // Expiring it (rather than deleting) makes the display's next poll answer 410: it starts over.
      const changed = await db.execute(
        'UPDATE display_pairings SET expires_at = $2 WHERE id_hash = $1 AND token_id IS NULL',
        [target.idHash, now],
      );
      return changed === 1;
    },
  };
}

/** The id under which a paired display that has not collected its token yet is listed. */
export const pendingDisplayId = (pairing: PairingRecord): string =>
  PENDING_PREFIX + pairing.idHash.slice(0, 16);

export const isPendingDisplayId = (id: string): boolean => id.startsWith(PENDING_PREFIX);

/** `k7p-4qx`, `K7P4QX`, ` k7p 4qx ` → `K7P4QX`; null when it cannot be a code. */
export function normalizeCode(typed: string): string | null {
  const code = typed.toUpperCase().replace(/[\s-]/g, '');
  if (code.length !== CODE_LENGTH) return null;
  for (const c of code) if (!CODE_ALPHABET.includes(c)) return null;
  return code;
}

/** `K7P4QX` → `K7P-4QX`. */
export const formatCode = (code: string): string => `${code.slice(0, 3)}-${code.slice(3)}`;

const sha256 = (value: string): string => createHash('sha256').update(value, 'utf8').digest('hex');

const toRecord = (row: PairingRow): PairingRecord => ({
  idHash: row.id_hash,
  code: row.code,
  createdAt: Number(row.created_at),
  expiresAt: Number(row.expires_at),
  clinicId: row.clinic_id === null ? null : parseClinicId(row.clinic_id),
  displayName: row.display_name,
  pairedAt: row.paired_at === null ? null : Number(row.paired_at),
  tokenId: row.token_id,
});
