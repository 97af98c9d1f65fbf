import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../db/schema/index.ts';
import { logIn } from '../../src/auth/login.ts';
import type { AppError } from '../../src/errors.ts';
import { demoHarness } from '../helpers/clock-replay.ts';
import type { Harness } from '../helpers/harness.ts';

let h: Harness;
const tokens = {} as Record<Role, string>;
let caseId: number;

beforeAll(async () => {
  ({ h } = await demoHarness(60_000));
  for (const role of ['responder', 'community_manager', 'marketing', 'admin'] as const) tokens[role] = (await h.user(role)).token;
  const list = (await (await h.request('GET', '/api/cases', { token: tokens.admin })).json()) as { cases: Array<{ id: number }> };
  caseId = list.cases[0]!.id;
});
afterAll(() => h.close());

/** Every protected route, with the roles it allows (admins always pass). */
const ROUTES: Array<{ method: string; path: () => string; json?: unknown; allowed: Role[] }> = [
  { method: 'GET', path: () => '/api/cases', allowed: ['responder', 'community_manager', 'marketing', 'admin'] },
  { method: 'GET', path: () => `/api/cases/${caseId}`, allowed: ['responder', 'community_manager', 'marketing', 'admin'] },
  { method: 'POST', path: () => '/api/analyze', json: { text: 'hi' }, allowed: ['responder', 'community_manager', 'marketing', 'admin'] },
  { method: 'GET', path: () => '/api/streams', allowed: ['responder', 'community_manager', 'marketing', 'admin'] },
  { method: 'GET', path: () => '/api/replay/replies', allowed: ['responder', 'community_manager', 'admin'] },
  { method: 'POST', path: () => `/api/cases/${caseId}/claim`, allowed: ['responder', 'community_manager', 'admin'] },
  { method: 'POST', path: () => `/api/cases/${caseId}/replies`, json: { text: 'hello' }, allowed: ['responder', 'community_manager', 'admin'] },
  { method: 'POST', path: () => `/api/cases/${caseId}/notes`, json: { text: 'note' }, allowed: ['responder', 'community_manager', 'marketing', 'admin'] },
  { method: 'POST', path: () => `/api/cases/${caseId}/assign`, json: { assigneeId: 1 }, allowed: ['community_manager', 'admin'] },
  { method: 'POST', path: () => '/api/cases/next', allowed: ['responder', 'community_manager', 'admin'] },
  { method: 'POST', path: () => '/api/cases/bulk', json: { action: 'snooze', ids: [1] }, allowed: ['responder', 'community_manager', 'admin'] },
  { method: 'GET', path: () => '/api/users', allowed: ['community_manager', 'admin'] },
  { method: 'POST', path: () => '/api/users', json: { email: 'security-check@example.com', name: 'Sec', role: 'responder' }, allowed: ['admin'] },
  { method: 'PATCH', path: () => '/api/users/1', json: { name: 'Renamed' }, allowed: ['admin'] },
  { method: 'GET', path: () => '/api/notices', allowed: ['responder', 'community_manager', 'marketing', 'admin'] },
  {
    method: 'POST',
    path: () => '/api/notices',
    json: { kind: 'promotion', title: 'BF', categories: ['billing'] },
    allowed: ['community_manager', 'marketing', 'admin'],
  },
  { method: 'GET', path: () => '/api/audit', allowed: ['admin'] },
  { method: 'GET', path: () => '/api/rules', allowed: ['responder', 'community_manager', 'marketing', 'admin'] },
  { method: 'GET', path: () => '/api/tokens', allowed: ['responder', 'community_manager', 'marketing', 'admin'] },
];

describe('API security', () => {
  it('every route in the OpenAPI document, except login and health, refuses no token, a forged token and a forged session', async () => {
    const doc = (await (await h.request('GET', '/api/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
    const open = new Set(['/api/auth/token', '/health']);
    let walked = 0;
    for (const [path, ops] of Object.entries(doc.paths)) {
      if (open.has(path)) continue;
      for (const method of Object.keys(ops)) {
        for (const headers of [
          {} as Record<string, string>,
          { authorization: 'Bearer odz_forgedforgedforgedforgedforgedforgedfor' },
          { cookie: 'odziv_session=forged' },
        ]) {
          const res = await h.request(method.toUpperCase(), path.replace(/\{[^}]+\}/g, '1'), {
            json: method === 'get' || method === 'delete' ? undefined : {},
            headers,
          });
          expect(res.status, `${method} ${path} ${JSON.stringify(headers)}`).toBe(401);
        }
        walked++;
      }
    }
    expect(walked).toBeGreaterThan(15);
  });

  it('every protected route says 401 without a token, with a forged token and with a malformed header', async () => {
    for (const r of ROUTES) {
      for (const headers of [
        {} as Record<string, string>,
        { authorization: 'Bearer odz_forgedforgedforgedforgedforgedforgedforged' },
        { authorization: 'Basic YWRtaW46YWRtaW4=' },
        { authorization: 'Bearer' },
      ]) {
        const res = await h.request(r.method, r.path(), { json: r.json, headers });
        expect(res.status, `${r.method} ${r.path()} ${JSON.stringify(headers)}`).toBe(401);
      }
    }
  });

  it('every role gets exactly the routes it is allowed; the rest are 403', async () => {
    for (const r of ROUTES) {
      for (const role of ['marketing', 'community_manager', 'responder', 'admin'] as const) {
        const res = await h.request(r.method, r.path(), { token: tokens[role], json: r.json });
        if (r.allowed.includes(role)) expect([200, 201, 202, 204, 409, 422], `${role} ${r.method} ${r.path()}`).toContain(res.status);
        else expect(res.status, `${role} ${r.method} ${r.path()}`).toBe(403);
      }
    }
  });

  it('a wrong password and an unknown e-mail get the same answer', async () => {
    const u = await h.user('responder');
    const wrong = await h.request('POST', '/api/auth/token', { json: { email: u.email, password: 'nope-nope-nope' } });
    const unknown = await h.request('POST', '/api/auth/token', { json: { email: 'nobody@test.local', password: 'nope-nope-nope' } });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(((await wrong.json()) as { message: string }).message).toBe(((await unknown.json()) as { message: string }).message);
  });

  it('slows online password guessing down, per account and per client address, in the database every instance shares', async () => {
    const u = await h.user('responder');
    const t0 = new Date('2026-06-01T10:00:00Z');
    const at = (ms: number) => new Date(t0.getTime() + ms);
    const attempt = (password: string, ms: number, client = '203.0.113.7', email = u.email) =>
      logIn(h.deps.database, { email, password, client, via: 'api' }, at(ms)).then(
        () => 'ok',
        (e: AppError) => e.code,
      );
    // Five free failures; then each further attempt waits 1 s, 2 s, 4 s … after the last failure.
    for (let i = 0; i < 5; i++) expect(await attempt(`guess-${i}`, i)).toBe('UNAUTHORIZED');
    expect(await attempt('guess-5', 10)).toBe('UNAUTHORIZED');
    expect(await attempt('correct horse battery staple', 500)).toBe('TOO_MANY_REQUESTS');
    expect(await attempt('guess-6', 1_100)).toBe('UNAUTHORIZED');
    expect(await attempt('correct horse battery staple', 2_500)).toBe('TOO_MANY_REQUESTS');
    // The person is never locked out for good: after the wait, the right password works, and clears the count.
    expect(await attempt('correct horse battery staple', 3_200)).toBe('ok');
    expect(await attempt('guess-7', 3_300)).toBe('UNAUTHORIZED');
    // One address guessing at many accounts is slowed down too (20 free failures, then the same back-off).
    const others = await Promise.all(Array.from({ length: 7 }, () => h.user('responder')));
    for (let i = 0; i < 21; i++) await attempt('wrong-password', 10_000 + i, '198.51.100.9', others[i % 7]!.email);
    expect(await attempt('correct horse battery staple', 10_100, '198.51.100.9', others[0]!.email)).toBe('TOO_MANY_REQUESTS');
    // …but another address is not held back by it.
    expect(await attempt('correct horse battery staple', 10_100, '198.51.100.10', others[0]!.email)).toBe('ok');
  });

  it('answers a login that must wait with a 429 saying how long, whoever tries (the count lives in the database)', async () => {
    const u = await h.user('responder');
    await h.deps.database.rows(sql`insert into login_failures (key, failures, last_at) values (${`email:${u.email}`}, 10, now())`);
    const res = await h.request('POST', '/api/auth/token', { json: { email: u.email, password: 'correct horse battery staple' } });
    expect(res.status).toBe(429);
    expect(((await res.json()) as { message: string }).message).toMatch(/too many failed logins; try again in \d+ s/);
  });

  it('stores tokens hashed, never in clear', async () => {
    const rows = await h.deps.database.db.query.apiTokens.findMany();
    for (const t of Object.values(tokens)) expect(rows.some((r) => r.tokenHash === t || r.tokenHash.includes(t))).toBe(false);
  });

  it('sends security headers', async () => {
    const res = await h.request('GET', '/health');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
