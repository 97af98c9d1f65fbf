import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { Database } from '../../db/client.ts';
import { authorize, type Permission } from '../auth/permissions.ts';
import { SESSION_COOKIE, sessionUser } from '../auth/sessions.ts';
import { userForToken } from '../auth/users.ts';
import { AppError } from '../errors.ts';
import type { ApiEnv } from './env.ts';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Sets the user from `Authorization: Bearer <API token>`, or from the browser session cookie; a
 * cookie-authenticated write must carry the session's CSRF token (`x-csrf-token` header or a
 * `_csrf` form field). Missing or bad credentials are a 401, a missing CSRF token a 403.
 */
export function authenticate(database: Database): MiddlewareHandler<ApiEnv> {
  return async function authenticate(c, next) {
    const header = c.req.header('authorization') ?? '';
    const cookie = getCookie(c, SESSION_COOKIE);
    if (!header && cookie) {
      const s = await sessionUser(database, cookie);
      if (!s) throw new AppError('UNAUTHORIZED', 'session expired or unknown: log in again');
      if (!SAFE.has(c.req.method)) {
        let given = c.req.header('x-csrf-token');
        if (!given && (c.req.header('content-type') ?? '').includes('form')) given = String((await c.req.parseBody())._csrf ?? '');
        if (given !== s.csrfToken) throw new AppError('FORBIDDEN', 'x-csrf-token: missing or wrong (cookie sessions need it for every change)');
      }
      c.set('user', s.user);
      return next();
    }
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) throw new AppError('UNAUTHORIZED', 'missing credentials: send Authorization: Bearer <API token>');
    const user = await userForToken(database, m[1]!);
    if (!user) throw new AppError('UNAUTHORIZED', 'invalid or revoked API token');
    c.set('user', user);
    await next();
  };
}

/** Refuses (403) a user whose role lacks the permission, before the body is even read. */
export function requirePermission(permission: Permission): MiddlewareHandler<ApiEnv> {
  return async function requirePermission(c, next) {
    authorize(c.get('user'), permission);
    await next();
  };
}

export function currentUser(c: { get(key: 'user'): ApiEnv['Variables']['user'] }) {
  const user = c.get('user');
  if (!user) throw new AppError('UNAUTHORIZED', 'missing credentials');
  return user;
}
