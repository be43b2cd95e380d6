/** The one error shape of the HTTP API: `{ "error": { "code", "message" } }`. */
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';

export interface ErrorBody {
  error: { code: string; message: string };
}

export const errorBody = (code: string, message: string): ErrorBody => ({
  error: { code, message },
});

/** Thrown by route handlers; the app's error handler turns it into its status and body. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const sendError = (reply: FastifyReply, status: number, code: string, message: string) =>
  reply.status(status).send(errorBody(code, message));

/** Validates a body, params or query at the edge; 400 `bad-request` naming the first problem. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  throw new HttpError(400, 'bad-request', `${where}${issue?.message ?? 'invalid request'}`);
}
