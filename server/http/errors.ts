/** The one error shape of the HTTP API: `{ "error": { "code", "message" } }`. */
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import { isApiErrorCode, type ApiErrorCode } from '../../shared/api.js';
import { QUEUE_ERROR_HTTP_STATUS, type QueueError } from '../../shared/queue/errors.js';

export interface ErrorBody {
  error: { code: ApiErrorCode; message: string };
}

export const errorBody = (code: ApiErrorCode, message: string): ErrorBody => ({
  error: { code, message },
});

/** Thrown by route handlers; the app's error handler turns it into its status and body. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly statusCode: number,
    readonly code: ApiErrorCode,
    message: string,
    /** Sent as `Retry-After` (429, 503). */
    readonly retryAfterSec?: number,
  ) {
    super(message);
  }
}

export const sendError = (
  reply: FastifyReply,
  status: number,
  code: ApiErrorCode,
  message: string,
) => reply.status(status).send(errorBody(code, message));

/** Validates a body, params or query at the edge; 400 `bad-request` naming the first problem. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  throw new HttpError(400, 'bad-request', `${where}${issue?.message ?? 'invalid request'}`);
}

/**
 * Fastify's own errors (body parsing, limits) in our closed set of codes,
 * so an integration sees `payload-too-large`, never `FST_ERR_CTP_BODY_TOO_LARGE`.
 */
const FASTIFY_ERRORS: Readonly<Record<string, { status: number; code: ApiErrorCode }>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'payload-too-large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'unsupported-media-type' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'bad-request' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'bad-request' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'bad-request' },
  FST_ERR_NOT_FOUND: { status: 404, code: 'not-found' },
};

/** Status, code and message of any error a handler or Fastify throws. */
export function describeError(err: Error & { statusCode?: number; code?: string }): {
  status: number;
  code: ApiErrorCode;
  message: string;
  retryAfterSec?: number;
} {
  if (err instanceof HttpError) {
    const { statusCode: status, code, message, retryAfterSec } = err;
    return retryAfterSec === undefined
      ? { status, code, message }
      : { status, code, message, retryAfterSec };
  }
  const known = err.code ? FASTIFY_ERRORS[err.code] : undefined;
  if (known) return { ...known, message: err.message };
  if (err.name === 'StoreUnavailableError') {
    return {
      status: 503,
      code: 'unavailable',
      message: 'storage unavailable, try again',
      retryAfterSec: 1,
    };
  }
  const status = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
  if (status >= 500) return { status, code: 'internal', message: 'internal error' };
  if (status === 404) return { status, code: 'not-found', message: err.message };
  if (status === 413) return { status, code: 'payload-too-large', message: err.message };
  if (status === 415) return { status, code: 'unsupported-media-type', message: err.message };
  // Fastify's codes (FST_…) are internal names; a 4xx without one of ours is a bad request.
  const code = isApiErrorCode(err.code) ? err.code : 'bad-request';
  return { status, code, message: err.message };
}

/** A queue domain failure as an HTTP error: its code and message, the suggested status unless overridden. */
export const queueHttpError = (error: QueueError, status?: number): HttpError =>
  new HttpError(status ?? QUEUE_ERROR_HTTP_STATUS[error.code], error.code, error.message);
