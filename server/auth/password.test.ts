import { describe, expect, it } from 'vitest';
import { DEFAULT_SCRYPT_PARAMS, hashPassword, needsRehash, verifyPassword } from './password.js';

const cheap = { N: 1024, r: 8, p: 1 };

describe('scrypt password hashes', () => {
  it('stores the parameters, a salt and the hash as scrypt$N$r$p$salt$hash', async () => {
    const hash = await hashPassword('correct horse', cheap);
    expect(hash).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(hash).not.toContain('correct horse');
  });

  it('verifies the right password and rejects a wrong one', async () => {
    const hash = await hashPassword('correct horse', cheap);
    expect(await verifyPassword('correct horse', hash)).toBe(true);
    expect(await verifyPassword('correct hors', hash)).toBe(false);
    expect(await verifyPassword('Correct horse', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('salts every hash, so one password never hashes the same twice', async () => {
    const a = await hashPassword('same password', cheap);
    const b = await hashPassword('same password', cheap);
    expect(a).not.toBe(b);
    expect(await verifyPassword('same password', a)).toBe(true);
    expect(await verifyPassword('same password', b)).toBe(true);
  });

  it('verifies with the parameters stored in the hash, not the current defaults', async () => {
    const hash = await hashPassword('legacy', { N: 2048, r: 4, p: 2 });
    expect(hash.startsWith('scrypt$2048$4$2$')).toBe(true);
    expect(await verifyPassword('legacy', hash)).toBe(true);
    expect(needsRehash(hash)).toBe(true);
  });

  it('hashes with the default parameters, which need no rehash', async () => {
    const hash = await hashPassword('défaut ünïcode');
    expect(hash.startsWith(`scrypt$${DEFAULT_SCRYPT_PARAMS.N}$`)).toBe(true);
    expect(needsRehash(hash)).toBe(false);
    // Unicode is normalized: the composed and decomposed forms are one password.
    expect(await verifyPassword('de\u0301faut u\u0308ni\u0308code', hash)).toBe(true);
  });

  it('rejects malformed or hostile stored hashes without throwing', async () => {
    for (const stored of [
      '',
      'plain',
      'bcrypt$10$abc',
      'scrypt$1000$8$1$c2FsdA$aGFzaA', // N not a power of two
      'scrypt$1073741824$8$1$c2FsdA$aGFzaA', // absurd memory
      'scrypt$1024$8$1$$aGFzaA',
      'scrypt$1024$8$1$c2FsdA$',
    ]) {
      expect(await verifyPassword('x', stored), stored).toBe(false);
    }
  });
});
