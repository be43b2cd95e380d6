/**
 * Staff account repositories (users, sessions, login lockout), run on SQLite
 * (accounts.test.ts) and PostgreSQL (accounts.pg.test.ts).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidIdError, parseClinicId } from '../../shared/ids.js';
import type { Database } from '../db/types.js';
import { createClinicRepo } from './clinics.js';
import { createRevocationFeed } from './revocations.js';
import { createLoginThrottle, type LoginThrottle } from './login-throttle.js';
import { createSessionRepo, hashSessionToken, type SessionRepo } from './sessions.js';
import { UnknownClinicError } from './tokens.js';
import {
  createUserRepo,
  DuplicateEmailError,
  InvalidUserInputError,
  type UserRepo,
} from './users.js';

const north = parseClinicId('north');
const south = parseClinicId('south');
const cheap = { N: 1024, r: 8, p: 1 };

export function describeAccountRepos(
  name: string,
  openDb: () => Promise<{ db: Database; cleanup: () => Promise<void> }>,
): void {
  let db: Database;
  let cleanup: () => Promise<void>;
  let users: UserRepo;
  let sessions: SessionRepo;

  beforeEach(async () => {
    ({ db, cleanup } = await openDb());
    const clinics = createClinicRepo(db);
    await clinics.add({ id: north, name: 'Nord' }, 0);
    await clinics.add({ id: south, name: 'Sud' }, 0);
    users = createUserRepo(db, { scrypt: cheap });
    sessions = createSessionRepo(db);
  });
  afterEach(async () => {
    await cleanup();
  });

  const ana = (over: Partial<Parameters<UserRepo['add']>[0]> = {}) =>
    users.add(
      {
        email: ' Ana@Example.ORG ',
        name: ' Ana Martin ',
        password: 'correct horse',
        clinics: [{ clinicId: north, role: 'admin' }],
        ...over,
      },
      1000,
    );

  describe(`user repository (${name})`, () => {
    it('adds a user with a lowercased email, a trimmed name and one role per clinic', async () => {
      const user = await ana({
        clinics: [
          { clinicId: south, role: 'doctor' },
          { clinicId: north, role: 'admin' },
        ],
      });
      expect(user).toEqual({
        id: expect.any(String),
        email: 'ana@example.org',
        name: 'Ana Martin',
        disabledAt: null,
        createdAt: 1000,
        clinics: [
          { clinicId: 'north', role: 'admin' },
          { clinicId: 'south', role: 'doctor' },
        ],
      });
      expect(await users.get(user.id)).toEqual(user);
      expect(await users.findByEmail('ANA@example.org')).toEqual(user);
      expect(await users.get('nobody')).toBeNull();
      expect(await users.findByEmail('bob@example.org')).toBeNull();
    });

    it('stores a scrypt hash, never the password', async () => {
      await ana();
      const rows = await db.query<{ password_hash: string }>('SELECT password_hash FROM users');
      expect(rows[0]!.password_hash).toMatch(/^scrypt\$1024\$8\$1\$/);
      expect(rows[0]!.password_hash).not.toContain('correct horse');
    });

    it('refuses a second account with the same email in any letter case', async () => {
      await ana();
      await expect(ana({ email: 'ANA@EXAMPLE.ORG' })).rejects.toBeInstanceOf(DuplicateEmailError);
      expect(await users.listForClinic(north)).toHaveLength(1);
    });

    it('refuses an unknown clinic and creates nothing', async () => {
      const err = await ana({
        clinics: [
          { clinicId: north, role: 'admin' },
          { clinicId: parseClinicId('west'), role: 'doctor' },
        ],
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UnknownClinicError);
      expect(await users.findByEmail('ana@example.org')).toBeNull();
    });

    it('rejects bad input with InvalidUserInputError naming the field', async () => {
      const cases = [
        [{ email: 'not-an-email' }, 'email'],
        [{ name: '  ' }, 'name'],
        [{ password: 'short' }, 'password'],
        [{ clinics: [] }, 'clinics'],
        [{ clinics: [{ clinicId: north, role: 'display' }] }, 'role'],
        [
          {
            clinics: [
              { clinicId: north, role: 'admin' },
              { clinicId: north, role: 'doctor' },
            ],
          },
          'clinics',
        ],
      ] as const;
      for (const [over, field] of cases) {
        const err = await ana(over as never).catch((e: unknown) => e);
        expect(err, JSON.stringify(over)).toBeInstanceOf(InvalidUserInputError);
        expect((err as InvalidUserInputError).field).toBe(field);
      }
      await expect(
        ana({ clinics: [{ clinicId: 'Bad Id' as never, role: 'admin' }] }),
      ).rejects.toBeInstanceOf(InvalidIdError);
    });

    it('checks passwords: the user for the right one, null for a wrong one or an unknown email', async () => {
      const user = await ana();
      expect(await users.checkPassword('ANA@example.org ', 'correct horse')).toEqual(user);
      expect(await users.checkPassword('ana@example.org', 'wrong horse')).toBeNull();
      expect(await users.checkPassword('nobody@example.org', 'correct horse')).toBeNull();
    });

    it('re-hashes a password made with a lower scrypt cost at the next successful check', async () => {
      const weak = createUserRepo(db, { scrypt: { N: 512, r: 8, p: 1 } });
      await weak.add(
        {
          email: 'old@example.org',
          name: 'Old',
          password: 'old password',
          clinics: [{ clinicId: north, role: 'doctor' }],
        },
        1,
      );
      const hash = async () =>
        (
          await db.query<{ password_hash: string }>(
            "SELECT password_hash FROM users WHERE email = 'old@example.org'",
          )
        )[0]!.password_hash;
      expect(await hash()).toMatch(/^scrypt\$512\$/);
      expect(await users.checkPassword('old@example.org', 'wrong password')).toBeNull();
      expect(await hash()).toMatch(/^scrypt\$512\$/);
      expect(await users.checkPassword('old@example.org', 'old password')).not.toBeNull();
      expect(await hash()).toMatch(/^scrypt\$1024\$/);
      expect(await users.checkPassword('old@example.org', 'old password')).not.toBeNull();
    });

    it('lists a clinic’s staff by name with their role there', async () => {
      await ana({ clinics: [{ clinicId: north, role: 'receptionist' }] });
      await users.add(
        {
          email: 'bea@example.org',
          name: 'Béa',
          password: 'password1',
          clinics: [
            { clinicId: north, role: 'doctor' },
            { clinicId: south, role: 'admin' },
          ],
        },
        2,
      );
      expect((await users.listForClinic(north)).map((m) => [m.name, m.role])).toEqual([
        ['Ana Martin', 'receptionist'],
        ['Béa', 'doctor'],
      ]);
      const [bea] = await users.listForClinic(south);
      expect(bea).toMatchObject({ name: 'Béa', role: 'admin' });
      expect(bea!.clinics).toHaveLength(2);
    });

    it('renames, changes a role per clinic, disables, re-enables and sets a new password', async () => {
      const user = await ana();
      expect(await users.updateName(user.id, ' Ana M. ')).toBe(true);
      expect(await users.setRole(user.id, north, 'doctor')).toBe(true);
      expect(await users.setRole(user.id, south, 'doctor')).toBe(false);
      expect(await users.setDisabled(user.id, true, 5000)).toBe(true);
      expect(await users.setDisabled(user.id, true, 6000)).toBe(false);
      expect(await users.get(user.id)).toMatchObject({
        name: 'Ana M.',
        disabledAt: 5000,
        clinics: [{ clinicId: 'north', role: 'doctor' }],
      });
      expect(await users.setDisabled(user.id, false, 7000)).toBe(true);
      expect((await users.get(user.id))!.disabledAt).toBeNull();

      expect(await users.setPassword(user.id, 'a new password')).toBe(true);
      expect(await users.checkPassword('ana@example.org', 'correct horse')).toBeNull();
      expect(await users.checkPassword('ana@example.org', 'a new password')).not.toBeNull();
      await expect(users.setPassword(user.id, 'short')).rejects.toBeInstanceOf(
        InvalidUserInputError,
      );
      expect(await users.setPassword('nobody', 'long enough')).toBe(false);
      expect(await users.updateName('nobody', 'x')).toBe(false);
    });
  });

  describe(`session repository (${name})`, () => {
    it('creates an opaque token and stores only its SHA-256 and a CSRF secret', async () => {
      const user = await ana();
      const { token, session } = await sessions.create(user.id, 1000, 60_000);
      expect(token).toMatch(/^qms_[A-Za-z0-9_-]{43}$/);
      expect(session).toEqual({
        id: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
        userId: user.id,
        createdAt: 1000,
        expiresAt: 61_000,
        revokedAt: null,
        csrfSecret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      });
      const rows = await db.query<{ token_hash: string }>('SELECT token_hash FROM sessions');
      expect(rows.map((r) => r.token_hash)).toEqual([hashSessionToken(token)]);
      expect(JSON.stringify(await db.query('SELECT * FROM sessions'))).not.toContain(token);
      expect(await sessions.get(session.id)).toEqual(session);
    });

    it('verifies a live session and refuses an expired, revoked, unknown or malformed token', async () => {
      const user = await ana();
      const { token, session } = await sessions.create(user.id, 1000, 60_000);
      expect(await sessions.verify(token, 2000)).toEqual(session);
      expect(await sessions.verify(token, 61_000)).toBeNull();
      expect(await sessions.verify('qms_' + 'A'.repeat(43), 2000)).toBeNull();
      expect(await sessions.verify('garbage', 2000)).toBeNull();
      expect(await sessions.revoke(session.id, 3000)).toBe(true);
      expect(await sessions.revoke(session.id, 4000)).toBe(false);
      expect(await sessions.verify(token, 3500)).toBeNull();
      expect((await sessions.get(session.id))!.revokedAt).toBe(3000);
    });

    it('revokes every live session of a user and logs each revocation once', async () => {
      const feed = createRevocationFeed(db);
      const start = await feed.head();
      const user = await ana();
      const other = await ana({ email: 'bob@example.org' });
      const a = await sessions.create(user.id, 1000);
      const b = await sessions.create(user.id, 1000);
      const c = await sessions.create(other.id, 1000);
      await sessions.revoke(a.session.id, 1500);
      const revoked = await sessions.revokeAllForUser(user.id, 2000);
      expect(revoked).toEqual([b.session.id]);
      expect(await sessions.revokeAllForUser(user.id, 2500)).toEqual([]);
      expect(await sessions.verify(c.token, 3000)).not.toBeNull();
      expect(await feed.since(start)).toEqual({
        ids: [a.session.id, b.session.id],
        seq: start + 2,
      });
      expect(await feed.since(start + 1)).toEqual({ ids: [b.session.id], seq: start + 2 });
      expect(await feed.since(start + 2)).toEqual({ ids: [], seq: start + 2 });
    });
  });

  describe(`login lockout (${name})`, () => {
    const limits = { maxPerEmail: 3, maxPerIp: 5, windowMs: 60_000 };
    let throttle: LoginThrottle;
    beforeEach(() => {
      throttle = createLoginThrottle(db, limits);
    });

    it('locks an email after the maximum failures until the oldest leaves the window', async () => {
      for (const t of [1000, 2000, 3000]) {
        expect(await throttle.lockedFor('ana@example.org', '10.0.0.1', t)).toBe(0);
        await throttle.recordFailure('Ana@Example.org', '10.0.0.1', t);
      }
      // Locked for every address, in any letter case, until 1000 + 60 000.
      expect(await throttle.lockedFor('ANA@example.org', '10.0.0.9', 4000)).toBe(57_000);
      expect(await throttle.lockedFor('ana@example.org', '10.0.0.1', 60_999)).toBe(1);
      expect(await throttle.lockedFor('ana@example.org', '10.0.0.1', 61_000)).toBe(0);
      expect(await throttle.lockedFor('bob@example.org', '10.0.0.9', 4000)).toBe(0);
    });

    it('locks an address that fails on many emails', async () => {
      for (let i = 0; i < 5; i++)
        await throttle.recordFailure(`u${i}@example.org`, 'ip-a', 1000 + i);
      expect(await throttle.lockedFor('new@example.org', 'ip-a', 2000)).toBe(59_000);
      expect(await throttle.lockedFor('new@example.org', 'ip-b', 2000)).toBe(0);
    });

    it('forgets an email’s failures after a successful login', async () => {
      for (const t of [1, 2, 3]) await throttle.recordFailure('ana@example.org', 'ip', t);
      await throttle.recordSuccess('ANA@example.org');
      expect(await throttle.lockedFor('ana@example.org', 'ip-other', 10)).toBe(0);
    });
  });
}
