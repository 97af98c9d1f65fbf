import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseNotes, cases } from '../../db/schema/index.ts';
import { demoHarness } from '../helpers/clock-replay.ts';
import type { Harness } from '../helpers/harness.ts';

let h: Harness;
beforeAll(async () => {
  ({ h } = await demoHarness(600_000));
});
afterAll(() => h.close());

type Result = { id: number; ok: boolean; status?: string; code?: string; message?: string };
type Bulk = { done: number; refused: number; results: Result[] };

async function openCases(token: string, n: number): Promise<number[]> {
  const body = (await (await h.request('GET', '/api/cases?status=open&limit=200', { token })).json()) as { cases: Array<{ id: number }> };
  expect(body.cases.length).toBeGreaterThanOrEqual(n);
  return body.cases.slice(0, n).map((c) => c.id);
}

describe('bulk actions: one action for a wave of cases, each by the rules of one', () => {
  it('marks a wave as false alarms, and refuses, each with its reason, an answered case and an unknown id', async () => {
    const cm = await h.user('community_manager');
    const [a, b, c, answered] = await openCases(cm.token, 4);
    expect((await h.request('POST', `/api/cases/${answered}/claim`, { token: cm.token })).status).toBe(200);
    expect(
      (
        await h.request('POST', `/api/cases/${answered}/replies`, {
          token: cm.token,
          json: { text: 'Pozdrav, provjeravamo i javljamo se.' },
          headers: { 'idempotency-key': 'bulk-1' },
        })
      ).status,
    ).toBe(202);
    await h.deliver();

    const res = await h.request('POST', '/api/cases/bulk', { token: cm.token, json: { action: 'false_alarm', ids: [a, b, c, answered, 999_999, a] } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Bulk;
    expect(body).toMatchObject({ done: 3, refused: 2 });
    expect(body.results.map((r) => r.id)).toEqual([a, b, c, answered, 999_999]);
    expect(body.results[3]).toMatchObject({ ok: false, code: 'CONFLICT', message: expect.stringContaining('was answered') });
    expect(body.results[4]).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    const rows = await h.deps.database.db
      .select()
      .from(cases)
      .where(inArray(cases.id, [a!, b!, c!, answered!]));
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const id of [a, b, c]) expect(byId.get(id!)).toMatchObject({ status: 'resolved', falseAlarm: true });
    expect(byId.get(answered!)).toMatchObject({ falseAlarm: false });
    expect(byId.get(answered!)!.status).not.toBe('resolved');
  });

  it('lets a responder act only on what they hold, and not assign at all', async () => {
    const responder = await h.user('responder');
    const colleague = await h.user('responder');
    const [mine, theirs, nobodys] = await openCases(responder.token, 3);
    expect((await h.request('POST', `/api/cases/${mine}/claim`, { token: responder.token })).status).toBe(200);
    expect((await h.request('POST', `/api/cases/${theirs}/claim`, { token: colleague.token })).status).toBe(200);
    const body = (await (
      await h.request('POST', '/api/cases/bulk', { token: responder.token, json: { action: 'resolve', ids: [mine, theirs, nobodys] } })
    ).json()) as Bulk;
    expect(body.results).toEqual([
      { id: mine, ok: true, status: 'resolved' },
      { id: theirs, ok: false, code: 'FORBIDDEN', message: 'only the person holding the case or a community manager can resolve it' },
      { id: nobodys, ok: false, code: 'FORBIDDEN', message: 'claim the case before you resolve it' },
    ]);
    const assign = await h.request('POST', '/api/cases/bulk', { token: responder.token, json: { action: 'assign', ids: [nobodys], assigneeId: responder.id } });
    expect(assign.status).toBe(403);
    expect((await h.deps.database.db.select().from(cases).where(eq(cases.id, nobodys!)))[0]!.assigneeId).toBeNull();
  });

  it('escalates a wave to a team with the note on every case, and assigns a wave to a person', async () => {
    const cm = await h.user('community_manager');
    const responder = await h.user('responder');
    const ids = await openCases(cm.token, 4);
    const up = (await (
      await h.request('POST', '/api/cases/bulk', {
        token: cm.token,
        json: { action: 'escalate', ids: ids.slice(0, 2), team: 'network', note: 'Outage in Split, all about the same fault' },
      })
    ).json()) as Bulk;
    expect(up).toMatchObject({ done: 2, refused: 0 });
    for (const id of ids.slice(0, 2)) {
      expect((await h.deps.database.db.select().from(cases).where(eq(cases.id, id)))[0]).toMatchObject({ status: 'escalated', team: 'network' });
      expect((await h.deps.database.db.select().from(caseNotes).where(eq(caseNotes.caseId, id))).map((n) => n.text)).toContain(
        'Escalated to network: Outage in Split, all about the same fault',
      );
    }
    const given = (await (
      await h.request('POST', '/api/cases/bulk', { token: cm.token, json: { action: 'assign', ids: ids.slice(2), assigneeId: responder.id } })
    ).json()) as Bulk;
    expect(given).toMatchObject({ done: 2, refused: 0 });
    for (const id of ids.slice(2))
      expect((await h.deps.database.db.select().from(cases).where(eq(cases.id, id)))[0]).toMatchObject({ status: 'claimed', assigneeId: responder.id });
  });

  it('says what is wrong with a bad request, and changes nothing', async () => {
    const cm = await h.user('community_manager');
    const [id] = await openCases(cm.token, 1);
    const message = async (json: unknown) => {
      const res = await h.request('POST', '/api/cases/bulk', { token: cm.token, json });
      expect(res.status).toBe(400);
      return ((await res.json()) as { issues?: Array<{ path: string; message: string }> }).issues?.map((i) => `${i.path}: ${i.message}`).join('; ');
    };
    expect(await message({ action: 'explode', ids: [id] })).toContain('action: expected one of resolve, false_alarm, escalate, assign, snooze');
    expect(await message({ action: 'resolve', ids: [] })).toBe('ids: choose at least one case');
    expect(await message({ action: 'resolve', ids: Array.from({ length: 201 }, (_, i) => i + 1) })).toBe('ids: at most 200 cases at a time');
    expect(await message({ action: 'escalate', ids: [id] })).toBe('team: expected a team name; note: expected a note for the team');
    expect(await message({ action: 'resolve', ids: ['7'] })).toBe('ids[0]: expected case ids');
    expect((await h.deps.database.db.select().from(cases).where(eq(cases.id, id!)))[0]!.status).toBe('open');
  });
});
