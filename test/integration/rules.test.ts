import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alerts, cases, flags, posts } from '../../db/schema/index.ts';
import { loadPackText } from '../../rules/index.ts';
import { describeLabels, runBacktest, withCandidate } from '../../src/backtest/backtest.ts';
import { markGone } from '../../src/privacy/gone.ts';
import { dashboardStats } from '../../src/queue/stats.ts';
import { Rulebook } from '../../src/rulebook.ts';
import { demoHarness } from '../helpers/clock-replay.ts';
import type { Harness } from '../helpers/harness.ts';
import { silentLog } from '../helpers/harness.ts';
import { waitFor } from '../helpers/process.ts';

describe('hot reload of rule packs', () => {
  it('applies an edit without a restart, and keeps the last good packs when an edit is broken', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'odziv-rules-'));
    copyFileSync('rules/packs/default.yaml', join(dir, 'default.yaml'));
    const changes: Array<{ accepted: boolean; errors: string[] }> = [];
    const book = new Rulebook(dir, silentLog, (c) => {
      changes.push(c);
    });
    await book.load();
    book.watch(50);
    try {
      const v1 = book.status().version;
      expect(book.current()[0]!.rules.some((r) => r.id === 'vip')).toBe(false);
      writeFileSync(join(dir, 'extra.yaml'), 'pack: extra\nrules:\n  - id: vip\n    conditions: { verified: true }\n    actions: { priority: { add: 20 } }\n');
      await waitFor('the new pack', async () => (book.current().some((p) => p.name === 'extra') ? true : undefined), 5_000, 50);
      expect(book.status().version).toBeGreaterThan(v1);

      writeFileSync(join(dir, 'extra.yaml'), 'pack: extra\nrules:\n  - id: vip\n    conditions: { verified: maybe }\n    actions: { priority: { add: 20 } }\n');
      await waitFor('the rejection', async () => (book.status().errors.length ? true : undefined), 5_000, 50);
      expect(book.status().errors[0]).toContain('extra.yaml: rule "vip": conditions.verified: expected true or false');
      expect(
        book
          .current()
          .map((p) => p.name)
          .sort(),
      ).toEqual(['default', 'extra']);

      writeFileSync(join(dir, 'extra.yaml'), 'pack: extra\nrules:\n  - id: vip2\n    conditions: { verified: true }\n    actions: { priority: { add: 5 } }\n');
      await waitFor('the fixed pack', async () => (book.current().find((p) => p.name === 'extra')?.rules[0]?.id === 'vip2' ? true : undefined), 5_000, 50);
      expect(book.status().errors).toEqual([]);
      // Every change reaches the audit hook: accepted, rejected (with its errors), accepted.
      expect(changes.map((c) => c.accepted)).toEqual(expect.arrayContaining([true, false]));
      expect(changes.find((c) => !c.accepted)!.errors[0]).toContain('conditions.verified');
    } finally {
      book.close();
    }
  });

  it('refuses to start on a broken pack, naming every error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'odziv-rules-'));
    copyFileSync('test/fixtures/packs/broken.yaml', join(dir, 'broken.yaml'));
    await expect(new Rulebook(dir, silentLog).load()).rejects.toThrow(/conditions\.any\[2\]\.minComplaint[\s\S]*conditions\.minComplant/);
  });
});

describe('backtest', () => {
  let h: Harness;
  let cm: { token: string };
  beforeAll(async () => {
    ({ h } = await demoHarness(120_000));
    cm = await h.user('community_manager');
  });
  afterAll(() => h.close());

  const candidate = `pack: default
rules:
  - id: only-churn
    conditions: { category: churn }
    actions:
      flag: { category: churn, reason: "Leaving" }
  - id: every-question
    conditions: { question: true }
    actions:
      flag: { category: question, reason: "A question" }
`;

  it('reports what a candidate pack would change, with progress, without touching live data', async () => {
    const before = {
      cases: Number((await h.deps.database.db.select({ n: count() }).from(cases))[0]!.n),
      flags: Number((await h.deps.database.db.select({ n: count() }).from(flags))[0]!.n),
      alerts: Number((await h.deps.database.db.select({ n: count() }).from(alerts))[0]!.n),
    };
    const res = await h.request('POST', '/api/rules/backtest', { token: cm.token, json: { pack: candidate, since: '30d' } });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: number };
    const done = await waitFor(
      'the backtest',
      async () => {
        const b = (await (await h.request('GET', `/api/rules/backtest/${id}`, { token: cm.token })).json()) as {
          status: string;
          processed: number;
          total: number;
          result: Record<string, unknown>;
        };
        return b.status === 'done' ? b : undefined;
      },
      20_000,
      100,
    );
    const r = done.result as {
      posts: number;
      flaggedNow: number;
      flaggedWithCandidate: number;
      newlyFlagged: number;
      noLongerFlagged: number;
      byRule: Record<string, { now: number; candidate: number }>;
      examples: { noLongerFlagged: Array<{ text: string; rules: string[] }> };
    };
    expect(done.processed).toBe(done.total);
    expect(r.posts).toBe(done.total);
    expect(r.flaggedNow).toBe(before.cases);
    expect(r.noLongerFlagged).toBeGreaterThan(0);
    expect(r.flaggedWithCandidate).toBe(r.flaggedNow + r.newlyFlagged - r.noLongerFlagged);
    expect(r.byRule['default/only-churn']!.candidate).toBeGreaterThan(0);
    expect(r.byRule['default/only-churn']!.now).toBe(0);
    expect(r.byRule['default/delivery-returns']!.candidate).toBe(0);
    expect(r.examples.noLongerFlagged[0]!.rules.length).toBeGreaterThan(0);
    const after = {
      cases: Number((await h.deps.database.db.select({ n: count() }).from(cases))[0]!.n),
      flags: Number((await h.deps.database.db.select({ n: count() }).from(flags))[0]!.n),
      alerts: Number((await h.deps.database.db.select({ n: count() }).from(alerts))[0]!.n),
    };
    expect(after).toEqual(before);
  });

  it('rejects a broken candidate with every error, and a bad "since"', async () => {
    const res = await h.request('POST', '/api/rules/backtest', {
      token: cm.token,
      json: { pack: 'pack: x\nrules:\n  - id: a\n    conditions: { minComplaint: 2, bogus: 1 }\n    actions: { route: care }\n' },
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { message: string; issues: Array<{ path: string; message: string }> };
    expect(body.message).toContain('rule "a": conditions.minComplaint: expected a number between 0 and 1');
    expect(body.issues.map((i) => i.message)).toEqual(expect.arrayContaining(['expected a number between 0 and 1', 'unknown field (check the spelling)']));
    const bad = await h.request('POST', '/api/rules/backtest', { token: cm.token, json: { pack: candidate, since: 'last tuesday' } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toContain('since:');
  });

  it("measures a candidate against people's verdicts: false alarms it still flags, answered posts it drops", async () => {
    const r = await h.user('responder');
    const open = ((await (await h.request('GET', '/api/cases?status=open&limit=3', { token: r.token })).json()) as { cases: Array<{ id: number }> }).cases;
    for (const c of open.slice(0, 2)) {
      expect((await h.request('POST', `/api/cases/${c.id}/claim`, { token: r.token })).status).toBe(200);
      expect((await h.request('POST', `/api/cases/${c.id}/resolve`, { token: r.token, json: { falseAlarm: true } })).status).toBe(200);
    }
    expect((await h.request('POST', `/api/cases/${open[2]!.id}/claim`, { token: r.token })).status).toBe(200);
    expect((await h.request('POST', `/api/cases/${open[2]!.id}/replies`, { token: r.token, json: { text: 'Hi, checking now.' } })).status).toBe(202);
    expect(await h.deliver()).toBe(1);

    const live = h.deps.rulebook.current();
    const same = await runBacktest(h.deps.database, live, live, new Date(0));
    expect(same.labels).toEqual({ falseAlarms: 2, falseAlarmsStillFlagged: 2, answered: 1, answeredNoLongerFlagged: 0 });
    const silent = loadPackText('pack: default\nrules:\n  - id: nothing\n    conditions: { own: true }\n    actions: { ignore: true }\n', 'silent.yaml').pack!;
    const none = await runBacktest(h.deps.database, live, withCandidate(live, silent), new Date(0));
    expect(none.labels).toEqual({ falseAlarms: 2, falseAlarmsStillFlagged: 0, answered: 1, answeredNoLongerFlagged: 1 });
    expect(describeLabels(none.labels)).toBe(
      "against people's verdicts: of 2 posts resolved as false alarms it still flags 0; of 1 posts someone answered it no longer flags 1",
    );

    // The dashboard counts the false alarms against the rules that flagged them.
    const expected = new Map<string, number>();
    for (const c of await h.deps.database.db.select().from(cases).where(eq(cases.falseAlarm, true))) {
      const rules = new Set((await h.deps.database.db.select().from(flags).where(eq(flags.postId, c.postId))).map((f) => `${f.pack}/${f.ruleId}`));
      for (const rule of rules) expected.set(rule, (expected.get(rule) ?? 0) + 1);
    }
    expect(expected.size).toBeGreaterThan(0);
    const stats = await dashboardStats(h.deps.database);
    expect(new Map(stats.falseAlarms.map((row) => [row.rule, row.falseAlarms]))).toEqual(expected);
    for (const row of stats.falseAlarms) expect(row.resolved).toBeGreaterThanOrEqual(row.falseAlarms);
    // Complaint topics leave out praise and plain questions, which the demo has plenty of.
    expect((await h.deps.database.db.select().from(cases).where(eq(cases.category, 'praise'))).length).toBeGreaterThan(0);
    expect(stats.topics.map((x) => x.key)).not.toContain('praise');
    expect(stats.topics.map((x) => x.key)).not.toContain('question');
    expect(stats.topics.length).toBeGreaterThan(0);

    // A post whose words are gone (deleted by its author) has nothing to replay: not counted.
    const [gone] = await h.deps.database.db
      .select({ platform: posts.platform, platformPostId: posts.platformPostId })
      .from(cases)
      .innerJoin(posts, eq(posts.id, cases.postId))
      .where(eq(cases.id, open[0]!.id));
    expect(await markGone(h.deps.database, gone!.platform, [gone!.platformPostId], new Date())).toBe(1);
    const after = await runBacktest(h.deps.database, live, live, new Date(0));
    expect(after.labels).toEqual({ falseAlarms: 1, falseAlarmsStillFlagged: 1, answered: 1, answeredNoLongerFlagged: 0 });
    expect(after.posts).toBe(same.posts - 1);
  });

  it('is for community managers; responders get 403', async () => {
    const r = await h.user('responder');
    expect((await h.request('POST', '/api/rules/backtest', { token: r.token, json: { pack: candidate } })).status).toBe(403);
    expect((await h.request('GET', '/api/rules', { token: r.token })).status).toBe(200);
  });

  it('stores rule alerts and suggested templates with the case', async () => {
    const churn = await h.deps.database.db.select().from(cases);
    expect(churn.some((c) => c.templates.includes('churn'))).toBe(true);
    const a = await h.deps.database.db.select().from(alerts);
    expect(a.length).toBeGreaterThan(0);
    expect(a.every((x) => x.kind === 'rule' && x.caseId !== null)).toBe(true);
    expect(new Set(a.map((x) => x.dedupKey)).size).toBe(a.length);
  });
});
