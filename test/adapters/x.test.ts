import { createHmac } from 'node:crypto';
import { count, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AdapterError } from '../../adapters/errors.ts';
import { configurePlatforms } from '../../adapters/registry.ts';
import { createXAdapter, postsFromActivity, type XAdapter, type XSettings } from '../../adapters/x/index.ts';
import { alerts, analyses, auditLog, cases, posts, type Stream, streams } from '../../db/schema/index.ts';
import { detectViral } from '../../src/alerts/viral-detect.ts';
import { refreshEngagement } from '../../src/ingest/metrics.ts';
import { type PollerDeps, pollDueStreams, pollStream } from '../../src/ingest/poller.ts';
import { claimCase } from '../../src/queue/cases.ts';
import { createReply, deliverDueReplies } from '../../src/queue/replies.ts';
import { FakeX, snowflakeAt } from '../fakes/x-server.ts';
import { createHarness, type Harness, silentLog } from '../helpers/harness.ts';

const TOKENS = {
  bearerToken: 'AAAAAAAAAAAAAAAAAAAAAfakebearer',
  appKey: 'app-key',
  appSecret: 'app-secret',
  accessToken: '1-access-token',
  accessSecret: 'access-secret',
};

function settings(x: FakeX, over: Partial<XSettings> = {}): XSettings {
  return {
    bearerToken: TOKENS.bearerToken,
    user: { appKey: TOKENS.appKey, appSecret: TOKENS.appSecret, accessToken: TOKENS.accessToken, accessSecret: TOKENS.accessSecret },
    brandUsername: 'VedraTel',
    baseUrl: x.url,
    rateBudget: 100_000,
    timeoutMs: 1_000,
    overlapMs: 120_000,
    ...over,
  };
}

function seed(x: FakeX, mentions: number, opts: { own?: number; retweets?: number } = {}) {
  x.addUser({ id: '1', username: 'VedraTel', name: 'Vedra', verified: true });
  const start = Date.now() - mentions * 1000;
  for (let i = 0; i < 50; i++)
    x.addUser({
      id: String(100 + i),
      username: `customer${i}`,
      public_metrics: { followers_count: 10 * i, following_count: 1, tweet_count: 1, listed_count: 0 },
    });
  for (let i = 0; i < mentions; i++) {
    x.addTweet({
      text: i % 3 ? `@VedraTel internet ne radi već ${i} sati, sramota` : `@VedraTel hvala na brzoj pomoći #${i}`,
      author_id: String(100 + (i % 50)),
      created_at: new Date(start + i * 1000).toISOString(),
    });
  }
  for (let i = 0; i < (opts.own ?? 0); i++) x.addTweet({ text: `@VedraTel own post ${i}`, author_id: '1' });
  for (let i = 0; i < (opts.retweets ?? 0); i++)
    x.addTweet({ text: `RT @customer1: @VedraTel ne radi ${i}`, author_id: '101', referenced_tweets: [{ type: 'retweeted', id: x.tweets[i]!.id }] });
}

describe('X adapter against a fake X', () => {
  let x: FakeX;
  let h: Harness;
  let adapter: XAdapter;

  beforeAll(async () => {
    h = await createHarness({ adapters: () => ({}) });
  });
  afterAll(() => h.close());
  beforeEach(async () => {
    await h.reset();
    x = await new FakeX({ bearerToken: TOKENS.bearerToken, appKey: TOKENS.appKey, accessToken: TOKENS.accessToken }).listen();
  });
  afterEach(async () => {
    await adapter?.close?.();
    await x.close();
  });

  async function xStream(config: Record<string, unknown> = { kind: 'mentions', userId: '1' }): Promise<Stream> {
    const [s] = await h.deps.database.db.insert(streams).values({ platform: 'x', name: 'mentions', config }).returning();
    return s!;
  }
  const deps = (a: XAdapter): PollerDeps => ({
    database: h.deps.database,
    adapters: { x: a },
    rulebook: h.deps.rulebook,
    log: silentLog,
    instanceId: 't',
    alertAfterMs: 60_000,
  });
  const stored = async () => Number((await h.deps.database.db.select({ n: count() }).from(posts))[0]!.n);
  const fresh = async (id: number) => (await h.deps.database.db.select().from(streams).where(eq(streams.id, id)))[0]!;

  /** Polls until a run ends with nothing more, as the scheduler would (without waiting). */
  async function drain(a: XAdapter, s: Stream, max = 500) {
    for (let i = 0; i < max; i++) {
      const cur = await fresh(s.id);
      await pollStream(deps(a), cur, new Date());
      const after = await fresh(s.id);
      if (after.lastError === null && after.cursor && !JSON.parse(after.cursor).next && !JSON.parse(after.cursor).fill) return after;
    }
    throw new Error('stream did not drain');
  }

  /** Three mentions polled in (one of them the outage complaint "… ne radi …"): the stream and that complaint at X. */
  async function withComplaint() {
    seed(x, 3);
    adapter = createXAdapter(settings(x));
    const s = await xStream();
    await drain(adapter, s);
    return { s, complaint: x.tweets.find((t) => t.text.includes('ne radi'))! };
  }

  it("stores every mention exactly once across pages, and never the brand's own posts or retweets", async () => {
    seed(x, 2_500, { own: 30, retweets: 20 });
    adapter = createXAdapter(settings(x));
    const s = await xStream();
    await drain(adapter, s);
    expect(await stored()).toBe(2_500);
    const handles = await h.deps.database.db.select({ id: posts.platformPostId }).from(posts);
    expect(new Set(handles.map((p) => p.id)).size).toBe(2_500);
    const own = x.tweets.filter((t) => t.author_id === '1').map((t) => t.id);
    expect(handles.some((p) => own.includes(p.id))).toBe(false);
    // The client asked for what the analysis needs.
    const req = x.requests.find((r) => r.path === '/2/users/1/mentions')!;
    expect(req.query['tweet.fields']).toContain('conversation_id');
    expect(req.query['user.fields']).toContain('public_metrics');
    expect(req.query.expansions).toContain('author_id');
  });

  it('resumes mid-pagination after a restart without gaps or duplicates', async () => {
    seed(x, 450);
    adapter = createXAdapter(settings(x));
    const s = await xStream();
    await pollStream(deps(adapter), s, new Date());
    await pollStream(deps(adapter), await fresh(s.id), new Date());
    const mid = await fresh(s.id);
    expect(JSON.parse(mid.cursor!).next).toBeTruthy();
    expect(await stored()).toBe(200);
    await adapter.close?.();
    adapter = createXAdapter(settings(x)); // a new process
    await drain(adapter, mid);
    expect(await stored()).toBe(450);
  });

  it('picks up new mentions with since_id, and catches late-indexed ones through the overlap', async () => {
    seed(x, 120);
    adapter = createXAdapter(settings(x));
    const s = await xStream();
    await drain(adapter, s);
    expect(await stored()).toBe(120);
    const late = x.addTweet({ text: '@VedraTel late indexed complaint, ne radi', author_id: '101', created_at: new Date(Date.now() - 30_000).toISOString() });
    // Served only from the second request on: the first poll serves `after` (a newer id) without it.
    x.opts.hiddenUntilRequest = new Map([[late.id, x.requests.length + 1]]);
    const after = x.addTweet({ text: '@VedraTel newer complaint', author_id: '102' });
    await drain(adapter, await fresh(s.id));
    expect(await stored()).toBe(121); // the late one is still hidden
    await drain(adapter, await fresh(s.id));
    const ids = (await h.deps.database.db.select({ id: posts.platformPostId }).from(posts)).map((p) => p.id);
    expect(ids).toEqual(expect.arrayContaining([late.id, after.id]));
    expect(await stored()).toBe(122);
  });

  it('a stream that is behind reads page after page in one tick, within its rate budget, until it has caught up', async () => {
    seed(x, 350);
    adapter = createXAdapter(settings(x));
    await xStream();
    await pollDueStreams(deps(adapter), new Date());
    expect(await stored()).toBe(350);
    expect(x.requests.filter((r) => r.path.endsWith('/mentions')).length).toBe(4);
    // When X's window has room for two requests only, the catching up waits for its reset.
    await h.reset();
    await x.close();
    x = await new FakeX({ bearerToken: TOKENS.bearerToken, appKey: TOKENS.appKey, accessToken: TOKENS.accessToken, windowLimit: 2 }).listen();
    seed(x, 350);
    adapter = createXAdapter(settings(x));
    const s = await xStream();
    await pollDueStreams(deps(adapter), new Date());
    expect(x.requests.filter((r) => r.path.endsWith('/mentions')).length).toBe(2);
    expect(await stored()).toBe(200);
    expect((await fresh(s.id)).nextPollAt!.getTime()).toBeGreaterThan(Date.now() + 60_000);
  });

  it('reads back from recent search what the mentions timeline no longer serves (X keeps the newest 800)', async () => {
    await x.close();
    x = await new FakeX({ bearerToken: TOKENS.bearerToken, appKey: TOKENS.appKey, accessToken: TOKENS.accessToken, mentionsHorizon: 800 }).listen();
    seed(x, 50);
    adapter = createXAdapter(settings(x));
    const s = await xStream();
    await drain(adapter, s);
    expect(await stored()).toBe(50);
    // A storm while odziv was down: 1,000 new mentions, of which the timeline still serves the newest 800.
    const start = Date.now() + 1_000;
    const storm = Array.from({ length: 1000 }, (_, i) =>
      x.addTweet({ text: `@VedraTel ne radi ${i}`, author_id: String(100 + (i % 50)), created_at: new Date(start + i * 50).toISOString() }),
    );
    // Someone else's mention of another account is not the brand's, even in the filled span.
    x.addUser({ id: '2', username: 'Drugi' });
    x.addTweet({ text: '@Drugi ne radi', author_id: '101', created_at: new Date(start + 100).toISOString() });
    await drain(adapter, await fresh(s.id));
    const ids = new Set((await h.deps.database.db.select({ id: posts.platformPostId }).from(posts)).map((p) => p.id));
    expect(ids.size).toBe(1050);
    for (const t of storm) expect(ids.has(t.id)).toBe(true);
    const fills = x.requests.filter((r) => r.path === '/2/tweets/search/recent');
    expect(fills.length).toBeGreaterThanOrEqual(2);
    expect(fills[0]!.query).toMatchObject({ query: '@VedraTel -is:retweet' });
    expect(Date.parse(fills[0]!.query.end_time!)).toBeGreaterThan(start + 200 * 50);
    expect(Date.parse(fills[0]!.query.end_time!)).toBeLessThan(start + 200 * 50 + 3_000);
    expect((await fresh(s.id)).gaps).toEqual([]);
    expect(await h.deps.database.db.select().from(alerts).where(eq(alerts.kind, 'stream'))).toEqual([]);
  });

  it("reads again from recent search the mentions X indexed so late that the timeline's newest 800 had passed them", async () => {
    await x.close();
    const hidden = new Map<string, number>();
    x = await new FakeX({
      bearerToken: TOKENS.bearerToken,
      appKey: TOKENS.appKey,
      accessToken: TOKENS.accessToken,
      mentionsHorizon: 800,
      hiddenUntilRequest: hidden,
    }).listen();
    seed(x, 50);
    adapter = createXAdapter(settings(x));
    const s = await xStream();
    await drain(adapter, s);
    const start = Date.now() + 1_000;
    const storm = Array.from({ length: 1000 }, (_, i) =>
      x.addTweet({ text: `@VedraTel ne radi ${i}`, author_id: String(100 + (i % 50)), created_at: new Date(start + i * 50).toISOString() }),
    );
    // Nine of the older 200 are not indexed yet when odziv reads the storm, from the timeline or from search.
    const late = storm.filter((_, i) => i % 20 === 10 && i < 200);
    for (const t of late) hidden.set(t.id, Number.MAX_SAFE_INTEGER);
    await drain(adapter, await fresh(s.id));
    const ids = async () => new Set((await h.deps.database.db.select({ id: posts.platformPostId }).from(posts)).map((p) => p.id));
    expect((await ids()).size).toBe(1050 - late.length);
    // X indexes them; the timeline never will serve them (800 newer ones), but the next runs read the unsettled span again.
    for (const t of late) hidden.set(t.id, 0);
    await drain(adapter, await fresh(s.id));
    const have = await ids();
    expect(late.filter((t) => !have.has(t.id))).toEqual([]);
    expect(have.size).toBe(1050);
    expect((await fresh(s.id)).gaps).toEqual([]);
  });

  it('reads back what a run lost to the horizon while odziv was down in the middle of it', async () => {
    await x.close();
    x = await new FakeX({ bearerToken: TOKENS.bearerToken, appKey: TOKENS.appKey, accessToken: TOKENS.accessToken, mentionsHorizon: 800 }).listen();
    seed(x, 50);
    adapter = createXAdapter(settings(x, { overlapMs: 2_000 }));
    const s = await xStream();
    await drain(adapter, s);
    await new Promise((r) => setTimeout(r, 3_000));
    // Written while nobody polled, more than the overlap before the next run begins.
    const from = Date.now() - 2_800;
    const before = Array.from({ length: 250 }, (_, i) =>
      x.addTweet({ text: `@VedraTel ne radi ${i}`, author_id: String(100 + (i % 50)), created_at: new Date(from + i * 2).toISOString() }),
    );
    // One page of the run is read; then odziv is down while a storm comes in: the run's next_token is past the horizon.
    await pollStream(deps(adapter), await fresh(s.id), new Date());
    expect(JSON.parse((await fresh(s.id)).cursor!).next).toBeDefined();
    const storm = Array.from({ length: 900 }, (_, i) => x.addTweet({ text: `@VedraTel oluja ${i}`, author_id: String(100 + (i % 50)) }));
    adapter = createXAdapter(settings(x, { overlapMs: 2_000 }));
    // Run after run, as the scheduler polls (each drain ends with one run).
    for (let i = 0; i < 4; i++) await drain(adapter, await fresh(s.id));
    const ids = new Set((await h.deps.database.db.select({ id: posts.platformPostId }).from(posts)).map((p) => p.id));
    expect([...before, ...storm].filter((t) => !ids.has(t.id)).length).toBe(0);
    expect(ids.size).toBe(1200);
  });

  it('records and alerts the span neither the mentions timeline nor recent search (seven days) still serves', async () => {
    await x.close();
    x = await new FakeX({ bearerToken: TOKENS.bearerToken, appKey: TOKENS.appKey, accessToken: TOKENS.accessToken, mentionsHorizon: 800 }).listen();
    x.addUser({ id: '1', username: 'VedraTel', name: 'Vedra', verified: true });
    x.addUser({ id: '101', username: 'customer1' });
    const day = 86_400_000;
    for (let i = 0; i < 5; i++)
      x.addTweet({ text: `@VedraTel prije ${i}`, author_id: '101', created_at: new Date(Date.now() - 9 * day + i * 1000).toISOString() });
    adapter = createXAdapter(settings(x));
    const s = await xStream();
    await drain(adapter, s);
    expect(await stored()).toBe(5);
    // odziv was down for nine days; 200 mentions came in over the two days 8 to 6 days ago, 800 since.
    const older = Array.from({ length: 200 }, (_, i) =>
      x.addTweet({ text: `@VedraTel ne radi ${i}`, author_id: '101', created_at: new Date(Date.now() - 8 * day + i * ((2 * day) / 200)).toISOString() }),
    );
    for (let i = 0; i < 800; i++)
      x.addTweet({ text: `@VedraTel opet ${i}`, author_id: '101', created_at: new Date(Date.now() - 3_600_000 + i * 1000).toISOString() });
    await drain(adapter, await fresh(s.id));
    const [gap, ...more] = (await fresh(s.id)).gaps;
    expect(more).toEqual([]);
    expect(gap!.reason).toContain('seven days');
    // The gap runs from the newest post read before to where recent search begins.
    expect(Date.parse(gap!.from)).toBe(Date.parse(x.tweets[4]!.created_at));
    expect(Math.abs(Date.parse(gap!.to) - (Date.now() - 7 * day))).toBeLessThan(15 * 60_000);
    const ids = new Set((await h.deps.database.db.select({ id: posts.platformPostId }).from(posts)).map((p) => p.id));
    // Everything recent search still had was read back; only the unreachable span is missing.
    for (const t of older) expect(ids.has(t.id)).toBe(Date.parse(t.created_at) >= Date.parse(gap!.to) - 1_000);
    expect(ids.size).toBe(5 + 800 + older.filter((t) => Date.parse(t.created_at) >= Date.parse(gap!.to) - 1_000).length);
    const [alert] = await h.deps.database.db
      .select()
      .from(alerts)
      .where(eq(alerts.dedupKey, `gap:${s.id}:${gap!.from}`));
    expect(alert).toMatchObject({ kind: 'stream', audience: 'community_manager' });
    // Caught up, the next polls see no new gap.
    for (let i = 0; i < 3; i++) await drain(adapter, await fresh(s.id));
    expect((await fresh(s.id)).gaps).toHaveLength(1);
  });

  it('re-reads the overlap on every poll, on a fresh stream and after a quiet spell: mentions X indexes late are never lost', async () => {
    x.addUser({ id: '1', username: 'VedraTel', name: 'Vedra', verified: true });
    x.addUser({ id: '101', username: 'customer1' });
    adapter = createXAdapter(settings(x));
    const s = await xStream();
    // A fresh stream: the first mentions, one of them indexed a few polls late with an older id.
    const first = x.addTweet({ text: '@VedraTel ne radi internet', author_id: '101', created_at: new Date(Date.now() - 20_000).toISOString() });
    const lateOnFresh = x.addTweet({ text: '@VedraTel ni kod mene ne radi', author_id: '101', created_at: new Date(Date.now() - 15_000).toISOString() });
    const newest = x.addTweet({ text: '@VedraTel i dalje ništa', author_id: '101', created_at: new Date(Date.now() - 5_000).toISOString() });
    x.opts.hiddenUntilRequest = new Map([[lateOnFresh.id, x.requests.length + 4]]);
    for (let i = 0; i < 6; i++) await drain(adapter, await fresh(s.id));
    // A quiet spell of polls with nothing new, then a mention that shows up late.
    for (let i = 0; i < 5; i++) await drain(adapter, await fresh(s.id));
    const lateAfterQuiet = x.addTweet({ text: '@VedraTel račun je pogrešan', author_id: '101', created_at: new Date(Date.now() - 4_000).toISOString() });
    x.opts.hiddenUntilRequest.set(lateAfterQuiet.id, x.requests.length + 3);
    for (let i = 0; i < 6; i++) await drain(adapter, await fresh(s.id));
    const ids = (await h.deps.database.db.select({ id: posts.platformPostId }).from(posts)).map((p) => p.id);
    expect(ids.sort()).toEqual([first.id, lateOnFresh.id, newest.id, lateAfterQuiet.id].sort());
    // Every poll after the first asked from the newest post's time less the overlap, not since the last poll.
    const later = x.requests.filter((r) => r.path.endsWith('/mentions')).slice(1);
    expect(later.length).toBeGreaterThan(10);
    for (const r of later) expect(r.query.since_id, JSON.stringify(r.query)).toBeUndefined();
    expect(Date.parse(later.at(-1)!.query.start_time!)).toBe(Math.floor((Date.parse(lateAfterQuiet.created_at) - 120_000) / 1000) * 1000);
  });

  it("stores the text as its author wrote it: X's HTML entities are undone, once", async () => {
    seed(x, 5);
    const written = '@VedraTel račun & naknada <3 (a "&lt;" typed literally stays) >:(';
    const t = x.addTweet({ text: written, author_id: '103' });
    adapter = createXAdapter(settings(x));
    await drain(adapter, await xStream());
    const row = (await h.deps.database.db.select({ text: posts.text }).from(posts).where(eq(posts.platformPostId, t.id)))[0]!;
    expect(row.text).toBe(written);
  });

  it('stores a long post (X Premium, over 280 characters) whole, from its note_tweet', async () => {
    seed(x, 5);
    const written = `@VedraTel ${'Tri tjedna zovem vaš broj, svaki put me prebace drugom odjelu. '.repeat(6)}Otkazujem ugovor & prelazim kod konkurencije.`;
    const t = x.addTweet({ text: written, author_id: '104' });
    adapter = createXAdapter(settings(x));
    await drain(adapter, await xStream());
    const row = (await h.deps.database.db.select({ text: posts.text, id: posts.id }).from(posts).where(eq(posts.platformPostId, t.id)))[0]!;
    expect([...written].length).toBeGreaterThan(280);
    expect(row.text).toBe(written);
    const analysis = (await h.deps.database.db.select({ categories: analyses.categories }).from(analyses).where(eq(analyses.postId, row.id)))[0]!;
    expect(analysis.categories).toContain('churn');
  });

  it("files an edited post (a new id at X) under its first version's case, not as a second complaint", async () => {
    const { s, complaint } = await withComplaint();
    const caseCount = async () => Number((await h.deps.database.db.select({ n: count() }).from(cases))[0]!.n);
    const before = await caseCount();
    const edited = x.editTweet(complaint.id, `${complaint.text} — i TV ne radi od jutra!`);
    await drain(adapter, s);
    expect(await stored()).toBe(4);
    expect(await caseCount()).toBe(before);
    const [row] = await h.deps.database.db
      .select({ id: cases.id })
      .from(cases)
      .innerJoin(posts, eq(posts.id, cases.postId))
      .where(eq(posts.platformPostId, complaint.id));
    const { token } = await h.user('responder');
    const detail = (await (await h.request('GET', `/api/cases/${row!.id}`, { token })).json()) as { thread: Array<{ platformPostId: string; text: string }> };
    expect(detail.thread.map((p) => p.platformPostId)).toEqual([complaint.id, edited.id]);
    expect(detail.thread.at(-1)!.text).toContain('i TV ne radi');
    // An edited post's first version is still there at X: not "gone".
    await refreshEngagement(h.deps.database, { x: adapter }, silentLog, new Date());
    expect((await h.deps.database.db.select({ goneAt: posts.goneAt }).from(posts)).every((r) => r.goneAt === null)).toBe(true);
  });

  it('scores an edited complaint by the version people engage with, and alerts marketing once for its case', async () => {
    const { s, complaint } = await withComplaint();
    const edited = x.editTweet(complaint.id, `${complaint.text} — i TV ne radi od jutra!`);
    await drain(adapter, s);
    const [casePost] = await h.deps.database.db
      .select({ id: posts.id, caseId: cases.id })
      .from(posts)
      .innerJoin(cases, eq(cases.postId, posts.id))
      .where(eq(posts.platformPostId, complaint.id));
    const [edit] = await h.deps.database.db.select({ id: posts.id, editOf: posts.editOfPostId }).from(posts).where(eq(posts.platformPostId, edited.id));
    expect(edit!.editOf).toBe(casePost!.id);

    // X counts engagement on the version people saw: after the edit only the new id grows.
    const t0 = Date.now();
    await refreshEngagement(h.deps.database, { x: adapter }, silentLog, new Date(t0 + 60_000), 1);
    edited.public_metrics = { retweet_count: 300, reply_count: 120, like_count: 1_500, quote_count: 60 };
    await refreshEngagement(h.deps.database, { x: adapter }, silentLog, new Date(t0 + 6 * 60_000), 1);
    const first = await h.deps.database.db.select({ metrics: posts.metrics }).from(posts).where(eq(posts.id, casePost!.id));
    expect(first[0]!.metrics).toMatchObject({ likes: 0, reposts: 0 });
    expect(await detectViral(h.deps.database, 60, new Date(t0 + 6 * 60_000), 1)).toBe(1);
    const viral = await h.deps.database.db.select().from(alerts).where(eq(alerts.kind, 'viral'));
    expect(viral).toHaveLength(1);
    expect(viral[0]).toMatchObject({ caseId: casePost!.caseId, dedupKey: `viral:${casePost!.id}` });
    expect((viral[0]!.details as { text: string }).text).toContain('i TV ne radi');
  });

  it('waits out a 429 storm until the reset, and records it in the stream health', async () => {
    seed(x, 50);
    adapter = createXAdapter(settings(x));
    const s = await xStream();
    x.faults.push('429', '429', '429');
    for (let i = 0; i < 3; i++) {
      const before = Date.now();
      await pollStream(deps(adapter), await fresh(s.id), new Date());
      const st = await fresh(s.id);
      expect(st.lastError).toMatch(/^rate_limit: .*429/);
      // Paced to X's reset (window of 900 s), never a hot loop.
      expect(st.nextPollAt!.getTime() - before).toBeGreaterThan(60_000);
    }
    const failing = await fresh(s.id);
    expect(failing.failingSince).not.toBeNull();
    expect(failing.consecutiveFailures).toBe(3);
    await drain(adapter, failing);
    const ok = await fresh(s.id);
    expect(ok.failingSince).toBeNull();
    expect(ok.rateLimit?.remaining).toBeGreaterThan(0);
    expect(await stored()).toBe(50);
  });

  it('backs off exponentially on 5xx and time-outs', async () => {
    seed(x, 10);
    adapter = createXAdapter(settings(x, { timeoutMs: 200 }));
    x.opts.slowMs = 1_000;
    const s = await xStream();
    const waits: number[] = [];
    for (const fault of ['503', '500', 'slow', 'drop'] as const) {
      x.faults.push(fault);
      const t0 = Date.now();
      await pollStream(deps(adapter), await fresh(s.id), new Date());
      const st = await fresh(s.id);
      expect(st.lastError, fault).toMatch(fault === '503' || fault === '500' ? /^server: / : /^network: /);
      waits.push(st.nextPollAt!.getTime() - t0);
    }
    // 5 s, 10 s, 20 s, 40 s caps with jitter (each at least half its cap).
    expect(waits[0]).toBeGreaterThanOrEqual(2_500);
    expect(waits[3]).toBeGreaterThanOrEqual(20_000);
    expect(waits[3]!).toBeGreaterThan(waits[0]!);
  });

  it('raises one alert when a stream has been failing longer than allowed', async () => {
    seed(x, 5);
    adapter = createXAdapter(settings(x));
    const s = await xStream();
    await h.deps.database.db
      .update(streams)
      .set({ failingSince: new Date(Date.now() - 5 * 60_000), lastError: 'server: 503' })
      .where(eq(streams.id, s.id));
    x.faults.push('503', '503');
    await pollStream(deps(adapter), await fresh(s.id), new Date());
    await pollStream(deps(adapter), await fresh(s.id), new Date());
    const rows = await h.deps.database.db.select().from(alerts).where(eq(alerts.kind, 'stream'));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.audience).toBe('community_manager');
    expect(rows[0]!.title).toContain('x/mentions');
  });

  it('hides and shows again a reply in a conversation the brand started, and nothing else', async () => {
    x.addUser({ id: '1', username: 'VedraTel', name: 'Vedra', verified: true });
    x.addUser({ id: '7', username: 'iva' });
    adapter = createXAdapter(settings(x));
    const brandPost = x.addTweet({ text: 'Nova ponuda: 500 Mbit', author_id: '1' });
    const reply = x.addTweet({
      text: '@VedraTel lopovi, zovite 091 234 5678',
      author_id: '7',
      conversation_id: brandPost.id,
      in_reply_to_user_id: '1',
      referenced_tweets: [{ type: 'replied_to', id: brandPost.id }],
    });
    const elsewhere = x.addTweet({ text: '@VedraTel ne radi', author_id: '7' });
    expect(adapter.moderation!.actions).toEqual(['hide', 'unhide']);
    await adapter.moderation!.apply(reply.id, 'hide');
    expect([...x.hidden]).toEqual([reply.id]);
    await adapter.moderation!.apply(reply.id, 'unhide');
    expect([...x.hidden]).toEqual([]);
    await expect(adapter.moderation!.apply(elsewhere.id, 'hide')).rejects.toThrow(/conversation that you do not own/);
    await expect(adapter.moderation!.apply(reply.id, 'delete')).rejects.toMatchObject({ kind: 'invalid' });
  });

  it('replies in the conversation exactly once, even when the answer to the first attempt was lost', async () => {
    seed(x, 3);
    adapter = createXAdapter(settings(x));
    const target = { platformPostId: x.tweets[0]!.id, conversationId: x.tweets[0]!.conversation_id, authorHandle: 'customer0' };
    x.faults.push('post-then-drop');
    const first = await adapter.reply(target, 'Pozdrav, provjeravamo odmah. – Ana', 'k1').catch((e: unknown) => e);
    expect(first).toBeInstanceOf(AdapterError);
    expect((first as AdapterError).kind).toBe('unknown_outcome');
    expect(x.posted).toHaveLength(1);
    const second = await adapter.reply(target, 'Pozdrav, provjeravamo odmah. – Ana', 'k1', { mayHaveBeenSent: true });
    expect(x.posted).toHaveLength(1);
    expect(second.platformReplyId).toBe(x.posted[0]!.id);
    const other = await adapter.reply(target, 'A second, different reply', 'k2');
    expect(x.posted).toHaveLength(2);
    expect(x.posted[1]).toMatchObject({ id: other.platformReplyId, inReplyTo: target.platformPostId });
  });

  it('finds a lost reply with &, < or > in it, and takes X\'s duplicate refusal as "already posted" while search lags', async () => {
    seed(x, 3);
    adapter = createXAdapter(settings(x));
    const target = { platformPostId: x.tweets[0]!.id, conversationId: x.tweets[0]!.conversation_id, authorHandle: 'customer0' };
    const text = 'Internet & TV: <provjeravamo> odmah. – Ana';
    // The answer is lost, and search has not indexed the reply yet.
    x.faults.push('post-then-drop');
    expect(((await adapter.reply(target, text, 'a1').catch((e: unknown) => e)) as AdapterError).kind).toBe('unknown_outcome');
    x.unindexed.add(x.posted[0]!.id);
    const lagging = (await adapter.reply(target, text, 'a1', { mayHaveBeenSent: true }).catch((e: unknown) => e)) as AdapterError;
    expect([lagging.kind, lagging.retryable]).toEqual(['unknown_outcome', true]);
    // Indexed now: found (X returns it escaped), not posted again.
    x.unindexed.clear();
    const found = await adapter.reply(target, text, 'a1', { mayHaveBeenSent: true });
    expect(found.platformReplyId).toBe(x.posted[0]!.id);
    expect(x.posted).toHaveLength(1);
  });

  it('tells a reply to a deleted post and a repeated text from rejected credentials (X says 403 to all three)', async () => {
    seed(x, 3);
    adapter = createXAdapter(settings(x));
    const target = (i: number) => ({ platformPostId: x.tweets[i]!.id, conversationId: x.tweets[i]!.conversation_id, authorHandle: `customer${i}` });
    x.deleted.add(x.tweets[0]!.id);
    const gone = (await adapter.reply(target(0), 'Pozdrav Ivana, provjeravamo. – Ana', 'd1').catch((e: unknown) => e)) as AdapterError;
    expect([gone.kind, gone.retryable]).toEqual(['not_found', false]);
    expect(gone.message).toContain('deleted or not visible');
    await adapter.reply(target(1), 'Hvala na strpljenju! – Ana', 'd2');
    const again = (await adapter.reply(target(2), 'Hvala na strpljenju! – Ana', 'd3').catch((e: unknown) => e)) as AdapterError;
    expect([again.kind, again.retryable]).toEqual(['invalid', false]);
    expect(again.message).toContain('reword the reply');
    const other = createXAdapter({ ...settings(x), user: { ...settings(x).user!, accessToken: 'revoked' } });
    const denied = (await other.reply(target(2), 'Nova poruka – Ana', 'd4').catch((e: unknown) => e)) as AdapterError;
    expect(denied.kind).toBe('auth');
    await other.close?.();
  });

  it("tells the plan's spent monthly cap from a busy window, and tries again hourly", async () => {
    seed(x, 5);
    adapter = createXAdapter(settings(x));
    x.faults.push('usage-cap');
    const e = (await adapter.poll(await xStream(), null).catch((err: unknown) => err)) as AdapterError;
    expect([e.kind, e.retryAfterMs]).toEqual(['rate_limit', 3_600_000]);
    expect(e.message).toContain('usage cap is spent');
  });

  it("waits for the account's 24-hour posting cap to come back, not for the 15-minute window", async () => {
    await x.close();
    x = await new FakeX({ bearerToken: TOKENS.bearerToken, appKey: TOKENS.appKey, accessToken: TOKENS.accessToken, userDayLimit: 2 }).listen();
    seed(x, 3);
    adapter = createXAdapter(settings(x));
    const target = (i: number) => ({ platformPostId: x.tweets[i]!.id, conversationId: x.tweets[i]!.conversation_id, authorHandle: `customer${i}` });
    await adapter.reply(target(0), 'Pozdrav Ana, provjeravamo. – Iva', 'u1');
    await adapter.reply(target(1), 'Pozdrav Marko, provjeravamo. – Iva', 'u2');
    const capped = (await adapter.reply(target(2), 'Pozdrav Petra, provjeravamo. – Iva', 'u3').catch((e: unknown) => e)) as AdapterError;
    expect([capped.kind, capped.retryable]).toEqual(['rate_limit', true]);
    expect(capped.message).toContain('24-hour posting cap');
    // The day's reset, not the window's (15 minutes).
    expect(capped.retryAfterMs!).toBeGreaterThan(23 * 3_600_000);
    expect(x.posted).toHaveLength(2);
  });

  it('counts a reply as X does: an emoji is 2, a link of any length 23; the queue refuses what X would', async () => {
    seed(x, 3);
    adapter = createXAdapter(settings(x));
    await drain(adapter, await xStream());
    const prayers = `Žao nam je ${'🙏'.repeat(136)}`;
    const link = `Pozdrav Ivana, korak po korak: https://vedra.hr/podrska/internet/${'ruter-'.repeat(50)}restart – Ana`;
    expect([[...prayers].length, adapter.replyLength!(prayers)]).toEqual([147, 283]);
    expect([...link].length).toBeGreaterThan(280);
    expect(adapter.replyLength!(link)).toBe(link.indexOf('https') + 23 + ' – Ana'.length);
    // The fake X refuses the emoji reply as X does; the queue says so before a responder sends it.
    const target = { platformPostId: x.tweets[0]!.id, conversationId: x.tweets[0]!.conversation_id, authorHandle: 'customer0' };
    expect(await adapter.reply(target, prayers, 'k-long').catch((e: unknown) => e)).toBeInstanceOf(AdapterError);
    const responder = await h.user('responder');
    const [c] = await h.deps.database.db.select({ id: cases.id }).from(cases).limit(1);
    await claimCase(h.deps.database, c!.id, responder);
    const refused = await createReply(h.deps.database, { x: adapter }, { caseId: c!.id, actor: responder, text: prayers, idempotencyKey: 'r1' }).catch(
      (e: unknown) => e,
    );
    expect(refused).toMatchObject({ code: 'UNPROCESSABLE', message: 'text: 283 characters as x counts them; it allows at most 280' });
    const ok = await createReply(h.deps.database, { x: adapter }, { caseId: c!.id, actor: responder, text: link, idempotencyKey: 'r2' });
    expect(ok.reply.text).toBe(link);
  });

  it('refreshes public metrics for many posts in chunks of 100', async () => {
    seed(x, 250);
    adapter = createXAdapter(settings(x));
    x.tweets[5]!.public_metrics = { retweet_count: 40, reply_count: 3, like_count: 120, quote_count: 7 };
    const { metrics: m, gone } = await adapter.refreshMetrics!(x.tweets.map((t) => t.id));
    expect(m.size).toBe(250);
    expect(gone).toEqual([]);
    expect(m.get(x.tweets[5]!.id)).toEqual({ likes: 120, reposts: 40, replies: 3, quotes: 7 });
    expect(x.requests.filter((r) => r.path === '/2/tweets').length).toBe(3);
  });

  it("answers the customer's latest post in the thread, and still can when the first one is deleted", async () => {
    const { s, complaint } = await withComplaint();
    const followUp = x.addTweet({
      text: '@VedraTel i dalje ne radi, treći dan!',
      author_id: complaint.author_id,
      conversation_id: complaint.conversation_id,
      referenced_tweets: [{ type: 'replied_to', id: complaint.id }],
    });
    await drain(adapter, s);
    const [c] = await h.deps.database.db
      .select({ id: cases.id })
      .from(cases)
      .innerJoin(posts, eq(posts.id, cases.postId))
      .where(eq(posts.platformPostId, complaint.id));
    const responder = await h.user('responder');
    await claimCase(h.deps.database, c!.id, responder);
    await createReply(
      h.deps.database,
      { x: adapter },
      { caseId: c!.id, actor: responder, text: 'Pozdrav, tehničar dolazi danas. – Iva', idempotencyKey: 't1' },
    );
    await deliverDueReplies(h.deps.database, { x: adapter }, silentLog);
    expect(x.posted.at(-1)!.inReplyTo).toBe(followUp.id);
    // The first post deleted, the follow-up still there: the answer goes to the follow-up.
    x.deleted.add(complaint.id);
    await refreshEngagement(h.deps.database, { x: adapter }, silentLog, new Date());
    await createReply(h.deps.database, { x: adapter }, { caseId: c!.id, actor: responder, text: 'Javite nam se ako opet stane. – Iva', idempotencyKey: 't2' });
    await deliverDueReplies(h.deps.database, { x: adapter }, silentLog);
    expect(x.posted.at(-1)!.inReplyTo).toBe(followUp.id);
    expect(x.posted).toHaveLength(2);
  });

  it('stops asking for engagement once the lookup window is spent, until it resets', async () => {
    seed(x, 250);
    adapter = createXAdapter(settings(x));
    x.opts.windowLimit = 4;
    const ids = x.tweets.map((t) => t.id);
    const lookups = () => x.requests.filter((r) => r.path === '/2/tweets').length;
    expect((await adapter.refreshMetrics!(ids)).metrics.size).toBe(250);
    expect(lookups()).toBe(3);
    // The fourth lookup spends the window (remaining 0): the rest wait for its reset, unasked.
    for (let i = 0; i < 3; i++) {
      const e = (await adapter.refreshMetrics!(ids).catch((err: unknown) => err)) as AdapterError;
      expect(e.kind).toBe('rate_limit');
      expect(e.retryAfterMs!).toBeGreaterThan(60_000);
    }
    expect(lookups()).toBe(4);
  });

  it('learns from the metrics lookup that a customer deleted their post, and refuses replies to it', async () => {
    const { complaint } = await withComplaint();
    const [c] = await h.deps.database.db
      .select({ id: cases.id })
      .from(cases)
      .innerJoin(posts, eq(posts.id, cases.postId))
      .where(eq(posts.platformPostId, complaint.id));
    const responder = await h.user('responder');
    await claimCase(h.deps.database, c!.id, responder);
    x.deleted.add(complaint.id);
    await refreshEngagement(h.deps.database, { x: adapter }, silentLog, new Date());
    const [p] = await h.deps.database.db.select({ goneAt: posts.goneAt }).from(posts).where(eq(posts.platformPostId, complaint.id));
    expect(p!.goneAt).toBeInstanceOf(Date);
    const refused = await createReply(
      h.deps.database,
      { x: adapter },
      { caseId: c!.id, actor: responder, text: 'Pozdrav, provjeravamo. – Iva', idempotencyKey: 'g1' },
    ).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'UNPROCESSABLE', message: expect.stringContaining('post is gone from x') });
    const detail = (await (await h.request('GET', `/api/cases/${c!.id}`, { token: responder.token })).json()) as { history: Array<{ action: string }> };
    expect(detail.history.map((e) => e.action)).toContain('post.gone');
    // The other posts were read as usual.
    expect((await h.deps.database.db.select({ goneAt: posts.goneAt }).from(posts)).filter((r) => r.goneAt).length).toBe(1);
  });

  it('paces polls to spend the rate budget evenly across streams', async () => {
    seed(x, 10);
    x.opts.windowLimit = 100;
    adapter = createXAdapter(settings(x, { rateBudget: 60 }));
    const s = await xStream();
    const r = await adapter.poll({ id: s.id, name: s.name, config: s.config }, null);
    // 60 requests per 15 min → one every 15 s for one stream.
    expect(r.nextPollInMs).toBeGreaterThanOrEqual(15_000);
    const r2 = await adapter.poll({ id: 999, name: 'search', config: { kind: 'search', query: 'vedra' } }, null);
    expect(r2.nextPollInMs).toBeGreaterThanOrEqual(30_000);
    expect(r.rateLimit?.remaining).toBe(99); // the mentions endpoint's own window
  });

  it('resumes a search after a week-long outage from the oldest moment X still serves, instead of failing every poll', async () => {
    await x.close();
    x = await new FakeX({ bearerToken: TOKENS.bearerToken, appKey: TOKENS.appKey, accessToken: TOKENS.accessToken, snowflakeSinceIds: true }).listen();
    seed(x, 5);
    adapter = createXAdapter(settings(x));
    const [s] = await h.deps.database.db
      .insert(streams)
      .values({
        platform: 'x',
        name: 'search',
        config: { kind: 'search', query: '@VedraTel' },
        cursor: JSON.stringify({ v: 1, since: snowflakeAt(Date.now() - 8 * 86_400_000) }),
      })
      .returning();
    await drain(adapter, s!);
    expect(await stored()).toBe(5);
    const first = x.requests.find((r) => r.path === '/2/tweets/search/recent')!;
    expect(first.query.since_id).toBeUndefined();
    expect(Date.parse(first.query.start_time!)).toBeGreaterThan(Date.now() - 7 * 86_400_000);
    // Once caught up, every poll reads from the newest post's time less the overlap: recent again.
    for (let i = 0; i < 2; i++) await pollStream(deps(adapter), await fresh(s!.id), new Date());
    const last = x.requests.filter((r) => r.path === '/2/tweets/search/recent').at(-1)!;
    const newest = Math.max(...x.tweets.map((t) => Date.parse(t.created_at)));
    expect(Date.parse(last.query.start_time!)).toBe(Math.floor((newest - 120_000) / 1000) * 1000);
  });

  it('names the stream and field when a stream is misconfigured', async () => {
    seed(x, 1);
    adapter = createXAdapter(settings(x));
    await expect(adapter.poll({ id: 1, name: 'bad', config: { kind: 'search' } }, null)).rejects.toThrow(/stream "bad": query/);
    await expect(adapter.poll({ id: 1, name: 'bad', config: { kind: 'mentions', userId: 'me' } }, null)).rejects.toThrow(/stream "bad": userId/);
    // X takes 512 characters of query, " -is:retweet" included.
    await expect(adapter.poll({ id: 1, name: 'long', config: { kind: 'search', query: 'a'.repeat(501) } }, null)).rejects.toThrow(
      /stream "long": query: expected at most 500 characters/,
    );
    const env = { X_BEARER_TOKEN: TOKENS.bearerToken, X_BRAND_USERNAME: 'VedraTel' };
    expect(configurePlatforms({ ...env, X_SEARCH_QUERY: `vedra ${'x'.repeat(500)}` }).problems).toEqual([
      expect.stringMatching(/^X_SEARCH_QUERY: expected at most 500 characters/),
    ]);
    const [x512] = configurePlatforms({ ...env, X_SEARCH_QUERY: `${'x'.repeat(500)} -is:retweet` }).platforms;
    expect(x512!.wantedStreams()[1]!.config.query).toHaveLength(512);
    // Replies need all four user-context credentials: each missing one is named.
    expect(configurePlatforms({ ...env, X_APP_KEY: 'k', X_ACCESS_TOKEN: 't' }).problems).toEqual([
      'X_APP_SECRET: required with X_APP_KEY, X_ACCESS_TOKEN: replies need all four user-context credentials',
      'X_ACCESS_SECRET: required with X_APP_KEY, X_ACCESS_TOKEN: replies need all four user-context credentials',
    ]);
  });

  it('verifies the credentials: a rejected bearer token is an auth error', async () => {
    seed(x, 1);
    adapter = createXAdapter(settings(x, { bearerToken: 'AAAAAAAAAAAAAAAAAAAAAwrongtoken' }));
    const err = await adapter.verify().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AdapterError);
    expect((err as AdapterError).kind).toBe('auth');
    await adapter.close?.();
    adapter = createXAdapter(settings(x));
    expect(await adapter.verify()).toEqual({ brandId: '1', canReply: true });
  });
});

describe('X webhooks', () => {
  it('answers the CRC check with the HMAC of the token', async () => {
    const { crcResponse } = await import('../../adapters/x/index.ts');
    const expected = `sha256=${createHmac('sha256', 'secret').update('challenge').digest('base64')}`;
    expect(crcResponse('challenge', 'secret')).toEqual({ response_token: expected });
  });
});

describe('X webhooks through the API', () => {
  let h: Harness;
  let app: ReturnType<typeof import('../../src/api/app.ts').createApp>;
  let x: FakeX;
  const secret = TOKENS.appSecret;
  beforeAll(async () => {
    // The brand's account (id 1) is looked up on the fake X, as at start-up.
    x = await new FakeX({ bearerToken: TOKENS.bearerToken, appKey: TOKENS.appKey, accessToken: TOKENS.accessToken }).listen();
    x.addUser({ id: '1', username: 'VedraTel' });
    const adapter = createXAdapter(settings(x));
    h = await createHarness({ adapters: () => ({ x: adapter }) });
    const { createApp } = await import('../../src/api/app.ts');
    app = createApp(h.deps);
  });
  afterAll(async () => {
    await h.close();
    await x.close();
  });

  const delivery = JSON.stringify({
    for_user_id: '1',
    tweet_create_events: [
      {
        id_str: '9001',
        text: '@VedraTel internet &amp; TV ne rade od jutra, sramota!',
        created_at: 'Wed Nov 18 10:00:00 +0000 2026',
        user: { id_str: '77', screen_name: 'ana_h', name: 'Ana', followers_count: 1200, verified: false },
      },
      { id_str: '9002', text: 'Radovi na mreži večeras', user: { id_str: '1', screen_name: 'VedraTel' } },
      { id_str: '9003', text: 'RT @ana_h: ne radi', retweeted_status: {}, user: { id_str: '78', screen_name: 'marko' } },
    ],
  });
  const sign = (body: string) => `sha256=${createHmac('sha256', secret).update(body).digest('base64')}`;
  const storedIds = async () => (await h.deps.database.db.select({ id: posts.platformPostId }).from(posts)).map((p) => p.id);

  it('answers the CRC challenge', async () => {
    const res = await app.request('/webhooks/x?crc_token=abc');
    expect(await res.json()).toEqual({ response_token: sign('abc') });
  });

  it("stores a signed delivery once (not the brand's own tweet, not a retweet) and opens cases", async () => {
    for (let i = 0; i < 2; i++) {
      const res = await app.request('/webhooks/x', {
        method: 'POST',
        body: delivery,
        headers: { 'content-type': 'application/json', 'x-twitter-webhooks-signature': sign(delivery) },
      });
      expect(res.status).toBe(200);
    }
    expect(await storedIds()).toEqual(['9001']);
    const [row] = await h.deps.database.db.select({ text: posts.text }).from(posts);
    expect(row!.text).toBe('@VedraTel internet & TV ne rade od jutra, sramota!');
  });

  it('refuses a signed delivery for another account subscribed to the same app, storing nothing', async () => {
    const before = await storedIds();
    const other = JSON.stringify({
      for_user_id: '4242',
      tweet_create_events: [{ id_str: '9101', text: '@Other ne radi', user: { id_str: '79', screen_name: 'iva' } }],
    });
    const res = await app.request('/webhooks/x', {
      method: 'POST',
      body: other,
      headers: { 'content-type': 'application/json', 'x-twitter-webhooks-signature': sign(other) },
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { message: string }).message).toContain("for_user_id: this delivery is for account 4242, not the brand's (1)");
    const none = JSON.stringify({ tweet_create_events: [{ id_str: '9102', text: '@VedraTel ne radi', user: { id_str: '79', screen_name: 'iva' } }] });
    expect(
      (
        await app.request('/webhooks/x', {
          method: 'POST',
          body: none,
          headers: { 'content-type': 'application/json', 'x-twitter-webhooks-signature': sign(none) },
        })
      ).status,
    ).toBe(403);
    expect(await storedIds()).toEqual(before);
  });

  it('marks a post gone when a delivery says its author deleted it', async () => {
    const first = await app.request('/webhooks/x', {
      method: 'POST',
      body: delivery,
      headers: { 'content-type': 'application/json', 'x-twitter-webhooks-signature': sign(delivery) },
    });
    expect(first.status).toBe(200);
    const deletion = JSON.stringify({
      for_user_id: '1',
      tweet_delete_events: [{ status: { id: '9001', user_id: '77' }, timestamp_ms: '1763892000000' }, { status: { id: 'not-a-number' } }],
    });
    const res = await app.request('/webhooks/x', {
      method: 'POST',
      body: deletion,
      headers: { 'content-type': 'application/json', 'x-twitter-webhooks-signature': sign(deletion) },
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { gone: number }).gone).toBe(1);
    const [row] = await h.deps.database.db.select({ goneAt: posts.goneAt, text: posts.text }).from(posts).where(eq(posts.platformPostId, '9001'));
    expect(row!.goneAt).toBeInstanceOf(Date);
    // X's policy: what its author deleted is not kept.
    expect(row!.text).toBe('');
    // Told twice, marked once.
    const again = await app.request('/webhooks/x', {
      method: 'POST',
      body: deletion,
      headers: { 'content-type': 'application/json', 'x-twitter-webhooks-signature': sign(deletion) },
    });
    expect(((await again.json()) as { gone: number }).gone).toBe(0);
  });

  it('sets aside a delivered tweet of an unexpected shape, naming the field, and stores the others', async () => {
    const odd = JSON.stringify({
      for_user_id: '1',
      tweet_create_events: [
        { id_str: '9701', extended_tweet: { full_text: 42 }, edit_history: { edit_tweet_ids: 'x' }, user: { id_str: '79', screen_name: 'iva' } },
        { id_str: '9702', text: '@VedraTel račun mi je opet kriv, sramota!', user: { id_str: '80', screen_name: 'ivo', followers_count: -5 } },
        { id_str: '9703', text: '@VedraTel još čekam povrat novca\u0000', user: { id_str: '81', screen_name: 'eva' } },
      ],
    });
    const res = await app.request('/webhooks/x', {
      method: 'POST',
      body: odd,
      headers: { 'content-type': 'application/json', 'x-twitter-webhooks-signature': sign(odd) },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ received: 3, stored: 1, rejected: 2 });
    expect(await storedIds()).toContain('9703');
    const issues = (await h.deps.database.db.select().from(auditLog).where(eq(auditLog.action, 'post.rejected'))).map(
      (r) => r.details as { platformPostId: string; issues: Array<{ path: string }> },
    );
    expect(issues.map((d) => [d.platformPostId, d.issues.map((i) => i.path).join()]).sort()).toEqual([
      ['9701', 'text'],
      ['9702', 'author.followers'],
    ]);
  });

  it('reads the edit chain of a delivered tweet, so an edit joins its first version', () => {
    const [edit] = postsFromActivity({
      for_user_id: '1',
      tweet_create_events: [
        {
          id_str: '9301',
          text: '@VedraTel ne radi (ispravak)',
          user: { id_str: '77', screen_name: 'ana_h' },
          edit_history: { initial_tweet_id: '9300', edit_tweet_ids: ['9300', '9301'] },
        },
      ],
    });
    expect(edit!.editOf).toEqual(['9300']);
    expect(
      postsFromActivity({
        tweet_create_events: [{ id_str: '9302', text: 'x', user: { id_str: '78', screen_name: 'm' }, edit_history: { edit_tweet_ids: ['9302'] } }],
      })[0]!.editOf,
    ).toBeUndefined();
  });

  it('refuses a bad or missing signature with 401 and stores nothing', async () => {
    const other = delivery.replace('9001', '9100');
    for (const header of [sign(delivery), 'sha256=AAAA', undefined]) {
      const res = await app.request('/webhooks/x', {
        method: 'POST',
        body: other,
        headers: { 'content-type': 'application/json', ...(header ? { 'x-twitter-webhooks-signature': header } : {}) },
      });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { code: string }).code).toBe('UNAUTHORIZED');
    }
    expect(await storedIds()).not.toContain('9100');
  });

  it('takes a delivery larger than the 64 KiB other bodies may be, up to its own 1 MiB', async () => {
    const events = Array.from({ length: 400 }, (_, i) => ({
      id_str: String(9200 + i),
      text: `@VedraTel ${'ne radi '.repeat(20)}${i}`,
      user: { id_str: String(500 + i), screen_name: `u${i}` },
    }));
    const big = JSON.stringify({ for_user_id: '1', tweet_create_events: events });
    expect(big.length).toBeGreaterThan(64 * 1024);
    const res = await app.request('/webhooks/x', {
      method: 'POST',
      body: big,
      headers: { 'content-type': 'application/json', 'x-twitter-webhooks-signature': sign(big) },
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { stored: number }).stored).toBe(400);
    const huge = JSON.stringify({ for_user_id: '1', tweet_create_events: [], pad: 'x'.repeat(1024 * 1024) });
    const refused = await app.request('/webhooks/x', {
      method: 'POST',
      body: huge,
      headers: { 'content-type': 'application/json', 'x-twitter-webhooks-signature': sign(huge) },
    });
    expect(refused.status).toBe(413);
  });
});
