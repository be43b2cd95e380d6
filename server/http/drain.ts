/**
 * Answering before the request body has arrived (a 413 from the body limit,
 * a 415 or 429 before parsing): Fastify then marks the response
 * `Connection: close`, and Node closes the socket as soon as the answer is
 * written. With the client still sending, the unread bytes make the kernel
 * reset the connection, and the client often loses the answer with it — a
 * 10 MB body got a reset instead of 413 about one try in seven. So an early
 * answer waits until the client has finished sending, reading and discarding
 * what is left, within bounds: past them the answer goes anyway.
 */
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';

export interface DrainLimits {
  /** Bytes read and thrown away at most. */
  readonly maxBytes: number;
  /** How long to wait for the end of the body at most (ms). */
  readonly maxMs: number;
}

/** 64 MB or 15 s: a slow phone on 3G finishes a 10 MB upload well within either. */
export const DEFAULT_DRAIN_LIMITS: DrainLimits = { maxBytes: 64 * 1024 * 1024, maxMs: 15_000 };

/** Resolves true once the body has been fully received, false when a bound was hit first. */
export function drainRequest(raw: IncomingMessage, limits: DrainLimits): Promise<boolean> {
  if (raw.complete) return Promise.resolve(true);
  if (raw.destroyed) return Promise.resolve(false);
  return new Promise((resolve) => {
    let bytes = 0;
    const finish = (ok: boolean) => {
      clearTimeout(timer);
      raw.off('data', onData);
      raw.off('end', onEnd);
      raw.off('close', onClose);
      raw.off('error', onClose);
      resolve(ok);
    };
    const onData = (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > limits.maxBytes) finish(false);
    };
    const onEnd = () => finish(true);
    const onClose = () => finish(raw.complete);
    const timer = setTimeout(() => finish(false), limits.maxMs);
    raw.on('data', onData);
    raw.once('end', onEnd);
    raw.once('close', onClose);
    raw.once('error', onClose);
    raw.resume();
  });
}

/** Every answer given before its request body was read waits for the body (bounded). */
export function installDrainBeforeEarlyAnswers(
  app: FastifyInstance,
  limits: DrainLimits = DEFAULT_DRAIN_LIMITS,
): void {
  app.addHook('onSend', async (req, _reply, payload) => {
    if (!req.raw.complete) await drainRequest(req.raw, limits);
    return payload;
  });
}
