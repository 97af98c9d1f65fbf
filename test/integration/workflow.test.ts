import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { NormalizedPost } from '../../adapters/types.ts';
import { alerts, cases, replies, streams } from '../../db/schema/index.ts';
import { ingest } from '../../src/ingest/ingest.ts';
import { releaseIdleClaims, slaAlerts, wakeSnoozed } from '../../src/queue/sla-watch.ts';
import { clockedReplay } from '../helpers/clock-replay.ts';
import { createHarness, type Harness } from '../helpers/harness.ts';

let h: Harness;
const clock = clockedReplay();
type U = Awaited<ReturnType<Harness['user']>>;
let ana: U;
let ivan: U;
let cm: U;
let mk: U;
let admin: U;

const post = (id: string, text: string, over: Partial<NormalizedPost> = {}): NormalizedPost => ({
  platform: 'replay',
  platformPostId: id,
  author: { platformUserId: 'cust-1', handle: 'milica_j', displayName: 'Milica Jovanović', followers: 300 },
  text,
  postedAt: new Date(),
  isOwn: false,
  isRepost: false,
  conversationId: 'conv-1',
  raw: {},
  ...over,
});

async function ingestPosts(list: NormalizedPost[]) {
  const [s] = await h.deps.database.db.select().from(streams).where(eq(streams.name, 'demo'));
  return ingest(h.deps.database, h.deps.rulebook.current(), s!, { cursor: null, posts: list });
}
const api = async (u: U | undefined, method: string, path: string, json?: unknown, headers?: Record<string, string>) =>
  h.request(method, path, { token: u?.token, json, headers });
const caseOf = async (id: number) => (await h.deps.database.db.select().from(cases).where(eq(cases.id, id)))[0]!;

beforeAll(async () => {
  h = await createHarness({ adapters: clock.adapters });
});
afterAll(() => h.close());
beforeEach(async () => {
  await h.reset();
  ana = await h.user('responder', 'Ana Horvat');
  ivan = await h.user('responder', 'Ivan Kovač');
  cm = await h.user('community_manager', 'Maja CM');
  mk = await h.user('marketing', 'Luka Marketing');
  admin = await h.user('admin', 'Admin');
});

describe('case lifecycle', () => {
  it('claim → reply (signed, from a template) → resolve; a follow-up in the thread reopens it', async () => {
    const s = await ingestPosts([post('p1', 'Porudžbina 77120 nije stigla već dve nedelje, niko se ne javlja! Sramota.')]);
    const id = s.caseIds[0]!;
    expect((await api(ana, 'POST', `/api/cases/${id}/claim`)).status).toBe(200);
    const detail = (await (await api(ana, 'GET', `/api/cases/${id}`)).json()) as {
      templates: Array<{ id: string; text: string; suggestedByRules: boolean }>;
      thread: unknown[];
    };
    const delivery = detail.templates.find((t) => t.id === 'delivery')!;
    expect(delivery.suggestedByRules).toBe(true);
    expect(delivery.text).toContain('Milica');
    expect(delivery.text).toContain('Ana');
    expect(delivery.text).toContain('77120');
    expect(detail.thread).toHaveLength(1);
    const sent = await api(ana, 'POST', `/api/cases/${id}/replies`, { text: delivery.text });
    expect(sent.status).toBe(202);
    expect(((await sent.json()) as { reply: { text: string } }).reply.text.endsWith('\n– Ana')).toBe(true);
    await h.deliver();
    expect((await caseOf(id)).status).toBe('replied');
    expect((await api(ana, 'POST', `/api/cases/${id}/resolve`)).status).toBe(200);
    expect((await caseOf(id)).status).toBe('resolved');

    const again = await ingestPosts([post('p2', 'I dalje ništa, paket nije stigao!', { inReplyToId: 'p1' })]);
    expect(again.reopened).toEqual([id]);
    expect(again.caseIds).toEqual([]);
    const reopened = await caseOf(id);
    expect(reopened.status).toBe('open');
    expect(reopened.assigneeId).toBeNull();
    const d2 = (await (await api(cm, 'GET', `/api/cases/${id}`)).json()) as { thread: Array<{ platformPostId: string }>; history: Array<{ action: string }> };
    expect(d2.thread.map((p) => p.platformPostId)).toEqual(['p1', 'p2']);
    expect(d2.history.map((x) => x.action)).toEqual(['case.claim', 'reply.create', 'reply.sent', 'case.resolve', 'case.reopen']);
  });

  it('resolves a flag that needed no one as a false alarm, but never one that was answered', async () => {
    const s = await ingestPosts([
      post('f1', 'Otkazujem ugovor!', { conversationId: 'conv-f1' }),
      post('f2', 'Internet ne radi od jutra, sramota!', { conversationId: 'conv-f2', author: { platformUserId: 'cust-2', handle: 'ivo' } }),
    ]);
    const [fa, answered] = s.caseIds as [number, number];
    expect((await api(ana, 'POST', `/api/cases/${fa}/claim`)).status).toBe(200);
    const bad = await api(ana, 'POST', `/api/cases/${fa}/resolve`, { falseAlarm: 'yes' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toContain('falseAlarm: expected true or false');
    const res = await api(ana, 'POST', `/api/cases/${fa}/resolve`, { falseAlarm: true });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: fa, status: 'resolved', falseAlarm: true });
    expect((await caseOf(fa)).falseAlarm).toBe(true);
    // Answered first: it was no false alarm, and nothing changes.
    expect((await api(ana, 'POST', `/api/cases/${answered}/claim`)).status).toBe(200);
    expect((await api(ana, 'POST', `/api/cases/${answered}/replies`, { text: 'Pozdrav, provjeravamo.' })).status).toBe(202);
    await h.deliver();
    const refused = await api(ana, 'POST', `/api/cases/${answered}/resolve`, { falseAlarm: true });
    expect(refused.status).toBe(409);
    expect((await caseOf(answered)).status).toBe('replied');
    expect(await (await api(ana, 'POST', `/api/cases/${answered}/resolve`)).json()).toMatchObject({ status: 'resolved', falseAlarm: false });
    // The customer writing again makes the case live: its outcome is decided anew.
    const again = await ingestPosts([post('f3', 'Ipak ne, ali net i dalje ne radi!', { conversationId: 'conv-f1', inReplyToId: 'f1' })]);
    expect(again.reopened).toEqual([fa]);
    expect(await caseOf(fa)).toMatchObject({ status: 'open', falseAlarm: false });
  });

  it('snooze until the customer writes again, or until a time', async () => {
    const s = await ingestPosts([
      post('s1', 'Internet ne radi od jutra, užas!'),
      post('s2', 'TV ne radi, sramota!', { author: { platformUserId: 'cust-2', handle: 'b' }, conversationId: 'conv-2' }),
    ]);
    const [a, b] = s.caseIds as [number, number];
    for (const id of [a, b]) await api(ana, 'POST', `/api/cases/${id}/claim`);
    expect((await api(ana, 'POST', `/api/cases/${a}/snooze`, {})).status).toBe(200);
    const until = new Date(Date.now() + 60_000).toISOString();
    expect((await api(ana, 'POST', `/api/cases/${b}/snooze`, { until })).status).toBe(200);
    expect(await wakeSnoozed(h.deps.database)).toBe(0);
    expect(await wakeSnoozed(h.deps.database, new Date(Date.now() + 120_000))).toBe(1);
    expect((await caseOf(b)).status).toBe('open');
    expect((await caseOf(a)).status).toBe('snoozed');
    await ingestPosts([post('s3', 'Evo me opet, i dalje ne radi.', { inReplyToId: 's1' })]);
    expect((await caseOf(a)).status).toBe('open');
    expect((await api(ana, 'POST', `/api/cases/${a}/snooze`, { until: '2020-01-01T00:00:00Z' })).status).toBe(400);
    // Ana no longer holds the reopened case.
    expect((await api(ana, 'POST', `/api/cases/${a}/snooze`, { until: new Date(Date.now() + 60_000).toISOString() })).status).toBe(403);
  });

  it('escalates to a team with a note, assigns, and hands out the next case by team and priority', async () => {
    const s = await ingestPosts([
      post('e1', 'Otkazujem ugovor i prelazim kod konkurencije, dosta mi je!', { author: { platformUserId: 'c1', handle: 'c1' }, conversationId: 'c1' }),
      post('e2', 'Internet ne radi, sramota.', { author: { platformUserId: 'c2', handle: 'c2' }, conversationId: 'c2' }),
    ]);
    const next = await api(ana, 'POST', '/api/cases/next');
    expect(next.status).toBe(200);
    const got = (await next.json()) as { id: number; status: string; assigneeId: number };
    const top = Math.max(...(await h.deps.database.db.select().from(cases)).map((c) => c.priority));
    expect((await caseOf(got.id)).priority).toBe(top);
    expect(got).toMatchObject({ status: 'claimed', assigneeId: ana.id });
    expect((await api(ivan, 'POST', `/api/cases/${got.id}/escalate`, { team: 'billing', note: 'x' })).status).toBe(403);
    const esc = await api(ana, 'POST', `/api/cases/${got.id}/escalate`, { team: 'retention', note: 'Dugogodišnji korisnik, ponudite popust.' });
    expect(esc.status).toBe(200);
    expect(await esc.json()).toMatchObject({ status: 'escalated', team: 'retention', assigneeId: null });
    const d = (await (await api(ana, 'GET', `/api/cases/${got.id}`)).json()) as { notes: Array<{ text: string; author: string }> };
    expect(d.notes[0]!.text).toContain('Escalated to retention');
    expect((await api(ana, 'POST', `/api/cases/${got.id}/assign`, { assigneeId: ivan.id })).status).toBe(403);
    expect((await api(cm, 'POST', `/api/cases/${got.id}/assign`, { assigneeId: ivan.id })).status).toBe(200);
    expect((await caseOf(got.id)).assigneeId).toBe(ivan.id);
    expect((await api(cm, 'POST', `/api/cases/${got.id}/assign`, { assigneeId: mk.id })).status).toBe(422);
    // Ana's team (care) still has the other case; then nothing.
    expect((await api(ana, 'POST', '/api/cases/next')).status).toBe(200);
    expect((await api(ana, 'POST', '/api/cases/next')).status).toBe(204);
    void s;
  });

  it('filters the queue by language, platform, assignee and SLA state', async () => {
    await ingestPosts([
      post('f1', 'My internet is not working for three days, terrible', { author: { platformUserId: 'e1', handle: 'e1' }, conversationId: 'f1' }),
      post('f2', 'Internet opet ne radi, čekam od jutra, sramota!', {
        author: { platformUserId: 'e2', handle: 'e2' },
        conversationId: 'f2',
        postedAt: new Date(Date.now() - 3 * 86_400_000),
      }),
    ]);
    const list = async (q: string) =>
      ((await (await api(ana, 'GET', `/api/cases?${q}`)).json()) as { cases: Array<{ post: { platformPostId: string } }> }).cases.map(
        (c) => c.post.platformPostId,
      );
    expect(await list('language=en')).toEqual(['f1']);
    expect(await list('sla=breached')).toEqual(['f2']);
    expect(await list('assignee=me')).toEqual([]);
    const [c2] = (await h.deps.database.db.select().from(cases)).filter((c) => c.reason);
    await api(ana, 'POST', `/api/cases/${c2!.id}/claim`);
    expect((await list('assignee=me')).length).toBe(1);
    expect(await list('platform=x')).toEqual([]);
    expect((await api(ana, 'GET', '/api/cases?sla=late')).status).toBe(400);
    expect((await api(ana, 'GET', '/api/cases?assignee=someone')).status).toBe(400);
  });
});

describe('collisions', () => {
  it('the detail view shows who else has the case open', async () => {
    const s = await ingestPosts([post('v1', 'Internet ne radi, sramota!')]);
    const id = s.caseIds[0]!;
    const first = (await (await api(ana, 'GET', `/api/cases/${id}`)).json()) as { viewers: unknown[] };
    expect(first.viewers).toEqual([]);
    const second = (await (await api(ivan, 'GET', `/api/cases/${id}`)).json()) as { viewers: Array<{ name: string }> };
    expect(second.viewers.map((v) => v.name)).toEqual(['Ana Horvat']);
    const again = (await (await api(ana, 'GET', `/api/cases/${id}`)).json()) as { viewers: Array<{ name: string }> };
    expect(again.viewers.map((v) => v.name)).toEqual(['Ivan Kovač']);
  });
});

describe('SLA, idle claims and failed sends', () => {
  it('raises one near-breach and one breach alert per due time, releases idle claims', async () => {
    const s = await ingestPosts([post('l1', 'Otkazujem sve, sramota!', { postedAt: new Date(Date.now() - 14 * 60_000) })]);
    const id = s.caseIds[0]!;
    expect(await slaAlerts(h.deps.database)).toBe(1);
    expect(await slaAlerts(h.deps.database)).toBe(0);
    expect(await slaAlerts(h.deps.database, new Date(Date.now() + 60 * 60_000))).toBe(1);
    const rows = await h.deps.database.db.select().from(alerts).where(eq(alerts.kind, 'sla'));
    expect(rows.map((r) => r.dedupKey.split(':')[2]).sort()).toEqual(['breach', 'near']);
    await api(ana, 'POST', `/api/cases/${id}/claim`);
    expect(await releaseIdleClaims(h.deps.database, 30 * 60_000)).toBe(0);
    expect(await releaseIdleClaims(h.deps.database, 30 * 60_000, new Date(Date.now() + 31 * 60_000))).toBe(1);
    expect(await caseOf(id)).toMatchObject({ status: 'open', assigneeId: null });
  });

  it("shows a failed send with the platform's reason and sends it again on request", async () => {
    const s = await ingestPosts([post('r1', 'Internet ne radi, sramota!')]);
    const id = s.caseIds[0]!;
    await api(ana, 'POST', `/api/cases/${id}/claim`);
    const r = (await (await api(ana, 'POST', `/api/cases/${id}/replies`, { text: 'Pozdrav!' })).json()) as { reply: { id: number } };
    await h.deps.database.db.update(replies).set({ status: 'failed', lastError: 'auth: 401 invalid token' }).where(eq(replies.id, r.reply.id));
    const d = (await (await api(ana, 'GET', `/api/cases/${id}`)).json()) as { replies: Array<{ status: string; lastError: string }> };
    expect(d.replies[0]).toMatchObject({ status: 'failed', lastError: 'auth: 401 invalid token' });
    expect((await api(ana, 'POST', `/api/cases/${id}/replies/${r.reply.id}/retry`)).status).toBe(200);
    expect((await api(ana, 'POST', `/api/cases/${id}/replies/${r.reply.id}/retry`)).status).toBe(409);
    await h.deliver();
    expect((await h.deps.database.db.select().from(replies).where(eq(replies.id, r.reply.id)))[0]!.status).toBe('sent');
  });
});

describe('notes, notices, audit and tokens', () => {
  it('shows a promotion or known issue on every related case', async () => {
    const s = await ingestPosts([post('n1', 'Internet ne radi u Splitu od jutra!')]);
    expect((await api(ana, 'POST', '/api/notices', { kind: 'known_issue', title: 'Outage in Split', keywords: ['split'] })).status).toBe(403);
    const made = await api(mk, 'POST', '/api/notices', {
      kind: 'known_issue',
      title: 'Prekid u Splitu do 18:00',
      keywords: ['Splitu'],
      endsAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect(made.status).toBe(201);
    expect((await api(cm, 'POST', '/api/notices', { kind: 'promotion', title: 'BF30', categories: ['billing'] })).status).toBe(201);
    expect((await api(cm, 'POST', '/api/notices', { kind: 'promotion', title: 'no target' })).status).toBe(400);
    const d = (await (await api(ana, 'GET', `/api/cases/${s.caseIds[0]}`)).json()) as { notices: Array<{ title: string }> };
    expect(d.notices.map((n) => n.title)).toEqual(['Prekid u Splitu do 18:00']);
    expect((await api(mk, 'POST', `/api/cases/${s.caseIds[0]}/notes`, { text: 'Marketing: outage post goes out at 12:00' })).status).toBe(201);
  });

  it('keeps an audit trail only admins read, and tokens people can revoke', async () => {
    await api(undefined, 'POST', '/api/auth/token', { email: ana.email, password: 'wrong-password!' });
    expect((await api(cm, 'GET', '/api/audit')).status).toBe(403);
    const trail = (await (await api(admin, 'GET', '/api/audit?action=login.failed')).json()) as {
      entries: Array<{ action: string; details: { email: string } }>;
    };
    expect(trail.entries[0]).toMatchObject({ action: 'login.failed', details: { email: ana.email } });
    const created = (await (await api(ana, 'POST', '/api/tokens', { name: 'zapier' })).json()) as { id: number; token: string };
    expect((await api({ ...ana, token: created.token }, 'GET', '/api/cases')).status).toBe(200);
    const mine = (await (await api(ana, 'GET', '/api/tokens')).json()) as { tokens: Array<{ id: number; name: string }> };
    expect(mine.tokens.map((t) => t.name)).toEqual(['zapier', 'test']);
    expect(JSON.stringify(mine)).not.toContain(created.token);
    expect((await api(ivan, 'DELETE', `/api/tokens/${created.id}`)).status).toBe(403);
    expect((await api(ana, 'DELETE', `/api/tokens/${created.id}`)).status).toBe(204);
    expect((await api({ ...ana, token: created.token }, 'GET', '/api/cases')).status).toBe(401);
    void sql;
  });
});

describe('resolution targets', () => {
  it('alerts once when a case is not resolved by its resolution due time', async () => {
    const s = await ingestPosts([post('rt1', 'Internet ne radi, sramota!')]);
    const c = await caseOf(s.caseIds[0]!);
    expect(c.resolveDueAt!.getTime()).toBeGreaterThan(c.dueAt.getTime());
    const after = new Date(c.resolveDueAt!.getTime() + 60_000);
    const before = (await h.deps.database.db.select().from(alerts)).filter((a) => a.dedupKey.includes(':resolution:')).length;
    await slaAlerts(h.deps.database, after);
    await slaAlerts(h.deps.database, after);
    const rows = (await h.deps.database.db.select().from(alerts)).filter((a) => a.dedupKey.includes(':resolution:'));
    expect(rows.length - before).toBe(1);
  });
});
