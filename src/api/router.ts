import { OpenAPIHono } from '@hono/zod-openapi';
import type { ApiEnv } from './env.ts';
import { validationError } from './errors.ts';

/** A router whose failed validations all answer the same way: a 400 naming every field. */
export function router() {
  return new OpenAPIHono<ApiEnv>({
    defaultHook: (result, c) => {
      if (!result.success) return validationError(c, result.error, result.target);
    },
  });
}
