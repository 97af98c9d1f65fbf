import { and, count, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { AdapterError } from '../../adapters/errors.ts';
import { createMastodonAdapter, type MastodonAdapter } from '../../adapters/mastodon/index.ts';
import { htmlToText, mastodonLength } from '../../adapters/mastodon/map.ts';
import { mastodonEnv, mastodonSettings } from '../../adapters/mastodon/settings.ts';
import { configurePlatforms } from '../../adapters/registry.ts';
import { auditLog, cases, posts, replies, type Stream, streams } from '../../db/schema/index.ts';
import { refreshEngagement } from '../../src/ingest/metrics.ts';
import { type PollerDeps, pollStream } from '../../src/ingest/poller.ts';
import { claimCase } from '../../src/queue/cases.ts';
import { createReply, deliverDueReplies } from '../../src/queue/replies.ts';
import { FakeMastodon } from '../fakes/mastodon-server.ts';
import { createHarness, type Harness, silentLog } from '../helpers/harness.ts';

const TOKEN = 'mastodon-access-token-0123456789';

describe('Mastodon adapter against a fake Mastodon server', () => {
  let m: FakeMastodon;
  let h: Harness;
  let adapter: MastodonAdapter;

  beforeAll(async () => {
    h = await createHarness({ adapters: () => ({}) });
  });
  afterAll(() => h.close());
  beforeEach(async () => {
    await h.reset();
    m = await new FakeMastodon(TOKEN).listen();
    adapter = createMastodonAdapter({ baseUrl: m.url, accessToken: TOKEN, timeoutMs: 1_000, hashtags: [] });
  });
  afterEach(() => m.close());

  async function stream(): Promise<Stream> {
    const [s] = await h.deps.database.db
      .insert(streams)
      .values({ platform: 'mastodon', name: 'mentions', config: { kind: 'mentions' } })
      .returning();
    return s!;
  }
  const deps = (): PollerDeps => ({
    database: h.deps.database,
    adapters: { mastodon: adapter },
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
      const before = await fresh(s.id);
      const summary = await pollStream(deps(), before, new Date());
      if (summary && summary.received === 0) return;
      const lastError = (await fresh(s.id)).lastError;
      // A connection reset on a busy loopback is retried, as the scheduler would after its back-off.
      if (!summary && lastError?.startsWith('network:') && ++resets <= 3) continue;
      if (!summary) throw new Error(`poll failed: ${lastError}`);
    }
    throw new Error('stream did not drain');
  }

  function customers(n: number) {
    return Array.from({ length: n }, (_, i) => m.addAccount(`kupac${i}`, `Kupac ${i}`, 10 * i, i % 3 === 0 ? 'drugi.social' : undefined));
  }

  it('stores every mention exactly once across pages, as readable text, and nothing that is not a mention', async () => {
    const people = customers(10);
    for (let i = 0; i < 95; i++) {
      m.addStatus(
        people[i % 10]!,
        `<p><span class="h-card"><a href="https://social.example/@vedra" class="u-url mention">@<span>vedra</span></a></span> internet ne radi već ${i} sati &amp; nitko se ne javlja</p>`,
      );
    }
    m.addFavourite(people[0]!, m.addStatus(m.brand, '<p>Održavanje mreže večeras.</p>'));
    const s = await stream();
    await drain(s);
    expect(await stored()).toBe(95);
    const [p] = await h.deps.database.db
      .select()
      .from(posts)
      .where(eq(posts.platformPostId, m.notifications.find((n) => n.type === 'mention')!.status!.id as string));
    expect(p!.text).toMatch(/^@vedra internet ne radi već \d+ sati & nitko se ne javlja$/);
    // A new stream reads back along the pages (40 + 40 + 15); the next poll, from the newest, finds nothing.
    const reads = m.requests.filter((r) => r === 'GET /api/v1/notifications').length;
    expect(reads).toBe(4);

    // New mentions later: only they are read.
    const late = m.addStatus(people[1]!, '<p>@vedra opet ne radi!</p>');
    await drain(s);
    expect(await stored()).toBe(96);
    expect((await h.deps.database.db.select().from(posts).where(eq(posts.platformPostId, late.id))).length).toBe(1);
    const flagged = Number((await h.deps.database.db.select({ n: count() }).from(cases))[0]!.n);
    expect(flagged).toBeGreaterThan(50);
  });

  it('reads HTML as words: paragraphs, line breaks, split links, entities, content warnings', () => {
    const html =
      '<p>Račun &quot;duplo&quot; naplaćen&#39;!<br />Vidi <a href="https://vedra.hr/racun/123"><span class="invisible">https://</span><span class="ellipsis">vedra.hr/racun/</span><span class="invisible">123</span></a></p><p>&lt;script&gt;alert(1)&lt;/script&gt;</p>';
    expect(htmlToText(html)).toBe('Račun "duplo" naplaćen\'!\nVidi https://vedra.hr/racun/123\n\n<script>alert(1)</script>');
    expect(mastodonLength('@ana@drugi.social vidi https://vedra.hr/a/very/long/path/that/is/long – Iva')).toBe('@ana vidi '.length + 23 + ' – Iva'.length);
  });

  it('joins a reply in a thread to the thread’s case, and sets aside a mention it cannot read', async () => {
    const [ana] = customers(1);
    const first = m.addStatus(ana!, '<p>@vedra internet ne radi od jutra, sramota!</p>');
    const s = await stream();
    await drain(s);
    const ours = m.addStatus(m.brand, '<p>@kupac0 Provjeravamo, javljamo se.</p>', { inReplyTo: first.id, mention: false });
    m.addStatus(ana!, '<p>@vedra i dalje ne radi!</p>', { inReplyTo: ours.id });
    m.addStatus(ana!, '<p>@vedra zaboravila sam reći: ruter treperi.</p>');
    m.faults.push('broken-status');
    await drain(s);
    const rows = await h.deps.database.db.select().from(posts).orderBy(posts.id);
    const thread = rows.filter((r) => r.conversationId === first.id);
    expect(thread.map((r) => r.text)).toEqual(['@vedra internet ne radi od jutra, sramota!', '@vedra i dalje ne radi!']);
    // The follow-up is the same case's, not a case of its own.
    expect(await h.deps.database.db.select().from(cases).where(eq(cases.postId, thread[1]!.id))).toHaveLength(0);
    const [rejected] = await h.deps.database.db.select().from(auditLog).where(eq(auditLog.action, 'post.rejected'));
    expect(rejected).toBeDefined();
  });

  it('watches a hashtag’s timeline too: the tagged posts, once, whichever stream saw them first', async () => {
    const people = customers(4);
    const tagged = m.addStatus(
      people[0]!,
      '<p>Treći dan bez interneta <a href="https://social.example/tags/vedra" class="mention hashtag">#<span>Vedra</span></a>, sramota</p>',
      { mention: false },
    );
    m.addStatus(people[1]!, '<p>Lijep dan u Splitu #more</p>', { mention: false });
    const both = m.addStatus(people[2]!, '<p>@vedra #vedra račun je kriv</p>');
    m.addStatus(m.brand, '<p>Radovi na mreži večeras #vedra</p>', { mention: false });
    const [tag] = await h.deps.database.db
      .insert(streams)
      .values({ platform: 'mastodon', name: '#vedra', config: { kind: 'hashtag', tag: 'vedra' } })
      .returning();
    await drain(tag!);
    await drain(await stream());
    const rows = await h.deps.database.db.select().from(posts).orderBy(posts.id);
    expect(rows.map((r) => r.platformPostId).sort()).toEqual(
      [tagged.id, both.id, [...m.statuses.values()].find((x) => x.account.id === m.brand.id)!.id].sort(),
    );
    expect(rows.find((r) => r.platformPostId === tagged.id)!.text).toBe('Treći dan bez interneta #Vedra, sramota');
    expect(rows.filter((r) => r.isOwn)).toHaveLength(1);
    expect(m.requests).toContain('GET /api/v1/timelines/tag/vedra');
    const bad = (await adapter.poll({ id: 1, name: 'x', config: { kind: 'hashtag', tag: 'two words' } }, null).catch((e: unknown) => e)) as AdapterError;
    expect(bad).toMatchObject({ kind: 'invalid' });
  });

  it('does not stall on items it cannot read: they are set aside and the rest are stored', async () => {
    const people = customers(3);
    const s = await stream();
    await drain(s);
    for (const p of people) m.addStatus(p, '<p>@vedra ne radi</p>');
    m.faults.push('junk-items');
    await drain(s);
    expect(await stored()).toBe(3);
    expect((await fresh(s.id)).lastError).toBeNull();
    const rejected = await h.deps.database.db.select().from(auditLog).where(eq(auditLog.action, 'post.rejected'));
    expect(rejected.length).toBe(3);
  });

  it('waits out a rate limit, with the time the server gave, and catches up after', async () => {
    for (const c of customers(1)) m.addStatus(c, '<p>@vedra ne radi</p>');
    const s = await stream();
    m.faults.push('429');
    expect(await pollStream(deps(), s, new Date())).toBeUndefined();
    const failed = await fresh(s.id);
    expect(failed.lastError).toContain('rate_limit');
    expect(failed.nextPollAt!.getTime()).toBeGreaterThan(Date.now() + 60_000);
    expect(failed.lastError).toContain('429 Too many requests');
    await drain(await fresh(s.id));
    expect(await stored()).toBe(1);
    // Nearly spent: the next poll waits for the window instead of spending the rest.
    m.windowLimit = m.requests.length + 3;
    const r = await adapter.poll({ id: s.id, name: s.name, config: s.config }, (await fresh(s.id)).cursor);
    expect(r.nextPollInMs).toBeGreaterThan(60_000);
  });

  it('replies to the customer by name, as privately as they wrote, once, even when the answer is lost', async () => {
    const [ana] = customers(1);
    const dm = m.addStatus(ana!, '<p>@vedra moj broj ugovora je 12345, račun je kriv</p>', { visibility: 'direct' });
    await adapter.verify();
    const s = await stream();
    await drain(s);
    const [c] = await h.deps.database.db
      .select({ id: cases.id })
      .from(cases)
      .innerJoin(posts, eq(posts.id, cases.postId))
      .where(eq(posts.platformPostId, dm.id));
    const responder = await h.user('responder');
    await claimCase(h.deps.database, c!.id, responder);

    // The server makes the post but answers after the client gave up: outcome unknown.
    m.faults.push('slow');
    await createReply(
      h.deps.database,
      { mastodon: adapter },
      { caseId: c!.id, actor: responder, text: 'Pozdrav Kupac, ispravljamo račun danas. – Iva', idempotencyKey: 'k1' },
    );
    await deliverDueReplies(h.deps.database, { mastodon: adapter }, silentLog);
    await deliverDueReplies(h.deps.database, { mastodon: adapter }, silentLog, { now: new Date(Date.now() + 3_600_000) });
    expect(m.posted).toHaveLength(1);
    expect(m.posted[0]).toMatchObject({ status: '@kupac0@drugi.social Pozdrav Kupac, ispravljamo račun danas. – Iva', inReplyTo: dm.id, visibility: 'direct' });
    expect(m.posted[0]!.idempotencyKey).toBeTruthy();
    const [sent] = await h.deps.database.db
      .select()
      .from(replies)
      .where(and(eq(replies.caseId, c!.id), eq(replies.status, 'sent')));
    expect(sent!.platformReplyId).toBe(m.posted[0]!.id);

    // Too long for this server (its limit is read at start-up): the queue says so before sending.
    m.maxCharacters = 100;
    await adapter.verify();
    const refused = await createReply(
      h.deps.database,
      { mastodon: adapter },
      { caseId: c!.id, actor: responder, text: 'x'.repeat(120), idempotencyKey: 'k2' },
    ).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'UNPROCESSABLE', message: expect.stringContaining('it allows at most 100') });
  });

  it('reads engagement in batches, marks deleted posts gone, and falls back on servers before 4.3', async () => {
    const people = customers(3);
    const list = Array.from({ length: 25 }, (_, i) => m.addStatus(people[i % 3]!, `<p>@vedra ne radi ${i}</p>`));
    list[0]!.favourites_count = 40;
    list[0]!.reblogs_count = 12;
    m.statuses.delete(list[1]!.id);
    // A status of a shape odziv does not know: no numbers for it, but it is not deleted either.
    (list[3] as unknown as { content: unknown }).content = 42;
    const read = await adapter.refreshMetrics!(list.map((x) => x.id));
    expect(read.metrics.get(list[0]!.id)).toEqual({ likes: 40, reposts: 12, replies: 0, quotes: 0 });
    expect(read.gone).toEqual([list[1]!.id]);
    expect(read.metrics.has(list[3]!.id)).toBe(false);
    expect(read.metrics.size).toBe(23);
    (list[3] as unknown as { content: unknown }).content = '<p>@vedra ne radi 3</p>';
    expect(m.requests.filter((r) => r === 'GET /api/v1/statuses').length).toBe(2);

    m.multiStatus = false;
    const old = await adapter.refreshMetrics!(list.slice(0, 3).map((x) => x.id));
    expect(old.metrics.size).toBe(2);
    expect(old.gone).toEqual([list[1]!.id]);

    // Through the metrics job: the deleted post's words leave odziv.
    const s = await stream();
    await drain(s);
    m.statuses.delete(list[2]!.id);
    m.multiStatus = true;
    await refreshEngagement(h.deps.database, { mastodon: adapter }, silentLog, new Date());
    const [gone] = await h.deps.database.db.select().from(posts).where(eq(posts.platformPostId, list[2]!.id));
    expect(gone).toMatchObject({ text: '' });
    expect(gone!.goneAt).toBeInstanceOf(Date);
  });

  it('names what is wrong: a rejected token, and settings that do not go together', async () => {
    const bad = createMastodonAdapter({ baseUrl: m.url, accessToken: 'not-the-token-at-all-000', timeoutMs: 1_000, hashtags: [] });
    const e = (await bad.verify().catch((err: unknown) => err)) as AdapterError;
    expect(e).toMatchObject({ kind: 'auth', message: expect.stringContaining('The access token is invalid') });
    const problems = (env: Record<string, string>) => configurePlatforms(env).problems.join('; ');
    const settings = (env: Record<string, string>) => mastodonSettings(z.object(mastodonEnv).parse(env));
    expect(problems({ MASTODON_ACCESS_TOKEN: TOKEN })).toMatch(/^MASTODON_URL: required with MASTODON_ACCESS_TOKEN/);
    expect(problems({ MASTODON_URL: 'ftp://x' })).toMatch(
      /MASTODON_URL: expected an http:\/\/ or https:\/\/ address; MASTODON_ACCESS_TOKEN: required with MASTODON_URL/,
    );
    expect(settings({ MASTODON_URL: 'https://mastodon.social/', MASTODON_ACCESS_TOKEN: TOKEN })).toEqual({
      baseUrl: 'https://mastodon.social',
      accessToken: TOKEN,
      timeoutMs: 10_000,
      hashtags: [],
    });
    expect(settings({ MASTODON_URL: 'https://m.hr', MASTODON_ACCESS_TOKEN: TOKEN, MASTODON_HASHTAGS: '#vedra, VedraTelekom,vedra' }).hashtags).toEqual([
      'vedra',
      'VedraTelekom',
    ]);
    expect(problems({ MASTODON_URL: 'https://m.hr', MASTODON_ACCESS_TOKEN: TOKEN, MASTODON_HASHTAGS: 'vedra,no spaces' })).toMatch(
      /MASTODON_HASHTAGS\.1: expected hashtags of letters, digits and _/,
    );
    expect(configurePlatforms({ MASTODON_HASHTAGS: 'vedra' })).toEqual({ platforms: [], problems: [] });
  });
});
