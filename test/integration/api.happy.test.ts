import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, replies } from '../../db/schema/index.ts';
import { demoHarness } from '../helpers/clock-replay.ts';
import type { Harness } from '../helpers/harness.ts';

let h: Harness;
let clock: Awaited<ReturnType<typeof demoHarness>>['clock'];
beforeAll(async () => {
  ({ h, clock } = await demoHarness(90_000));
});
afterAll(() => h.close());

describe('API: the path a complaint travels', () => {
  it('GET /health answers without a token', async () => {
    const res = await h.request('GET', '/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', database: 'ok' });
  });

  it('lists open cases by priority, in several languages, with the priority explained', async () => {
    const responder = await h.user('responder');
    const res = await h.request('GET', '/api/cases?status=open&limit=200', { token: responder.token });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { cases: Array<{ priority: number; language: string; priorityExplained: string; status: string; reason: string }> };
    expect(body.cases.length).toBeGreaterThan(10);
    const priorities = body.cases.map((c) => c.priority);
    expect(priorities).toEqual([...priorities].sort((a, b) => b - a));
    expect(new Set(body.cases.map((c) => c.language)).size).toBeGreaterThanOrEqual(3);
    expect(body.cases.every((c) => c.status === 'open' && c.reason.length > 0)).toBe(true);
    expect(body.cases[0]!.priorityExplained).toMatch(/^priority \d+ = /);
  });

  it('pages with a keyset cursor without repeating or skipping', async () => {
    const responder = await h.user('responder');
    const all = (await (await h.request('GET', '/api/cases?limit=200', { token: responder.token })).json()) as { cases: Array<{ id: number }> };
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const res: Response = await h.request('GET', `/api/cases?limit=7${cursor ? `&cursor=${cursor}` : ''}`, { token: responder.token });
      const page = (await res.json()) as { cases: Array<{ id: number }>; nextCursor: string | null };
      seen.push(...page.cases.map((c) => c.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.cases.map((c) => c.id));
  });

  it('shows a case with its post, analysis, flags with evidence, and replies', async () => {
    const responder = await h.user('responder');
    const list = (await (await h.request('GET', '/api/cases?status=open', { token: responder.token })).json()) as { cases: Array<{ id: number }> };
    const res = await h.request('GET', `/api/cases/${list.cases[0]!.id}`, { token: responder.token });
    expect(res.status).toBe(200);
    const c = (await res.json()) as Record<string, unknown> & {
      post: { text: string; raw?: unknown };
      analysis: { complaint: number };
      flags: Array<{ ruleId: string; evidence: string[] }>;
      replies: unknown[];
    };
    expect(c.post.text.length).toBeGreaterThan(5);
    expect(c.post.raw).toBeUndefined();
    expect(c.analysis.complaint).toBeGreaterThanOrEqual(0);
    expect(c.flags.length).toBeGreaterThan(0);
    expect(c.flags[0]!.ruleId).toBeTruthy();
    expect(c.replies).toEqual([]);
  });

  it('claims, replies once per idempotency key, delivers through the adapter and records it', async () => {
    const ana = await h.user('responder', 'Ana');
    const list = (await (await h.request('GET', '/api/cases?status=open', { token: ana.token })).json()) as {
      cases: Array<{ id: number; post: { platformPostId: string } }>;
    };
    const target = list.cases[0]!;

    const claim = await h.request('POST', `/api/cases/${target.id}/claim`, { token: ana.token });
    expect(claim.status).toBe(200);
    expect(await claim.json()).toMatchObject({ id: target.id, status: 'claimed', assigneeId: ana.id });

    const text = 'Pozdrav, jako nam je žao. Provjeravamo i javljamo se u roku od sat vremena. – Ana';
    const first = await h.request('POST', `/api/cases/${target.id}/replies`, { token: ana.token, json: { text }, headers: { 'idempotency-key': 'req-1' } });
    expect(first.status).toBe(202);
    const again = await h.request('POST', `/api/cases/${target.id}/replies`, { token: ana.token, json: { text }, headers: { 'idempotency-key': 'req-1' } });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { replayed: boolean }).replayed).toBe(true);

    expect(await h.deliver()).toBe(1);
    expect(await h.deliver()).toBe(0);
    const third = await h.request('POST', `/api/cases/${target.id}/replies`, { token: ana.token, json: { text }, headers: { 'idempotency-key': 'req-1' } });
    expect(((await third.json()) as { reply: { status: string } }).reply.status).toBe('sent');
    expect(await h.deliver()).toBe(0);

    const recorded = clock.adapter.recordedReplies();
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ inReplyTo: target.post.platformPostId, text });

    const detail = (await (await h.request('GET', `/api/cases/${target.id}`, { token: ana.token })).json()) as {
      status: string;
      firstResponseAt: string | null;
      replies: Array<{ status: string; platformReplyId: string }>;
    };
    expect(detail.status).toBe('replied');
    expect(detail.firstResponseAt).not.toBeNull();
    expect(detail.replies).toHaveLength(1);
    expect(detail.replies[0]).toMatchObject({ status: 'sent', platformReplyId: recorded[0]!.platformReplyId });

    const viaApi = (await (await h.request('GET', '/api/replay/replies', { token: ana.token })).json()) as { replies: unknown[] };
    expect(viaApi.replies).toHaveLength(1);

    const rows = await h.deps.database.db.select().from(replies).where(eq(replies.caseId, target.id));
    expect(rows).toHaveLength(1);
    const trail = await h.deps.database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.subjectId, String(target.id)));
    expect(trail.map((a) => a.action)).toEqual(expect.arrayContaining(['case.claim', 'reply.create', 'reply.sent']));
  });

  it('analyzes a text on request', async () => {
    const m = await h.user('marketing');
    const res = await h.request('POST', '/api/analyze', { token: m.token, json: { text: 'Otkazujem sve, prelazim kod konkurencije!' } });
    expect(res.status).toBe(200);
    const a = (await res.json()) as { categories: string[]; isComplaint: boolean; evidence: Record<string, string[]> };
    expect(a.categories).toContain('churn');
    expect(a.evidence.churn?.length).toBeGreaterThan(0);
    // As ingest reads a post from the brand's streams: written to the brand, @handle or not.
    const read = async (body: unknown) =>
      (await (await h.request('POST', '/api/analyze', { token: m.token, json: body })).json()) as { isComplaint: boolean; message?: string };
    expect((await read({ text: 'Vedra package late again' })).isComplaint).toBe(false);
    expect((await read({ text: 'Vedra package late again', toBrand: true })).isComplaint).toBe(true);
    expect((await read({ text: 'x', toBrand: 'yes' })).message).toContain('toBrand: expected true or false');
  });

  it('exchanges e-mail and password for a token', async () => {
    const u = await h.user('responder');
    const res = await h.request('POST', '/api/auth/token', { json: { email: u.email, password: 'correct horse battery staple' } });
    expect(res.status).toBe(201);
    const { token } = (await res.json()) as { token: string };
    expect((await h.request('GET', '/api/cases', { token })).status).toBe(200);
  });

  it('shows stream health', async () => {
    const u = await h.user('community_manager');
    const body = (await (await h.request('GET', '/api/streams', { token: u.token })).json()) as {
      streams: Array<{ name: string; status: string; lastSuccessAt: string }>;
    };
    expect(body.streams).toEqual([expect.objectContaining({ name: 'demo', status: 'ok' })]);
  });

  it('serves the OpenAPI document', async () => {
    const doc = (await (await h.request('GET', '/api/openapi.json')).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/cases', '/api/cases/{id}', '/api/cases/{id}/claim', '/api/cases/{id}/replies', '/api/analyze']),
    );
  });
});
