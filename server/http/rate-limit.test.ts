import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './rate-limit.js';

describe('rate limiter', () => {
  it('allows a burst of capacity, then refuses with the seconds until one token is back', () => {
    const limiter = createRateLimiter({ capacity: 3, refillPerSec: 0.5, maxKeys: 10 });
    for (let i = 0; i < 3; i++) expect(limiter.take('a', 0)).toEqual({ ok: true });
    expect(limiter.take('a', 0)).toEqual({ ok: false, retryAfterSec: 2 });
    expect(limiter.take('a', 1000)).toEqual({ ok: false, retryAfterSec: 1 });
    expect(limiter.take('a', 2000)).toEqual({ ok: true });
  });

  it('keeps keys apart', () => {
    const limiter = createRateLimiter({ capacity: 1, refillPerSec: 1, maxKeys: 10 });
    expect(limiter.take('a', 0).ok).toBe(true);
    expect(limiter.take('a', 0).ok).toBe(false);
    expect(limiter.take('b', 0).ok).toBe(true);
  });

  it('refills no more than capacity, and a clock going back refills nothing', () => {
    const limiter = createRateLimiter({ capacity: 2, refillPerSec: 1, maxKeys: 10 });
    limiter.take('a', 0);
    limiter.take('a', 0);
    expect(limiter.take('a', -5000).ok).toBe(false);
    expect(limiter.take('a', 100_000).ok).toBe(true);
    expect(limiter.take('a', 100_000).ok).toBe(true);
    expect(limiter.take('a', 100_000).ok).toBe(false);
  });

  it('remembers at most maxKeys keys, forgetting the least recently used', () => {
    const limiter = createRateLimiter({ capacity: 1, refillPerSec: 0.001, maxKeys: 2 });
    limiter.take('a', 0);
    limiter.take('b', 0);
    limiter.take('a', 0); // a is now the most recent
    limiter.take('c', 0); // evicts b
    expect(limiter.size).toBe(2);
    expect(limiter.take('a', 0).ok).toBe(false);
    expect(limiter.take('b', 0).ok).toBe(true); // forgotten: a fresh bucket
    for (let i = 0; i < 10_000; i++) limiter.take(`k${i}`, 0);
    expect(limiter.size).toBe(2);
  });

  it('rejects nonsense options', () => {
    expect(() => createRateLimiter({ capacity: 0, refillPerSec: 1, maxKeys: 1 })).toThrow();
    expect(() => createRateLimiter({ capacity: 1, refillPerSec: 0, maxKeys: 1 })).toThrow();
    expect(() => createRateLimiter({ capacity: 1, refillPerSec: 1, maxKeys: 0 })).toThrow();
  });
});
