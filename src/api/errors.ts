import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ZodError } from 'zod';
import { AppError, ERROR_STATUS, type ErrorCode, zodIssues } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { ApiEnv } from './env.ts';

/** The body of every error: `{ code, message, requestId }`, plus `issues` for validation errors. */
export function errorBody(c: Context<ApiEnv>, code: ErrorCode, message: string, extra: Record<string, unknown> = {}) {
  return { code, message, requestId: c.get('requestId') ?? null, ...extra };
}

/** Validation failure → 400 naming every field. */
export function validationError(c: Context<ApiEnv>, error: ZodError, target: string) {
  const where = target === 'json' ? undefined : target === 'param' ? 'path' : target;
  const issues = zodIssues(error, where);
  const message = issues.map((i) => `${i.path || '(body)'}: ${i.message}`).join('; ');
  return c.json(errorBody(c, 'BAD_REQUEST', message, { issues }), 400);
}

const STATUS_TO_CODE = new Map<number, ErrorCode>(Object.entries(ERROR_STATUS).map(([code, status]) => [status, code as ErrorCode]));

/** One onError: AppErrors map to their status; unknown errors are a logged 500 without internals. */
export function onError(log: Logger) {
  return (err: Error, c: Context<ApiEnv>) => {
    if (err instanceof AppError) {
      const extra: Record<string, unknown> = {};
      if (err.details !== undefined) extra.details = err.details;
      if (err.issues) extra.issues = err.issues;
      return c.json(errorBody(c, err.code, err.message, extra), err.status);
    }
    if (err instanceof HTTPException) {
      const status = err.status;
      const code = STATUS_TO_CODE.get(status) ?? (status >= 500 ? 'INTERNAL' : 'BAD_REQUEST');
      const message = status === 400 && /json/i.test(err.message) ? 'body: not valid JSON' : err.message || code;
      return c.json(errorBody(c, code, message), status as 400);
    }
    log.error({ err, requestId: c.get('requestId'), path: c.req.path }, 'unhandled error');
    return c.json(errorBody(c, 'INTERNAL', 'internal error; the request id helps find it in the logs'), 500);
  };
}
