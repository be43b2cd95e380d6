import { describe, expect, it } from 'vitest';
import { whenSessionUnknown } from './session-store.js';

describe('a cached staff session when the server cannot confirm it', () => {
  it('signs out only when the server says the session is gone', () => {
    expect(whenSessionUnknown(401, true)).toBe('sign-out');
    expect(whenSessionUnknown(403, true)).toBe('sign-out');
  });

  it('keeps working from the cache on a network cut, a rate limit or a server error', () => {
    for (const status of [0, 429, 500, 502, 503]) {
      expect(whenSessionUnknown(status, true)).toBe('keep-cached');
    }
  });

  it('has nothing to keep without a cache', () => {
    expect(whenSessionUnknown(0, false)).toBe('sign-out');
    expect(whenSessionUnknown(503, false)).toBe('sign-out');
  });
});
