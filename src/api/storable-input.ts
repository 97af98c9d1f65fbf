import type { Context, Next } from 'hono';
import { UNSTORABLE_MESSAGE, unstorablePath } from '../storable.ts';
import type { ApiEnv } from './env.ts';
import { errorBody } from './errors.ts';

/** No body odziv takes nests deeper than this; a deeper one is someone probing, refused before any walk. */
const MAX_DEPTH = 32;

/** True when a parsed body nests deeper than `max` (walked without recursion: the depth is the attacker's). */
function deeperThan(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= max) return true;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * Refuses, before any route reads it, a body that cannot be read (a broken multipart or form), one
 * nested deeper than MAX_DEPTH, and a query, JSON body or form carrying text the database cannot
 * store (see storable.ts): a 400 naming what is wrong, never a 500. The body is parsed once: Hono
 * caches it for the route's own validator. A body that is not valid JSON is left to that validator to name.
 */
export async function refuseUnstorableInput(c: Context<ApiEnv>, next: Next) {
  let message: string | undefined;
  let where: string | undefined;
  for (const [name, values] of Object.entries(c.req.queries())) {
    if (unstorablePath([name, ...values]) !== undefined) where ??= `query.${name}`;
  }
  if (where === undefined && c.req.method !== 'GET' && c.req.method !== 'HEAD') {
    const type = c.req.header('content-type') ?? '';
    let body: { b: unknown } | undefined;
    if (type.includes('application/json'))
      body = await c.req.json().then(
        (b: unknown) => ({ b }),
        () => undefined,
      );
    else if (type.includes('form')) {
      body = await c.req.parseBody().then(
        (b: unknown) => ({ b }),
        () => undefined,
      );
      if (!body) message = `body: not a readable ${type.includes('multipart') ? 'multipart/form-data' : 'form'} body (content-type: ${type.slice(0, 60)})`;
    }
    if (body && deeperThan(body.b, MAX_DEPTH)) message = `body: nested deeper than ${MAX_DEPTH} levels`;
    else if (body) where = unstorablePath(body.b);
  }
  if (where === undefined && message === undefined) return next();
  message ??= `${where}: ${UNSTORABLE_MESSAGE}`;
  where ??= 'body';
  if (c.req.path.startsWith('/api/') || c.req.path.startsWith('/auth/'))
    return c.json(errorBody(c, 'BAD_REQUEST', message, { issues: [{ path: where, message: message.slice(where.length + 2) }] }), 400);
  return c.text(`The form cannot be saved: ${message}.`, 400);
}
