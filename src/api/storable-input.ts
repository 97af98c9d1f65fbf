import type { Context, Next } from 'hono';
import { UNSTORABLE_MESSAGE, unstorablePath } from '../storable.ts';
import type { ApiEnv } from './env.ts';
import { errorBody } from './errors.ts';

/**
 * Refuses a query, JSON body or form carrying text the database cannot store (see storable.ts), with
 * a 400 naming the field, before any route reads it. The body is parsed once: Hono caches it for the
 * route's own validator. A body that is not valid JSON is left to that validator to name.
 */
export async function refuseUnstorableInput(c: Context<ApiEnv>, next: Next) {
  let where: string | undefined;
  for (const [name, values] of Object.entries(c.req.queries())) {
    if (unstorablePath([name, ...values]) !== undefined) where ??= `query.${name}`;
  }
  if (where === undefined && c.req.method !== 'GET' && c.req.method !== 'HEAD') {
    const type = c.req.header('content-type') ?? '';
    if (type.includes('application/json')) {
      const parsed = await c.req.json().then((b: unknown) => ({ b }), () => undefined);
      if (parsed) where = unstorablePath(parsed.b);
    } else if (type.includes('form')) {
      where = unstorablePath(await c.req.parseBody());
    }
  }
  if (where === undefined) return next();
  const message = `${where}: ${UNSTORABLE_MESSAGE}`;
  if (c.req.path.startsWith('/api/') || c.req.path.startsWith('/auth/')) return c.json(errorBody(c, 'BAD_REQUEST', message, { issues: [{ path: where, message: UNSTORABLE_MESSAGE }] }), 400);
  return c.text(`The form cannot be saved: ${message}.`, 400);
}
