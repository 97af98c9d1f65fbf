import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// First: the app's route modules give zod its .openapi() before the services' schemas are built.
import type { Harness } from '../helpers/harness.ts';
import '../helpers/harness.ts';
import { eq } from 'drizzle-orm';
import { cases, type Role, replies } from '../../db/schema/index.ts';
import { createSession } from '../../src/auth/sessions.ts';
import type { AuthUser } from '../../src/auth/users.ts';
import { claimCase } from '../../src/queue/cases.ts';
import { resolveCase } from '../../src/queue/lifecycle.ts';
import { createReply, retryReply } from '../../src/queue/replies.ts';
import { safeNext } from '../../src/ui/next.ts';
import { demoHarness } from '../helpers/clock-replay.ts';

/**
 * Who may use each route of the app, the JSON API's and the inbox's forms and pages alike, written
 * out here as the specification (admins may use every one). The walk below takes the routes from
 * the app itself, so a route added without a line here fails the first test.
 */
const R: Role = 'responder';
const CM: Role = 'community_manager';
const M: Role = 'marketing';
const READERS = [R, CM, M];
const WORKERS = [R, CM];
type Who = 'public' | Role[];
const EXPECTED: Record<string, Who> = {
  'GET /health': 'public',
  'GET /webhooks/:platform': 'public',
  'POST /webhooks/:platform': 'public',
  'POST /api/auth/token': 'public',
  'GET /api/openapi.json': 'public',
  'POST /auth/login': 'public',
  'POST /auth/logout': 'public',
  'GET /static/:file': 'public',
  'GET /': 'public',
  'GET /login': 'public',
  'POST /login': 'public',

  'POST /api/analyze': READERS,
  'GET /api/cases': READERS,
  'GET /api/cases/:id': READERS,
  'POST /api/cases/next': WORKERS,
  'POST /api/cases/bulk': WORKERS,
  'POST /api/cases/:id/claim': WORKERS,
  'POST /api/cases/:id/replies': WORKERS,
  'POST /api/cases/:id/resolve': WORKERS,
  'POST /api/cases/:id/snooze': WORKERS,
  'POST /api/cases/:id/escalate': WORKERS,
  'POST /api/cases/:id/replies/:replyId/retry': WORKERS,
  'POST /api/cases/:id/assign': [CM],
  'POST /api/cases/:id/moderation': [CM],
  'POST /api/cases/:id/notes': READERS,
  'GET /api/notices': READERS,
  'POST /api/notices': [CM, M],
  'GET /api/alerts': [CM, M],
  'POST /api/alerts/:id/ack': [CM, M],
  'GET /api/streams': READERS,
  'GET /api/replay/replies': WORKERS,
  'GET /api/rules': READERS,
  'POST /api/rules/backtest': [CM],
  'GET /api/rules/backtest/:id': [CM],
  'POST /api/rules/backtest/:id/cancel': [CM],
  'GET /api/tokens': READERS,
  'POST /api/tokens': READERS,
  'DELETE /api/tokens/:id': READERS,
  'GET /api/users': [CM],
  'POST /api/users': [],
  'PATCH /api/users/:id': [],
  'POST /api/users/:id/password': [],
  'GET /api/audit': [],
  'POST /api/privacy/erasures': [],

  'POST /logout': READERS,
  'POST /me/preferences': READERS,
  'GET /inbox': READERS,
  'GET /inbox/events': READERS,
  'POST /inbox/views': READERS,
  'POST /inbox/bulk': WORKERS,
  'GET /cases/:id{[0-9]{1,15}}': READERS,
  'POST /cases/:id{[0-9]{1,15}}/claim': WORKERS,
  'POST /cases/:id{[0-9]{1,15}}/reply': WORKERS,
  'POST /cases/:id{[0-9]{1,15}}/resolve': WORKERS,
  'POST /cases/:id{[0-9]{1,15}}/replies/:rid{[0-9]{1,15}}/retry': WORKERS,
  'POST /cases/:id{[0-9]{1,15}}/note': READERS,
  'POST /cases/:id{[0-9]{1,15}}/erase': [],
  'POST /cases/:id{[0-9]{1,15}}/moderation': [CM],
  'GET /dashboard': READERS,
  'GET /streams': READERS,
  'GET /rules': READERS,
  'POST /rules/backtest': [CM],
  'GET /rules/backtests/:id{[0-9]{1,15}}': [CM],
  'POST /rules/backtests/:id{[0-9]{1,15}}/cancel': [CM],
  'GET /alerts': [CM, M],
  'POST /alerts/:id{[0-9]{1,15}}/ack': [CM, M],
  'GET /people': [],
  'POST /people': [],
  'POST /people/:id{[0-9]{1,15}}': [],
  'POST /people/:id{[0-9]{1,15}}/disable': [],
  'POST /people/:id{[0-9]{1,15}}/enable': [],
  'POST /people/:id{[0-9]{1,15}}/password': [],
};
const ROLES: Role[] = [R, CM, M, 'admin'];

let h: Harness;
const people = {} as Record<Role, AuthUser & { token: string }>;
/** No such case, reply, alert or person: whoever may act gets as far as "not found", whoever may not is refused first. */
const NONE = '987654321';

beforeAll(async () => {
  ({ h } = await demoHarness(60_000));
  for (const role of ROLES) people[role] = await h.user(role);
});
afterAll(() => h.close());

function appRoutes(): string[] {
  return [...new Set(h.app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`))];
}

const concrete = (path: string) => path.replace(':file', 'app.css').replace(/:[a-zA-Z]+(\{[^/]*\})?/g, NONE);
const isApi = (path: string) => path.startsWith('/api/');

async function call(route: string, as: { role?: Role; cookie?: string; csrf?: boolean; bearer?: string }): Promise<Response> {
  const [method, path] = route.split(' ') as [string, string];
  const headers: Record<string, string> = {};
  let body: string | undefined;
  let csrf = '';
  if (as.role && !as.bearer) {
    const s = await createSession(h.deps.database, people[as.role].id);
    headers.cookie = `odziv_session=${s.token}`;
    csrf = s.csrfToken;
  }
  if (as.cookie) headers.cookie = as.cookie;
  if (as.bearer) headers.authorization = `Bearer ${as.bearer}`;
  if (method !== 'GET' && method !== 'DELETE') {
    if (isApi(path)) {
      headers['content-type'] = 'application/json';
      if (as.csrf !== false && csrf) headers['x-csrf-token'] = csrf;
      body = '{}';
    } else {
      // What a person's form would carry, so that a refusal is not a complaint about an empty field.
      headers['content-type'] = 'application/x-www-form-urlencoded';
      const form = new URLSearchParams({
        text: 'Pozdrav, javljamo se odmah.',
        confirm: '1',
        action: 'resolve',
        ids: NONE,
        since: '7d',
        name: 'View',
        query: 'status=open',
        email: 'nobody@example.com',
        password: 'not the password',
      });
      if (as.csrf !== false && csrf) form.set('_csrf', csrf);
      body = form.toString();
    }
  }
  const res = await h.app.request(concrete(path), { method, headers, body });
  if (res.headers.get('content-type')?.includes('event-stream')) await res.body?.cancel();
  return res;
}

describe('authorization matrix, from the route tables', () => {
  it('every route of the app has its line in the matrix, and every line is a route', () => {
    const routes = appRoutes();
    expect(
      routes.filter((r) => !(r in EXPECTED)),
      'routes without a line in EXPECTED',
    ).toEqual([]);
    // Webhook routes are mounted only for a platform that is configured to push.
    expect(
      Object.keys(EXPECTED).filter((r) => !routes.includes(r) && !r.includes('/webhooks/')),
      'lines in EXPECTED that are no route',
    ).toEqual([]);
  });

  it('without a session, with a forged session or a forged token, every protected route refuses: 401 from the API, the login page from the inbox', async () => {
    for (const route of appRoutes().filter((r) => EXPECTED[r] !== 'public')) {
      const path = route.split(' ')[1]!;
      for (const as of [{}, { cookie: 'odziv_session=forged-forged-forged' }, { bearer: 'odz_forgedforgedforgedforgedforgedforgedforged' }]) {
        const res = await call(route, as);
        if (isApi(path)) expect(res.status, `${route} ${JSON.stringify(as)}`).toBe(401);
        else {
          expect(res.status, `${route} ${JSON.stringify(as)}`).toBe(303);
          expect(res.headers.get('location'), route).toMatch(/^\/login\?next=/);
        }
      }
    }
  });

  it('a change sent with a real session but without its CSRF token is refused (403), in the API and the inbox', async () => {
    for (const route of appRoutes().filter((r) => EXPECTED[r] !== 'public' && !r.startsWith('GET '))) {
      const res = await call(route, { role: 'admin', csrf: false });
      expect(res.status, route).toBe(403);
    }
  });

  it('each role gets exactly the routes it may use, through the API with a token and through the inbox with a session; the rest are 403', async () => {
    const walked: string[] = [];
    for (const route of appRoutes().filter((r) => EXPECTED[r] !== 'public')) {
      const path = route.split(' ')[1]!;
      const allowed = [...(EXPECTED[route] as Role[]), 'admin'];
      for (const role of ROLES) {
        const res = isApi(path) ? await call(route, { role, bearer: people[role].token }) : await call(route, { role });
        const what = `${role} ${route} → ${res.status} ${res.headers.get('location') ?? ''}`;
        expect(res.status, what).toBeLessThan(500);
        if (allowed.includes(role)) {
          expect([401, 403], what).not.toContain(res.status);
          if (!isApi(path)) expect(res.headers.get('location') ?? '', what).not.toMatch(/^\/login\?next=/);
        } else expect(res.status, what).toBe(403);
        walked.push(what);
      }
    }
    expect(walked.length).toBeGreaterThan(200);
  });
});

describe('the services check the actor themselves', () => {
  let held: number;
  let open: number;
  let failedReply: number;
  let otherResponder: AuthUser & { token: string };

  beforeAll(async () => {
    const waiting = await h.deps.database.db.select({ id: cases.id }).from(cases).where(eq(cases.status, 'open')).limit(2);
    expect(waiting.length).toBe(2);
    [held, open] = waiting.map((c) => c.id) as [number, number];
    otherResponder = await h.user(R, 'Other responder');
    await claimCase(h.deps.database, held, otherResponder);
    const { reply } = await createReply(h.deps.database, h.deps.adapters, {
      caseId: held,
      actor: otherResponder,
      text: 'Pozdrav, provjeravamo.',
      idempotencyKey: 'authz-1',
    });
    await h.deps.database.db.update(replies).set({ status: 'failed', lastError: 'platform refused' }).where(eq(replies.id, reply.id));
    failedReply = reply.id;
  });

  const form = async (role: Role, path: string, fields: Record<string, string> = {}) => {
    const s = await createSession(h.deps.database, people[role].id);
    return h.app.request(path, {
      method: 'POST',
      headers: { cookie: `odziv_session=${s.token}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: s.csrfToken, ...fields }).toString(),
    });
  };
  const caseRow = async (id: number) => (await h.deps.database.db.select().from(cases).where(eq(cases.id, id)))[0]!;

  it('marketing cannot claim or reply from the inbox forms any more than through the API; nothing changes', async () => {
    expect((await form(M, `/cases/${open}/claim`)).status).toBe(403);
    expect((await form(M, `/cases/${open}/reply`, { text: 'Pozdrav!', key: 'm1' })).status).toBe(403);
    expect((await h.request('POST', `/api/cases/${open}/claim`, { token: people[M].token })).status).toBe(403);
    const c = await caseRow(open);
    expect(c.status).toBe('open');
    expect(c.assigneeId).toBeNull();
    expect(await h.deps.database.db.select().from(replies).where(eq(replies.caseId, open))).toEqual([]);
    await expect(claimCase(h.deps.database, open, people[M])).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      createReply(h.deps.database, h.deps.adapters, { caseId: open, actor: people[M], text: 'Pozdrav!', idempotencyKey: 'm2' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('a responder cannot re-send, resolve or take over a case another responder holds, through the form or the API; a community manager can re-send', async () => {
    expect((await form(R, `/cases/${held}/replies/${failedReply}/retry`)).status).toBe(403);
    expect((await h.request('POST', `/api/cases/${held}/replies/${failedReply}/retry`, { token: people[R].token })).status).toBe(403);
    await expect(retryReply(h.deps.database, held, failedReply, people[R])).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect((await form(R, `/cases/${held}/resolve`)).status).toBe(403);
    await expect(resolveCase(h.deps.database, held, people[R])).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect((await h.request('POST', `/api/cases/${held}/claim`, { token: people[R].token })).status).toBe(409);
    expect((await h.request('POST', `/api/cases/${held}/replies`, { token: people[R].token, json: { text: 'Pozdrav!' } })).status).toBe(409);
    const [r] = await h.deps.database.db.select().from(replies).where(eq(replies.id, failedReply));
    expect(r!.status).toBe('failed');
    expect((await caseRow(held)).assigneeId).toBe(otherResponder.id);

    expect((await h.request('POST', `/api/cases/${held}/replies/${failedReply}/retry`, { token: people[CM].token })).status).toBe(200);
    const [again] = await h.deps.database.db.select().from(replies).where(eq(replies.id, failedReply));
    expect(again!.status).toBe('pending');
  });
});

describe('sessions, tokens and redirects', () => {
  it('a password reset, a role change and disabling a person revoke their API tokens as well as their sessions', async () => {
    for (const change of [
      (id: number) => h.request('POST', `/api/users/${id}/password`, { token: people.admin.token }),
      (id: number) => h.request('PATCH', `/api/users/${id}`, { token: people.admin.token, json: { role: 'marketing' } }),
      (id: number) => h.request('PATCH', `/api/users/${id}`, { token: people.admin.token, json: { disabled: true } }),
    ]) {
      const who = await h.user(R);
      const s = await createSession(h.deps.database, who.id);
      expect((await h.request('GET', '/api/cases', { token: who.token })).status).toBe(200);
      expect((await change(who.id)).status).toBeLessThan(300);
      expect((await h.request('GET', '/api/cases', { token: who.token })).status).toBe(401);
      expect((await h.app.request('/inbox', { headers: { cookie: `odziv_session=${s.token}` } })).status).toBe(303);
    }
    // A change that leaves the role as it was keeps the person's tools working.
    const kept = await h.user(R);
    expect((await h.request('PATCH', `/api/users/${kept.id}`, { token: people.admin.token, json: { name: 'Renamed', role: R } })).status).toBe(200);
    expect((await h.request('GET', '/api/cases', { token: kept.token })).status).toBe(200);
  });

  it('after login, goes only to a path of this site', () => {
    for (const evil of [
      '//evil.example/',
      '/\\evil.example/',
      '/\t/evil.example/',
      '/\n/evil.example',
      'https://evil.example/',
      '/%5Cevil.example',
      'javascript:alert(1)',
      '',
      undefined,
    ]) {
      const to = safeNext(evil);
      expect(new URL(to, 'https://odziv.example').origin, JSON.stringify(evil)).toBe('https://odziv.example');
      expect(to.startsWith('//'), JSON.stringify(evil)).toBe(false);
    }
    expect(safeNext('/cases/12?notice=claimed')).toBe('/cases/12?notice=claimed');
    expect(safeNext('/inbox?status=open&q=ra%C4%8Dun')).toBe('/inbox?status=open&q=ra%C4%8Dun');
  });

  it('the login form never redirects off-site, whatever next says', async () => {
    const who = await h.user(R);
    for (const next of ['/\\evil.example/', '/\t/evil.example/', '//evil.example']) {
      const res = await h.app.request('/login', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ email: who.email, password: 'correct horse battery staple', next }).toString(),
      });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/inbox');
    }
  });
});

describe('the session cookie behind a proxy', () => {
  it('is Secure when odziv is reached over https: directly, through a proxy ODZIV_TRUST_PROXY names, or published at an https address; a header from anyone else is ignored', async () => {
    const { serve } = await import('@hono/node-server');
    const server = serve({ fetch: h.app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((resolve) => server.once('listening', resolve));
    const port = (server.address() as { port: number }).port;
    const who = await h.user(R);
    const secureCookie = async (headers: Record<string, string>) => {
      const res = await fetch(`http://127.0.0.1:${port}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ email: who.email, password: 'correct horse battery staple' }),
      });
      expect(res.status).toBe(200);
      return /;\s*Secure/i.test(res.headers.get('set-cookie') ?? '');
    };
    const config = h.deps.config;
    const before = { trust: config.ODZIV_TRUST_PROXY, url: config.ODZIV_PUBLIC_URL };
    try {
      expect(await secureCookie({})).toBe(false);
      expect(await secureCookie({ 'x-forwarded-proto': 'https' })).toBe(false);
      config.ODZIV_TRUST_PROXY = ['loopback'];
      expect(await secureCookie({ 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.7' })).toBe(true);
      expect(await secureCookie({ 'x-forwarded-proto': 'http' })).toBe(false);
      config.ODZIV_TRUST_PROXY = [];
      config.ODZIV_PUBLIC_URL = 'https://odziv.example.com';
      expect(await secureCookie({})).toBe(true);
    } finally {
      config.ODZIV_TRUST_PROXY = before.trust;
      config.ODZIV_PUBLIC_URL = before.url;
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
