import { and, count, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type BlueskyAdapter, createBlueskyAdapter } from '../../adapters/bluesky/index.ts';
import { blueskyLength, linkFacets, rkeyFor } from '../../adapters/bluesky/map.ts';
import { blueskyEnv, blueskySettings } from '../../adapters/bluesky/settings.ts';
import type { AdapterError } from '../../adapters/errors.ts';
import { configurePlatforms } from '../../adapters/registry.ts';
import { auditLog, cases, posts, replies, type Stream, streams } from '../../db/schema/index.ts';
import { refreshEngagement } from '../../src/ingest/metrics.ts';
import { type PollerDeps, pollStream } from '../../src/ingest/poller.ts';
import { claimCase } from '../../src/queue/cases.ts';
import { createReply, deliverDueReplies } from '../../src/queue/replies.ts';
import { FakeBluesky } from '../fakes/bluesky-server.ts';
import { createHarness, type Harness, silentLog } from '../helpers/harness.ts';

const PASSWORD = 'abcd-efgh-ijkl-mnop';

describe('Bluesky adapter against a fake Bluesky on loopback', () => {
  let b: FakeBluesky;
  let h: Harness;
  let adapter: BlueskyAdapter;

  beforeAll(async () => {
    h = await createHarness({ adapters: () => ({}) });
  });
  afterAll(() => h.close());
  beforeEach(async () => {
    await h.reset();
    b = await new FakeBluesky(PASSWORD).listen();
    adapter = createBlueskyAdapter({ handle: b.brand.handle, appPassword: PASSWORD, service: b.url, timeoutMs: 1_000 });
  });
  afterEach(() => b.close());

  async function stream(): Promise<Stream> {
    const [s] = await h.deps.database.db
      .insert(streams)
      .values({ platform: 'bluesky', name: 'notifications', config: { kind: 'notifications' } })
      .returning();
    return s!;
  }
  const deps = (): PollerDeps => ({
    database: h.deps.database,
    adapters: { bluesky: adapter },
    rulebook: h.deps.rulebook,
    log: silentLog,
    instanceId: 't',
    alertAfterMs: 60_000,
  });
  const fresh = async (id: number) => (await h.deps.database.db.select().from(streams).where(eq(streams.id, id)))[0]!;
  const stored = async () => Number((await h.deps.database.db.select({ n: count() }).from(posts))[0]!.n);
  async function drain(s: Stream, max = 50): Promise<void> {
    let resets = 0;
    for (let i = 0; i < max; i++) {
      const summary = await pollStream(deps(), await fresh(s.id), new Date());
      const lastError = (await fresh(s.id)).lastError;
      // A connection reset on a busy loopback is retried, as the scheduler would after its back-off.
      if (!summary && lastError?.startsWith('network:') && ++resets <= 3) continue;
      if (!summary) throw new Error(`poll failed: ${lastError}`);
      const cursor = JSON.parse((await fresh(s.id)).cursor ?? '{}') as { run?: unknown };
      if (summary.received === 0 && !cursor.run) return;
    }
    throw new Error('stream did not drain');
  }
  const people = (n: number) => Array.from({ length: n }, (_, i) => b.author(`kupac${i}`));

  it('takes mentions, replies and quotes once each, reads a long burst without a gap, and leaves likes', async () => {
    const who = people(8);
    const brandPost = b.addPost(b.brand, 'Održavanje mreže večeras od 22 h.');
    for (let i = 0; i < 30; i++) b.addPost(who[i % 8]!, `@${b.brand.handle} internet ne radi već ${i} sati`);
    b.addPost(who[0]!, 'Opet nas ostavljate bez interneta?', { replyTo: brandPost.uri });
    b.addLike(who[1]!, brandPost);
    const s = await stream();
    await drain(s);
    expect(await stored()).toBe(31);

    // A burst longer than one poll reads (10 pages of 50): kept in place, nothing skipped.
    for (let i = 0; i < 620; i++) b.addPost(who[i % 8]!, `@${b.brand.handle} i dalje ne radi, javljam se ${i}. put`);
    await drain(s);
    expect(await stored()).toBe(651);
    const reads = b.requests.filter((r) => r === 'app.bsky.notification.listNotifications').length;
    expect(reads).toBeGreaterThanOrEqual(14);
    // Two notifications indexed in the same millisecond: the second is not lost, the first not doubled.
    const at = Date.now();
    b.addPost(who[2]!, `@${b.brand.handle} prvi`, { at });
    await drain(s);
    b.addPost(who[3]!, `@${b.brand.handle} drugi`, { at });
    await drain(s);
    expect(await stored()).toBe(653);
  });

  it('reads a search of all posts too: the ones naming the brand without tagging it, once', async () => {
    const who = people(5);
    for (let i = 0; i < 70; i++) b.addPost(who[i % 5]!, i % 2 ? `Vedra internet opet pao u Splitu (${i})` : `Lijep dan na moru ${i}`);
    const tagged = b.addPost(who[0]!, `@${b.brand.handle} Vedra mi ne radi`);
    const [search] = await h.deps.database.db
      .insert(streams)
      .values({ platform: 'bluesky', name: 'search', config: { kind: 'search', q: 'vedra' } })
      .returning();
    await drain(search!);
    await drain(await stream());
    // 35 about Vedra, and the tagged one, which both streams saw: stored once.
    expect(await stored()).toBe(36);
    expect((await h.deps.database.db.select().from(posts).where(eq(posts.platformPostId, tagged.uri))).length).toBe(1);
    b.addPost(who[1]!, 'Vedra opet ne radi!');
    await drain(search!);
    expect(await stored()).toBe(37);
    expect(b.requests).toContain('app.bsky.feed.searchPosts');
  });

  it('joins a reply in a thread to the thread’s case, and sets aside what it cannot read', async () => {
    const [ana] = people(1);
    const first = b.addPost(ana!, `@${b.brand.handle} internet ne radi od jutra, sramota!`);
    const s = await stream();
    await drain(s);
    const ours = b.addPost(b.brand, 'Provjeravamo, javljamo se.', { replyTo: first.uri });
    b.addPost(ana!, 'I dalje ne radi!', { replyTo: ours.uri });
    b.faults.push('junk');
    await drain(s);
    const rows = await h.deps.database.db.select().from(posts).orderBy(posts.id);
    const thread = rows.filter((r) => r.conversationId === first.uri);
    expect(thread.map((r) => r.text)).toEqual([`@${b.brand.handle} internet ne radi od jutra, sramota!`, 'I dalje ne radi!']);
    expect(thread[0]!.url).toMatch(/^https:\/\/bsky\.app\/profile\/kupac0\.bsky\.social\/post\//);
    expect(await h.deps.database.db.select().from(cases).where(eq(cases.postId, thread[1]!.id))).toHaveLength(0);
    expect((await h.deps.database.db.select().from(auditLog).where(eq(auditLog.action, 'post.rejected'))).length).toBe(2);
  });

  it('signs in again when its token expires, and waits out a rate limit', async () => {
    const s = await stream();
    await drain(s);
    b.addPost(people(1)[0]!, `@${b.brand.handle} ne radi`);
    b.expireAccessTokens();
    await drain(s);
    expect(await stored()).toBe(1);
    expect(b.requests).toContain('com.atproto.server.refreshSession');
    b.faults.push('429');
    b.addPost(people(2)[1]!, `@${b.brand.handle} ne radi ni meni`);
    expect(await pollStream(deps(), await fresh(s.id), new Date())).toBeUndefined();
    const failed = await fresh(s.id);
    expect(failed.lastError).toContain('rate_limit');
    expect(failed.nextPollAt!.getTime()).toBeGreaterThan(Date.now() + 60_000);
    await drain(await fresh(s.id));
    expect(await stored()).toBe(2);
  });

  it('replies in the thread, with links that work, once even when the answer is lost', async () => {
    const [ana] = people(1);
    const root = b.addPost(ana!, `@${b.brand.handle} račun je dupli, sramota!`);
    const followUp = b.addPost(ana!, `@${b.brand.handle} Halo?`, { replyTo: root.uri });
    const s = await stream();
    await drain(s);
    const [c] = await h.deps.database.db
      .select({ id: cases.id })
      .from(cases)
      .innerJoin(posts, eq(posts.id, cases.postId))
      .where(eq(posts.platformPostId, root.uri));
    const responder = await h.user('responder');
    await claimCase(h.deps.database, c!.id, responder);
    b.faults.push('slow');
    await createReply(
      h.deps.database,
      { bluesky: adapter },
      { caseId: c!.id, actor: responder, text: 'Pozdrav Ana, ispravak: https://vedra.hr/racun – Iva', idempotencyKey: 'k1' },
    );
    await deliverDueReplies(h.deps.database, { bluesky: adapter }, silentLog);
    await deliverDueReplies(h.deps.database, { bluesky: adapter }, silentLog, { now: new Date(Date.now() + 3_600_000) });
    expect(b.created).toHaveLength(1);
    // To the customer's latest post in the thread, under the thread's first.
    expect(b.created[0]).toMatchObject({ parent: followUp.uri, root: root.uri, text: 'Pozdrav Ana, ispravak: https://vedra.hr/racun – Iva' });
    expect(b.created[0]!.facets).toEqual(linkFacets('Pozdrav Ana, ispravak: https://vedra.hr/racun – Iva'));
    const [sent] = await h.deps.database.db
      .select()
      .from(replies)
      .where(and(eq(replies.caseId, c!.id), eq(replies.status, 'sent')));
    expect(sent!.platformReplyId).toBe(b.created[0]!.uri);
    expect(sent!.url).toMatch(/^https:\/\/bsky\.app\/profile\/vedra\.bsky\.social\/post\//);
  });

  it('hides a reply in a thread the brand started through its threadgate, shows it again, and refuses what Bluesky does not allow', async () => {
    const [ana] = people(1);
    const brandPost = b.addPost(b.brand, 'Nova akcija: 500 Mbit za 25 €');
    const rude = b.addPost(ana!, 'Lopovi! Zovite me 091 234 5678', { replyTo: brandPost.uri });
    const elsewhere = b.addPost(ana!, `@${b.brand.handle} negdje drugdje`);
    const gateUri = `at://${b.brand.did}/app.bsky.feed.threadgate/${brandPost.uri.split('/').pop()}`;
    await adapter.moderation!.apply(rude.uri, 'hide');
    expect(b.records.get(gateUri)).toMatchObject({ $type: 'app.bsky.feed.threadgate', post: brandPost.uri, hiddenReplies: [rude.uri] });
    await adapter.moderation!.apply(rude.uri, 'unhide');
    expect(b.records.get(gateUri)).toMatchObject({ hiddenReplies: [] });
    await expect(adapter.moderation!.apply(elsewhere.uri, 'hide')).rejects.toThrow(/only in a thread the brand started/);
    await expect(adapter.moderation!.apply(rude.uri, 'delete')).rejects.toMatchObject({ kind: 'invalid' });
  });

  it('counts as Bluesky does, makes valid record keys, reads engagement and marks deleted posts gone', async () => {
    expect(blueskyLength('👨‍👩‍👧 Čekam 🇭🇷')).toBe(9);
    expect(linkFacets('ćao https://a.hr/x.')).toEqual([
      { index: { byteStart: 5, byteEnd: 19 }, features: [{ $type: 'app.bsky.richtext.facet#link', uri: 'https://a.hr/x' }] },
    ]);
    for (const k of ['1:a', '2:b', 'x'.repeat(500)]) expect(rkeyFor(k)).toMatch(/^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$/);
    expect(rkeyFor('1:a')).toBe(rkeyFor('1:a'));

    const who = people(3);
    const list = Array.from({ length: 30 }, (_, i) => b.addPost(who[i % 3]!, `@${b.brand.handle} ne radi ${i}`));
    list[0]!.likeCount = 40;
    list[0]!.quoteCount = 2;
    b.posts.delete(list[1]!.uri);
    (list[4] as unknown as { likeCount: unknown }).likeCount = 'many';
    const read = await adapter.refreshMetrics!(list.map((p) => p.uri));
    expect(read.metrics.has(list[4]!.uri)).toBe(false);
    list[4]!.likeCount = 0;
    expect(read.metrics.get(list[0]!.uri)).toEqual({ likes: 40, reposts: 0, replies: 0, quotes: 2 });
    expect(read.gone).toEqual([list[1]!.uri]);
    expect(b.requests.filter((r) => r === 'app.bsky.feed.getPosts').length).toBe(2);

    const s = await stream();
    await drain(s);
    b.posts.delete(list[2]!.uri);
    await refreshEngagement(h.deps.database, { bluesky: adapter }, silentLog, new Date());
    const [gone] = await h.deps.database.db.select().from(posts).where(eq(posts.platformPostId, list[2]!.uri));
    expect(gone).toMatchObject({ text: '' });
  });

  it('names what is wrong: a refused app password, and settings that do not go together', async () => {
    const bad = createBlueskyAdapter({ handle: b.brand.handle, appPassword: 'wrong-pass-word-0000', service: b.url, timeoutMs: 1_000 });
    expect(await bad.verify().catch((e: unknown) => e)).toMatchObject({ kind: 'auth', message: expect.stringContaining('Invalid identifier or password') });
    expect((await bad.poll({ id: 1, name: 'n', config: { kind: 'nope' } }, null).catch((e: unknown) => e)) as AdapterError).toMatchObject({ kind: 'invalid' });
    const problems = (env: Record<string, string>) => configurePlatforms(env).problems.join('; ');
    expect(problems({ BLUESKY_APP_PASSWORD: PASSWORD })).toMatch(/^BLUESKY_HANDLE: required with BLUESKY_APP_PASSWORD/);
    expect(problems({ BLUESKY_HANDLE: 'not a handle' })).toMatch(
      /BLUESKY_HANDLE: expected the brand’s handle.*BLUESKY_APP_PASSWORD: required with BLUESKY_HANDLE/,
    );
    expect(blueskySettings(z.object(blueskyEnv).parse({ BLUESKY_HANDLE: '@Vedra.bsky.social', BLUESKY_APP_PASSWORD: PASSWORD }))).toEqual({
      handle: 'vedra.bsky.social',
      appPassword: PASSWORD,
      service: 'https://bsky.social',
      timeoutMs: 10_000,
      searchQuery: undefined,
    });
    expect(configurePlatforms({ BLUESKY_SERVICE: 'https://bsky.social' })).toEqual({ platforms: [], problems: [] });
  });
});
