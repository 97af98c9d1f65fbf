import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, cases, users } from '../../db/schema/index.ts';
import { createSession } from '../../src/auth/sessions.ts';
import { demoHarness } from '../helpers/clock-replay.ts';
import type { Harness } from '../helpers/harness.ts';

let h: Harness;
beforeAll(async () => {
  ({ h } = await demoHarness(90_000));
});
afterAll(() => h.close());

type Person = { id: number; email: string; name: string; role: string; teams: string[]; disabled: boolean };

async function tokenFor(email: string, password: string): Promise<Response> {
  return h.request('POST', '/api/auth/token', { json: { email, password } });
}

describe('API: admins manage people while odziv runs', () => {
  it('adds a person with a password shown once, who can then sign in; a second with the same e-mail is a conflict', async () => {
    const admin = await h.user('admin');
    const res = await h.request('POST', '/api/users', {
      token: admin.token,
      json: { email: 'Mia@Example.com', name: 'Mia', role: 'responder', teams: ['billing', 'care', 'billing'] },
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { user: Person; password: string };
    expect(body.user).toMatchObject({ email: 'mia@example.com', name: 'Mia', role: 'responder', teams: ['billing', 'care'], disabled: false });
    expect(body.password.length).toBeGreaterThanOrEqual(16);
    expect((await tokenFor('mia@example.com', body.password)).status).toBe(201);

    const again = await h.request('POST', '/api/users', {
      token: admin.token,
      json: { email: 'mia@example.com', name: 'Mia 2', role: 'marketing', password: 'a long enough password' },
    });
    expect(again.status).toBe(409);

    // The password is not kept anywhere a reader of the audit log could find it.
    const entries = await h.deps.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'user.create'), eq(auditLog.subjectId, String(body.user.id))));
    expect(entries).toHaveLength(1);
    expect(JSON.stringify(entries[0]!.details)).not.toContain(body.password);
  });

  it('says what is wrong with a bad person, and lets only admins change people', async () => {
    const admin = await h.user('admin');
    const bad = await h.request('POST', '/api/users', { token: admin.token, json: { email: 'not-an-address', name: '', role: 'boss', teams: [] } });
    expect(bad.status).toBe(400);
    const issues = ((await bad.json()) as { issues: Array<{ path: string; message: string }> }).issues.map((i) => `${i.path}: ${i.message}`);
    expect(issues).toEqual(
      expect.arrayContaining([
        'email: expected an e-mail address',
        'name: expected a name',
        expect.stringMatching(/^role: expected one of responder/),
        'teams: at least one team',
      ]),
    );

    const unknown = await h.request('PATCH', `/api/users/${admin.id}`, { token: admin.token, json: { password: 'x' } });
    expect(unknown.status).toBe(400);
    expect(await h.request('PATCH', `/api/users/${admin.id}`, { token: admin.token, json: {} }).then((r) => r.json())).toMatchObject({
      message: expect.stringContaining('nothing to change'),
    });
    expect((await h.request('PATCH', '/api/users/999999', { token: admin.token, json: { name: 'x' } })).status).toBe(404);

    const responder = await h.user('responder');
    expect((await h.request('POST', '/api/users', { token: responder.token, json: { email: 'x@example.com', name: 'X', role: 'admin' } })).status).toBe(403);
    expect((await h.request('PATCH', `/api/users/${responder.id}`, { token: responder.token, json: { role: 'admin' } })).status).toBe(403);
    expect((await h.request('GET', '/api/users', { token: responder.token })).status).toBe(403);
    const cm = await h.user('community_manager');
    const listed = (await (await h.request('GET', '/api/users', { token: cm.token })).json()) as { users: Person[] };
    expect(listed.users.map((u) => u.id)).toEqual(expect.arrayContaining([admin.id, responder.id, cm.id]));
  });

  it('a person moved to a team draws that team’s escalated cases from "next case"', async () => {
    const admin = await h.user('admin');
    const cm = await h.user('community_manager');
    const responder = await h.user('responder');
    const open = (await (await h.request('GET', '/api/cases?status=open&limit=1', { token: cm.token })).json()) as { cases: Array<{ id: number }> };
    const id = open.cases[0]!.id;
    expect(
      (await h.request('POST', `/api/cases/${id}/escalate`, { token: cm.token, json: { team: 'billing', note: 'double charge, needs billing' } })).status,
    ).toBe(200);

    const moved = await h.request('PATCH', `/api/users/${responder.id}`, { token: admin.token, json: { teams: ['billing'] } });
    expect(moved.status).toBe(200);
    expect(((await moved.json()) as { user: Person }).user.teams).toEqual(['billing']);
    const next = await h.request('POST', '/api/cases/next', { token: responder.token });
    expect(next.status).toBe(200);
    expect(await next.json()).toMatchObject({ id, status: 'claimed', assigneeId: responder.id });
  });

  it('disabling someone ends their access and puts the cases they held back in the queue', async () => {
    const admin = await h.user('admin');
    const leaver = await h.user('responder', 'Leaver');
    const open = (await (await h.request('GET', '/api/cases?status=open&limit=1', { token: leaver.token })).json()) as { cases: Array<{ id: number }> };
    const id = open.cases[0]!.id;
    expect((await h.request('POST', `/api/cases/${id}/claim`, { token: leaver.token })).status).toBe(200);

    const res = await h.request('PATCH', `/api/users/${leaver.id}`, { token: admin.token, json: { disabled: true } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { user: Person }).user.disabled).toBe(true);
    expect((await h.request('GET', '/api/cases', { token: leaver.token })).status).toBe(401);
    const [c] = await h.deps.database.db.select().from(cases).where(eq(cases.id, id));
    expect(c).toMatchObject({ status: 'open', assigneeId: null });
    const [entry] = await h.deps.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'user.update'), eq(auditLog.subjectId, String(leaver.id))));
    expect(entry!.details).toMatchObject({ changed: { disabled: true }, casesReleased: 1 });
  });

  it('never leaves odziv without an active admin', async () => {
    // Only one admin from here on.
    await h.deps.database.db.update(users).set({ role: 'responder' }).where(eq(users.role, 'admin'));
    const admin = await h.user('admin');
    const demote = await h.request('PATCH', `/api/users/${admin.id}`, { token: admin.token, json: { role: 'responder' } });
    expect(demote.status).toBe(409);
    expect(((await demote.json()) as { message: string }).message).toContain('last active admin');
    expect((await h.request('PATCH', `/api/users/${admin.id}`, { token: admin.token, json: { disabled: true } })).status).toBe(409);

    const second = await h.request('POST', '/api/users', {
      token: admin.token,
      json: { email: 'second-admin@example.com', name: 'Second', role: 'admin', password: 'second admin password' },
    });
    expect(second.status).toBe(201);
    expect((await h.request('PATCH', `/api/users/${admin.id}`, { token: admin.token, json: { role: 'community_manager' } })).status).toBe(200);
  });

  it('a password reset gives a new password once and the old one stops working', async () => {
    const admin = await h.user('admin');
    const created = (await (
      await h.request('POST', '/api/users', {
        token: admin.token,
        json: { email: 'forgetful@example.com', name: 'Forgetful', role: 'marketing', password: 'the first password' },
      })
    ).json()) as { user: Person };
    const res = await h.request('POST', `/api/users/${created.user.id}/password`, { token: admin.token });
    expect(res.status).toBe(200);
    const { password } = (await res.json()) as { password: string };
    expect((await tokenFor('forgetful@example.com', 'the first password')).status).toBe(401);
    expect((await tokenFor('forgetful@example.com', password)).status).toBe(201);
  });

  it('shows admins on the People page who has failed logins and must wait, and a password reset lets them in at once', async () => {
    const admin = await h.user('admin');
    const created = (await (
      await h.request('POST', '/api/users', {
        token: admin.token,
        json: { email: 'locked@example.com', name: 'Locked Out', role: 'responder', password: 'the real password' },
      })
    ).json()) as { user: Person };
    for (let i = 0; i < 7; i++) await tokenFor('locked@example.com', `guess ${i}`);
    expect((await tokenFor('locked@example.com', 'the real password')).status).toBe(429);
    const session = await createSession(h.deps.database, admin.id);
    const page = async () => (await h.app.request('/people', { headers: { cookie: `odziv_session=${session.token}` } })).text();
    expect(await page()).toMatch(/\b[67] failed logins: next attempt after/);
    const res = await h.request('POST', `/api/users/${created.user.id}/password`, { token: admin.token });
    const { password } = (await res.json()) as { password: string };
    expect((await tokenFor('locked@example.com', password)).status).toBe(201);
    expect(await page()).not.toContain('data-login-lock');
  });
});
