import type { MiddlewareHandler } from 'hono';
import type { Role } from '../../db/schema/index.ts';
import type { Database } from '../../db/client.ts';
import { userForToken } from '../auth/users.ts';
import { AppError } from '../errors.ts';
import type { ApiEnv } from './env.ts';

export const ALL_ROLES: readonly Role[] = ['responder', 'community_manager', 'marketing', 'admin'];

/** Reads `Authorization: Bearer <token>` and sets the user; a missing or bad token is a 401. */
export function authenticate(database: Database): MiddlewareHandler<ApiEnv> {
  return async function authenticate(c, next) {
    const header = c.req.header('authorization') ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) throw new AppError('UNAUTHORIZED', 'missing credentials: send Authorization: Bearer <API token>');
    const user = await userForToken(database, m[1]!);
    if (!user) throw new AppError('UNAUTHORIZED', 'invalid or revoked API token');
    c.set('user', user);
    await next();
  };
}

/** Allows only the given roles (admins always pass); others get a 403. */
export function requireRole(...roles: Role[]): MiddlewareHandler<ApiEnv> {
  return async function requireRole(c, next) {
    const user = c.get('user');
    if (!user) throw new AppError('UNAUTHORIZED', 'missing credentials: send Authorization: Bearer <API token>');
    if (user.role !== 'admin' && !roles.includes(user.role)) {
      throw new AppError('FORBIDDEN', `this needs one of the roles: ${roles.join(', ')}`);
    }
    await next();
  };
}

export function currentUser(c: { get(key: 'user'): ApiEnv['Variables']['user'] }) {
  const user = c.get('user');
  if (!user) throw new AppError('UNAUTHORIZED', 'missing credentials');
  return user;
}
