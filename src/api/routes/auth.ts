import { createRoute, z } from '@hono/zod-openapi';
import { createToken, verifyLogin } from '../../auth/users.ts';
import { audit } from '../../audit.ts';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { router } from '../router.ts';
import { body, errorResponses, json } from '../schemas.ts';

const TokenRequest = z
  .object({
    email: z.string({ error: 'expected an e-mail address' }).email({ error: 'expected an e-mail address' }).max(320),
    password: z.string({ error: 'expected the password' }).min(1, { error: 'expected the password' }).max(1024),
    name: z.string().trim().min(1).max(100).default('api'),
  })
  .openapi('TokenRequest');

const TokenResponse = z
  .object({
    token: z.string().openapi({ description: 'Shown once; send as `Authorization: Bearer <token>`' }),
    user: z.object({ id: z.number(), email: z.string(), name: z.string(), role: z.string() }),
  })
  .openapi('TokenResponse');

const route = createRoute({
  method: 'post',
  path: '/api/auth/token',
  tags: ['auth'],
  summary: 'Exchange e-mail and password for an API token (shown once)',
  request: { body: body(TokenRequest) },
  responses: { 201: json(TokenResponse, 'A new token'), ...errorResponses(400, 401), 429: json(z.object({ code: z.string(), message: z.string() }), 'Too many failed attempts') },
});

const WINDOW_MS = 15 * 60_000;
const MAX_FAILURES = 10;

export function authRoutes(deps: Deps) {
  // Failed logins per e-mail in this process: enough to stop online guessing of one account.
  const failures = new Map<string, { count: number; since: number }>();
  return router().openapi(route, async (c) => {
    const { email, password, name } = c.req.valid('json');
    const key = email.toLowerCase();
    const f = failures.get(key);
    if (f && Date.now() - f.since < WINDOW_MS && f.count >= MAX_FAILURES) {
      throw new AppError('TOO_MANY_REQUESTS', 'too many failed logins for this account; try again in 15 minutes');
    }
    const user = await verifyLogin(deps.database, email, password);
    if (!user) {
      const cur = f && Date.now() - f.since < WINDOW_MS ? f : { count: 0, since: Date.now() };
      failures.set(key, { count: cur.count + 1, since: cur.since });
      await audit(deps.database.db, { actorUserId: null, action: 'login.failed', subjectType: 'user', details: { email: key } });
      throw new AppError('UNAUTHORIZED', 'wrong e-mail or password');
    }
    failures.delete(key);
    await audit(deps.database.db, { actorUserId: user.id, action: 'login', subjectType: 'user', subjectId: user.id, details: { via: 'api' } });
    const { token } = await createToken(deps.database, user.id, name);
    return c.json({ token, user }, 201);
  });
}
