import { createRoute, z } from '@hono/zod-openapi';
import { deleteCookie, getCookie } from 'hono/cookie';
import { logIn } from '../../auth/login.ts';
import { createSession, endSession, SESSION_COOKIE, sessionUser } from '../../auth/sessions.ts';
import { createToken } from '../../auth/users.ts';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { client, setSessionCookie } from '../../http/client.ts';
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
  responses: {
    201: json(TokenResponse, 'A new token'),
    ...errorResponses(400, 401),
    429: json(z.object({ code: z.string(), message: z.string() }), 'Too many failed attempts'),
  },
});

const LoginForm = z.object({
  email: z.string({ error: 'expected an e-mail address' }).email({ error: 'expected an e-mail address' }).max(320),
  password: z.string({ error: 'expected the password' }).min(1, { error: 'expected the password' }).max(1024),
});

export function authRoutes(deps: Deps) {
  const app = router().openapi(route, async (c) => {
    const { email, password, name } = c.req.valid('json');
    const user = await logIn(deps.database, { email, password, client: client(c, deps.config).address, via: 'api' });
    const { token } = await createToken(deps.database, user.id, name);
    return c.json({ token, user }, 201);
  });

  // Browser login: a session cookie (HttpOnly, SameSite=Lax, Secure over HTTPS) and a CSRF token
  // that every cookie-authenticated write must carry.
  app.post('/auth/login', async (c) => {
    const type = c.req.header('content-type') ?? '';
    const raw = type.includes('application/json')
      ? await c.req.json().catch(() => {
          throw new AppError('BAD_REQUEST', 'body: not valid JSON');
        })
      : await c.req.parseBody();
    const parsed = LoginForm.safeParse(raw);
    if (!parsed.success) throw new AppError('BAD_REQUEST', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    const user = await logIn(deps.database, {
      email: parsed.data.email,
      password: parsed.data.password,
      client: client(c, deps.config).address,
      via: 'session',
    });
    const s = await createSession(deps.database, user.id);
    setSessionCookie(c, s.token, client(c, deps.config).https);
    return c.json({ user, csrfToken: s.csrfToken, expiresAt: s.expiresAt.toISOString() }, 200);
  });

  app.post('/auth/logout', async (c) => {
    const token = getCookie(c, SESSION_COOKIE);
    if (token) {
      const s = await sessionUser(deps.database, token);
      if (s && c.req.header('x-csrf-token') !== s.csrfToken) throw new AppError('FORBIDDEN', 'x-csrf-token: missing or wrong');
      await endSession(deps.database, token);
    }
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.body(null, 204);
  });
  return app;
}
