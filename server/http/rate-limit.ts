/**
 * A per-key token bucket (key: a client address, a clinic, an API key…).
 * Each key holds up to `capacity` tokens and regains `refillPerSec` per
 * second; a request takes one. Keys live in an LRU-bounded map, so a flood of
 * distinct keys costs at most `maxKeys` entries: the least recently used key
 * is forgotten, which only ever makes the limiter more lenient for it.
 * `now` is passed in (ms), so tests need no fake timers.
 */
import type { FastifyReply } from 'fastify';
import { errorBody } from './errors.js';

export interface RateLimiterOptions {
  /** Burst size: requests a fresh key may make at once. */
  readonly capacity: number;
  /** Tokens regained per second. */
  readonly refillPerSec: number;
  /** Keys remembered at most (least recently used forgotten first). */
  readonly maxKeys: number;
}

export type TakeResult =
  { readonly ok: true } | { readonly ok: false; readonly retryAfterSec: number };

export interface RateLimiter {
  /** Takes one token for `key` at `now` (ms). */
  take(key: string, now: number): TakeResult;
  /** Keys currently remembered (for tests and metrics). */
  readonly size: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const { capacity, refillPerSec, maxKeys } = options;
  if (!(capacity >= 1) || !Number.isFinite(capacity))
    throw new RangeError(`capacity must be ≥ 1, got ${capacity}`);
  if (!(refillPerSec > 0) || !Number.isFinite(refillPerSec))
    throw new RangeError(`refillPerSec must be > 0, got ${refillPerSec}`);
  if (!Number.isInteger(maxKeys) || maxKeys < 1)
    throw new RangeError(`maxKeys must be a positive integer, got ${maxKeys}`);

  // A Map iterates in insertion order: re-inserting on every use keeps the
  // least recently used key first.
  const buckets = new Map<string, Bucket>();

  return {
    take(key, now) {
      let bucket = buckets.get(key);
      if (bucket) {
        buckets.delete(key);
        // A clock going backwards refills nothing rather than draining.
        const elapsedSec = Math.max(0, now - bucket.at) / 1000;
        bucket.tokens = Math.min(capacity, bucket.tokens + elapsedSec * refillPerSec);
        bucket.at = now;
      } else {
        bucket = { tokens: capacity, at: now };
        if (buckets.size >= maxKeys) {
          const oldest = buckets.keys().next();
          if (!oldest.done) buckets.delete(oldest.value);
        }
      }
      buckets.set(key, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return { ok: true };
      }
      return {
        ok: false,
        retryAfterSec: Math.max(1, Math.ceil((1 - bucket.tokens) / refillPerSec)),
      };
    },
    get size() {
      return buckets.size;
    },
  };
}

/** 429 with `Retry-After` (whole seconds) and the API's error body. */
export function sendRateLimited(reply: FastifyReply, retryAfterSec: number) {
  return reply
    .status(429)
    .header('retry-after', String(retryAfterSec))
    .send(errorBody('rate-limited', `too many requests; retry in ${retryAfterSec} s`));
}
