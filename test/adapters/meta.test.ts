import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { and, count, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createFacebookAdapter, type FacebookAdapter } from '../../adapters/facebook/index.ts';
import { createInstagramAdapter, type InstagramAdapter } from '../../adapters/instagram/index.ts';
import type { MetaSettings } from '../../adapters/meta/settings.ts';
import { configurePlatforms } from '../../adapters/registry.ts';
import { alerts, auditLog, cases, moderations, posts, replies, type Stream, streams, webhookDeliveries } from '../../db/schema/index.ts';
import { refreshEngagement } from '../../src/ingest/metrics.ts';
import { type PollerDeps, pollStream } from '../../src/ingest/poller.ts';
import { processDeliveries } from '../../src/ingest/webhook-inbox.ts';
import { claimCase } from '../../src/queue/cases.ts';
import { deliverModerations, requestModeration } from '../../src/queue/moderation.ts';
import { createReply, deliverDueReplies } from '../../src/queue/replies.ts';
import { FakeGraph } from '../fakes/graph-server.ts';
import { createHarness, type Harness, silentLog } from '../helpers/harness.ts';
import { waitFor } from '../helpers/process.ts';

const TOKEN = 'EAAGmetaTestPageAccessToken0001';
const SECRET = 'fedcba9876543210fedcba9876543210';
const VERIFY = 'odziv-verify-token';
const customer = { id: '61550000000001', name: 'Ana Kovač' };
const igCustomer = { id: '17841499999999', username: 'ana.kovac' };

/**
 * Facebook Pages and Instagram through their adapters, against a fake Graph API on loopback:
 * webhooks (challenge, signature, batches that repeat and come out of order, edits, deletions),
 * polling that reconciles what webhooks missed, replies, private replies, moderation, dead tokens
 * and Meta's usage headers.
 */
describe('Facebook and Instagram against a fake Graph API', () => {
  let g: FakeGraph;
  let h: Harness;
  let fb: FacebookAdapter;
  let ig: InstagramAdapter;
  let settings: MetaSettings;

  beforeAll(async () => {
    g = await new FakeGraph(TOKEN, SECRET).listen();
    settings = {
      pageId: g.pageId,
      pageToken: TOKEN,
      appSecret: SECRET,
      verifyToken: VERIFY,
      igUserId: g.igUserId,
      baseUrl: g.url,
      timeoutMs: 2_000,
      lookbackMs: 28 * 86_400_000,
      pollIntervalMs: 60_000,
    };
    fb = createFacebookAdapter(settings);
    ig = createInstagramAdapter({ ...settings, igUserId: g.igUserId });
    h = await createHarness({ adapters: () => ({ facebook: fb, instagram: ig }) });
  });
  afterAll(async () => {
    await h.close();
    await g.close();
  });
  beforeEach(async () => {
    await h.reset();
    g.reset();
  });

  const deps = (): PollerDeps => ({
    database: h.deps.database,
    adapters: { facebook: fb, instagram: ig },
    rulebook: h.deps.rulebook,
    log: silentLog,
    instanceId: 'meta',
    alertAfterMs: 3_600_000,
  });
  const fresh = async (id: number) => (await h.deps.database.db.select().from(streams).where(eq(streams.id, id)))[0]!;
  const storedIds = async (platform = 'facebook') =>
    (await h.deps.database.db.select({ id: posts.platformPostId }).from(posts).where(eq(posts.platform, platform))).map((p) => p.id).sort();
  async function stream(platform: 'facebook' | 'instagram' = 'facebook'): Promise<Stream> {
    const [s] = await h.deps.database.db
      .insert(streams)
      .values({ platform, name: 'comments', config: { kind: platform === 'facebook' ? 'page' : 'media' } })
      .returning();
    return s!;
  }
  /** Posts a delivery as Meta does; odziv answers at once and works it after: this waits for that too. */
  const deliver = async (platform: string, body: unknown, signature?: string) => {
    const signed = g.signed(body);
    const res = await h.app.request(`/webhooks/${platform}`, {
      method: 'POST',
      body: signed.body,
      headers: { ...signed.headers, ...(signature !== undefined ? { 'x-hub-signature-256': signature } : {}) },
    });
    await waitFor(
      'the delivery to be worked',
      async () =>
        Number((await h.deps.database.db.select({ n: count() }).from(webhookDeliveries).where(isNull(webhookDeliveries.refusedAt)))[0]!.n) === 0
          ? true
          : undefined,
      60_000,
      20,
    );
    return res;
  };
  const cookieOf = async (email: string) => {
    const login = await h.app.request('/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'correct horse battery staple' }),
    });
    return `odziv_session=${/odziv_session=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')![1]}`;
  };
  async function caseOf(platformPostId: string) {
    const [row] = await h.deps.database.db
      .select({ id: cases.id })
      .from(cases)
      .innerJoin(posts, eq(posts.id, cases.postId))
      .where(eq(posts.platformPostId, platformPostId));
    return row?.id;
  }

  describe('the fake Graph API', () => {
    /** Every key path of a JSON value ("data[].from.id"), to compare shapes, not values. */
    const shape = (v: unknown, at = ''): string[] =>
      Array.isArray(v)
        ? v.flatMap((x) => shape(x, `${at}[]`))
        : v && typeof v === 'object'
          ? Object.entries(v).flatMap(([k, x]) => (k === '$source' ? [] : [`${at}${at ? '.' : ''}${k}`, ...shape(x, `${at}${at ? '.' : ''}${k}`)]))
          : [];
    const documented = (name: string) => JSON.parse(readFileSync(join(import.meta.dirname, '../fakes/graph', name), 'utf8')) as unknown;

    it('answers in the shapes of Meta’s documented examples (test/fakes/graph/*.json)', async () => {
      const post = g.addPost('Akcija');
      for (let i = 0; i < 3; i++) g.addComment(post.id, `komentar ${i}`, customer);
      const proof = createHmac('sha256', SECRET).update(TOKEN).digest('hex');
      const page = await (await fetch(`${g.url}/v21.0/${post.id}/comments?limit=2&access_token=${TOKEN}&appsecret_proof=${proof}`)).json();
      expect(shape(page)).toEqual(expect.arrayContaining([...new Set(shape(documented('comments-page.json')))]));
      g.tokenExpired = true;
      const expired = await fetch(`${g.url}/v21.0/${post.id}/comments?access_token=${TOKEN}&appsecret_proof=${proof}`);
      expect(expired.status).toBe(400);
      expect(shape(await expired.json()).sort()).toEqual(shape(documented('error-token-expired.json')).sort());
      // Without the app secret's proof, as Meta answers when "Require app secret" is on.
      g.tokenExpired = false;
      const unsigned = await fetch(`${g.url}/v21.0/${post.id}/comments?access_token=${TOKEN}`);
      expect(((await unsigned.json()) as { error: { code: number } }).error.code).toBe(100);
      expect(shape(g.feedDelivery(g.addComment(post.id, 'x', customer))).sort()).toEqual([...new Set(shape(documented('page-feed-comment.json')))].sort());
    });
  });

  describe('configuration', () => {
    it('names every variable that is wrong, and configures Instagram only with META_IG_USER_ID', () => {
      expect(configurePlatforms({ META_PAGE_ID: 'vedra', META_APP_SECRET: 'short' }).problems.join('; ')).toMatch(
        /META_PAGE_ID: expected .*digits only.*META_PAGE_ACCESS_TOKEN: required with META_PAGE_ID.*META_APP_SECRET: expected the app secret.*META_VERIFY_TOKEN: required/,
      );
      const env = { META_PAGE_ID: g.pageId, META_PAGE_ACCESS_TOKEN: TOKEN, META_APP_SECRET: SECRET, META_VERIFY_TOKEN: VERIFY };
      expect(configurePlatforms(env).platforms.map((p) => p.platform)).toEqual(['facebook']);
      const both = configurePlatforms({ ...env, META_IG_USER_ID: g.igUserId });
      expect(both.platforms.map((p) => p.platform)).toEqual(['facebook', 'instagram']);
      expect(both.platforms[0]!.secrets).toEqual(expect.arrayContaining([TOKEN, SECRET, VERIFY]));
      // One problem, told once (Instagram reads the same variables).
      expect(configurePlatforms({ ...env, META_IG_USER_ID: 'ig' }).problems).toEqual([
        'META_IG_USER_ID: expected the Instagram professional account’s id (digits only)',
      ]);
    });
  });

  describe('webhooks', () => {
    it('answers the subscription check with hub.challenge as plain text, and 403 for a wrong verify token', async () => {
      const ok = await h.app.request(`/webhooks/facebook?hub.mode=subscribe&hub.verify_token=${VERIFY}&hub.challenge=1158201444`);
      expect(ok.status).toBe(200);
      expect(ok.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await ok.text()).toBe('1158201444');
      const wrong = await h.app.request('/webhooks/facebook?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1');
      expect(wrong.status).toBe(403);
      expect(((await wrong.json()) as { message: string }).message).toContain('hub.verify_token');
      expect((await h.app.request(`/webhooks/instagram?hub.mode=subscribe&hub.verify_token=${VERIFY}&hub.challenge=77`)).status).toBe(200);
    });

    it('refuses a forged signature with a 401 and stores nothing', async () => {
      const post = g.addPost('Nova akcija!');
      const c = g.addComment(post.id, 'Internet ne radi tri dana, sramota!', customer);
      const forged = await deliver('facebook', g.feedDelivery(c), `sha256=${'0'.repeat(64)}`);
      expect(forged.status).toBe(401);
      expect(((await forged.json()) as { message: string }).message).toContain('x-hub-signature-256');
      expect((await deliver('facebook', g.feedDelivery(c), '')).status).toBe(401);
      expect(await storedIds()).toEqual([]);
    });

    it('stores a comment once across repeats and out-of-order edits, never flags the Page’s own, ignores reactions, forgets a removed one', async () => {
      const post = g.addPost('Nova akcija: 100 Mbit za 20 €');
      const c = g.addComment(post.id, 'Internet ne radi već tri dana, nitko se ne javlja, sramota!', customer);
      const own = g.addComment(post.id, 'Ana, javite nam broj ugovora u poruci.', { id: g.pageId, name: g.pageName }, { parent: c.id });
      // The edit arrives before the comment itself, then the comment twice.
      const edited = g.feedDelivery({ ...c, message: 'Internet ne radi već četiri dana, sramota! Otkazujem.' }, 'edited');
      for (const d of [edited, g.feedDelivery(c), g.feedDelivery(c), g.feedDelivery(own)]) expect((await deliver('facebook', d)).status).toBe(200);
      const reaction = {
        object: 'page',
        entry: [
          {
            id: g.pageId,
            time: 1764583200,
            changes: [{ field: 'feed', value: { item: 'reaction', verb: 'add', reaction_type: 'angry', post_id: post.id, from: customer } }],
          },
        ],
      };
      expect((await deliver('facebook', reaction)).status).toBe(200);
      expect(await storedIds()).toEqual([c.id, own.id].sort());
      const [row] = await h.deps.database.db
        .select({ text: posts.text, isOwn: posts.isOwn, conversation: posts.conversationId })
        .from(posts)
        .where(eq(posts.platformPostId, c.id));
      expect(row).toEqual({ text: 'Internet ne radi već četiri dana, sramota! Otkazujem.', isOwn: false, conversation: c.id });
      expect(await caseOf(own.id)).toBeUndefined();
      expect(await caseOf(c.id)).toBeDefined();

      // Edited again after it was stored: the same id, the new words.
      expect((await deliver('facebook', g.feedDelivery({ ...c, message: 'Sad radi, hvala.' }, 'edited'))).status).toBe(200);
      expect((await h.deps.database.db.select({ text: posts.text }).from(posts).where(eq(posts.platformPostId, c.id)))[0]!.text).toBe('Sad radi, hvala.');
      const history = await h.deps.database.db
        .select({ action: auditLog.action })
        .from(auditLog)
        .where(and(eq(auditLog.subjectType, 'case'), eq(auditLog.subjectId, String(await caseOf(c.id)))));
      expect(history.map((x) => x.action)).toContain('post.edited');

      // Removed: its words are forgotten, and an edit delivered late does not bring them back.
      expect((await deliver('facebook', g.feedDelivery(c, 'remove'))).status).toBe(200);
      expect((await deliver('facebook', g.feedDelivery({ ...c, message: 'kasno' }, 'edited'))).status).toBe(200);
      const [gone] = await h.deps.database.db.select({ text: posts.text, goneAt: posts.goneAt }).from(posts).where(eq(posts.platformPostId, c.id));
      expect(gone!.goneAt).toBeInstanceOf(Date);
      expect(gone!.text).toBe('');
    });

    it('takes only this Page’s entries of a batch, and sets aside a change it cannot read', async () => {
      const post = g.addPost('Akcija');
      const c = g.addComment(post.id, 'Račun mi je opet pogrešan, sramota!', customer);
      const batch = g.feedDelivery(c) as { entry: Array<Record<string, unknown>> };
      batch.entry.push({
        id: '999000000000',
        time: 1764583200,
        changes: [{ field: 'feed', value: { item: 'comment', verb: 'add', comment_id: '1_2', post_id: '999_1', message: 'other page' } }],
      });
      batch.entry.push({ id: g.pageId, time: 1764583200, changes: [{ field: 'feed', value: { item: 42, verb: 'add' } }] });
      const res = await deliver('facebook', batch);
      expect(res.status).toBe(200);
      expect(await storedIds()).toEqual([c.id]);
      const setAside = await h.deps.database.db.select({ n: count() }).from(auditLog).where(eq(auditLog.action, 'post.rejected'));
      expect(Number(setAside[0]!.n)).toBe(1);
      expect((await deliver('facebook', { object: 'instagram', entry: [] })).status).toBe(400);
    });

    it('stores Instagram comments and mentions; the brand’s own are never flagged', async () => {
      const media = g.addMedia('Nova kolekcija');
      const c = g.addIgComment(media.id, 'Paket kasni dva tjedna, nitko ne odgovara!', igCustomer);
      const mine = g.addIgComment(media.id, '@ana.kovac javite nam broj narudžbe u DM', { id: g.igUserId, username: g.igUsername }, { parent: c.id });
      const mention = g.addIgComment('17900000000999', '@vedratelekom opet nema signala u Splitu', igCustomer);
      expect((await deliver('instagram', g.igDelivery(c))).status).toBe(200);
      expect((await deliver('instagram', g.igDelivery(mine))).status).toBe(200);
      const mentions = {
        object: 'instagram',
        entry: [{ id: g.igUserId, time: 1764583200, changes: [{ field: 'mentions', value: { media_id: '17900000000999', comment_id: mention.id } }] }],
      };
      expect((await deliver('instagram', mentions)).status).toBe(200);
      expect(await storedIds('instagram')).toEqual([c.id, mine.id, mention.id].sort());
      expect(await caseOf(mine.id)).toBeUndefined();
      expect(await caseOf(c.id)).toBeDefined();
      expect(await caseOf(mention.id)).toBeDefined();
    });
  });

  it('answers a delivery at once and keeps it while Graph cannot be asked about it, then stores it once', async () => {
    const mention = g.addIgComment('17900000000123', '@vedratelekom dva dana bez signala!', igCustomer);
    const body = {
      object: 'instagram',
      entry: [{ id: g.igUserId, time: 1764583200, changes: [{ field: 'mentions', value: { media_id: '17900000000123', comment_id: mention.id } }] }],
    };
    g.faults.push('transient');
    const signed = g.signed(body);
    const res = await h.app.request('/webhooks/instagram', { method: 'POST', body: signed.body, headers: signed.headers });
    expect(res.status).toBe(200);
    const kept = await waitFor(
      'the failed first try',
      async () => (await h.deps.database.db.select().from(webhookDeliveries)).find((d) => d.lastError),
      60_000,
      20,
    );
    expect(kept.lastError).toMatch(/^server: .*#2/);
    expect(await storedIds('instagram')).toEqual([]);
    // The worker's next run, once the back-off is over.
    await h.deps.database.db.update(webhookDeliveries).set({ availableAt: new Date(0) });
    expect(await processDeliveries({ database: h.deps.database, adapters: h.deps.adapters, rulebook: h.deps.rulebook, log: silentLog })).toBe(1);
    expect(await storedIds('instagram')).toEqual([mention.id]);
    expect(await h.deps.database.db.select().from(webhookDeliveries)).toEqual([]);
  });

  describe('polling', () => {
    it('reconciles what the webhooks missed, and stores a comment that came both ways once', async () => {
      const post = g.addPost('Akcija');
      const a = g.addComment(post.id, 'Internet ne radi, sramota!', customer);
      const b = g.addComment(post.id, 'I kod mene ne radi već dva dana!', { id: '61550000000002', name: 'Ivo' });
      expect((await deliver('facebook', g.feedDelivery(a))).status).toBe(200);
      const s = await stream();
      expect(await pollStream(deps(), await fresh(s.id))).toMatchObject({ stored: 1, duplicates: 1 });
      expect(await storedIds()).toEqual([a.id, b.id].sort());
      // Each stream counts what it stored, a duplicate not at all: the webhook one, the poll the other.
      const cm = await h.user('community_manager');
      const health = (await (await h.request('GET', '/api/streams', { token: cm.token })).json()) as {
        streams: Array<{ platform: string; name: string; posts: number }>;
      };
      expect(
        health.streams
          .filter((x) => x.platform === 'facebook')
          .map((x) => `${x.name}:${x.posts}`)
          .sort(),
      ).toEqual(['comments:1', 'webhook:1']);
      // Nothing new: the next reconciling poll is a minute away, not at once.
      expect((await fresh(s.id)).nextPollAt!.getTime() - Date.now()).toBeGreaterThan(30_000);
    });

    it('reads comments on ads and on an old post that came alive again, and not a cursor of Meta’s', async () => {
      const old = g.addPost('Ljetna akcija', { at: Date.now() - 20 * 86_400_000 });
      const ad = g.addPost('Sponzorirano: novi paket', { ad: true });
      const s = await stream();
      await pollStream(deps(), await fresh(s.id));
      const late = g.addComment(old.id, 'Još čekam povrat novca od ljeta!', customer);
      const onAd = g.addComment(ad.id, 'Ova reklama laže, brzina je upola manja', { id: '61550000000003', name: 'Marko' });
      await pollStream(deps(), await fresh(s.id));
      expect(await storedIds()).toEqual([late.id, onAd.id].sort());
      expect((await fresh(s.id)).cursor).not.toMatch(/after|before/);
    });

    it('reads every comment of a long post even when one is deleted between two pages', async () => {
      const post = g.addPost('Akcija');
      const list = Array.from({ length: 250 }, (_, i) =>
        g.addComment(
          post.id,
          `račun ${i} je pogrešan, sramota`,
          { id: String(61550000001000 + (i % 7)), name: `Kupac ${i % 7}` },
          { at: Date.now() - (250 - i) * 1000 },
        ),
      );
      // The comment at the end of the first page (newest first) disappears while the second is asked for.
      g.deleteBetweenPages = list[150]!.id;
      const s = await stream();
      await pollStream(deps(), await fresh(s.id));
      // It was read on the first page; its dead cursor ended the paging quietly, and the read from
      // the top again reached the 150 older ones.
      expect(await storedIds()).toEqual(list.map((c) => c.id).sort());
    });

    it('turns the stream failing at once when the Page token dies, alerts, and holds replies instead of failing them', async () => {
      const post = g.addPost('Akcija');
      const c = g.addComment(post.id, 'Internet ne radi, sramota!', customer);
      const s = await stream();
      await pollStream(deps(), await fresh(s.id));
      const responder = await h.user('responder');
      const caseId = (await caseOf(c.id))!;
      await claimCase(h.deps.database, caseId, responder);
      await createReply(h.deps.database, h.deps.adapters, { caseId, actor: responder, text: 'Ana, provjeravamo odmah. – Iva', idempotencyKey: 'held-1' });
      g.tokenExpired = true;
      expect(await pollStream(deps(), await fresh(s.id))).toBeUndefined();
      const failing = await fresh(s.id);
      expect(failing.lastError).toMatch(/^credentials: META_PAGE_ACCESS_TOKEN no longer works: .*#190\/463/);
      const raised = await h.deps.database.db.select({ kind: alerts.kind, audience: alerts.audience }).from(alerts).where(eq(alerts.kind, 'stream'));
      expect(raised).toEqual([{ kind: 'stream', audience: 'community_manager' }]);
      await deliverDueReplies(h.deps.database, h.deps.adapters, silentLog);
      const [held] = await h.deps.database.db.select().from(replies);
      expect(held).toMatchObject({ status: 'pending', attempts: 0 });
      expect(held!.lastError).toMatch(/^held: credentials:/);
      expect(g.posted).toHaveLength(0);
      // The case says why the reply waits.
      expect(await (await h.app.request(`/cases/${caseId}`, { headers: { cookie: await cookieOf(responder.email) } })).text()).toContain(
        'held: credentials: META_PAGE_ACCESS_TOKEN no longer works',
      );
      // A renewed token: the held reply goes out, once.
      g.tokenExpired = false;
      await deliverDueReplies(h.deps.database, h.deps.adapters, silentLog, { now: new Date(Date.now() + 10 * 60_000) });
      expect(g.posted).toHaveLength(1);
      expect((await h.deps.database.db.select({ status: replies.status }).from(replies))[0]!.status).toBe('sent');
    });

    it('slows down as Meta’s usage headers near 100 %, and stops for the time Meta names', async () => {
      g.addPost('Akcija');
      const s = await stream();
      g.usage = 90;
      await pollStream(deps(), await fresh(s.id));
      const slow = (await fresh(s.id)).nextPollAt!.getTime() - Date.now();
      expect(slow).toBeGreaterThan(5 * 60_000);
      g.usage = 100;
      expect(await pollStream(deps(), await fresh(s.id))).toBeUndefined();
      const stopped = await fresh(s.id);
      expect(stopped.lastError).toMatch(/^rate_limit: .*usage at 100/);
      expect(stopped.nextPollAt!.getTime() - Date.now()).toBeGreaterThan(50_000);
    });
  });

  describe('out', () => {
    async function flaggedCase() {
      const post = g.addPost('Akcija');
      const c = g.addComment(post.id, 'Internet ne radi već tri dana, sramota!', customer);
      expect((await deliver('facebook', g.feedDelivery(c))).status).toBe(200);
      const responder = await h.user('responder');
      const caseId = (await caseOf(c.id))!;
      await claimCase(h.deps.database, caseId, responder);
      return { c, caseId, responder };
    }

    it('sends one private reply per comment, refuses a second, and counts Meta’s “already replied” after a lost answer as sent', async () => {
      const { c, caseId, responder } = await flaggedCase();
      await createReply(h.deps.database, h.deps.adapters, {
        caseId,
        actor: responder,
        text: 'Ana, pošaljite nam broj ugovora ovdje. – Iva',
        idempotencyKey: 'p1',
        private: true,
      });
      await expect(
        createReply(h.deps.database, h.deps.adapters, { caseId, actor: responder, text: 'Drugi put', idempotencyKey: 'p2', private: true }),
      ).rejects.toThrow(/already answered privately/);
      g.faults.push('post-then-drop');
      await deliverDueReplies(h.deps.database, h.deps.adapters, silentLog);
      expect(g.messages).toEqual([expect.objectContaining({ commentId: c.id, text: 'Ana, pošaljite nam broj ugovora ovdje. – Iva' })]);
      await deliverDueReplies(h.deps.database, h.deps.adapters, silentLog, { now: new Date(Date.now() + 60 * 60_000) });
      expect(g.messages).toHaveLength(1);
      const [r] = await h.deps.database.db.select().from(replies);
      expect(r).toMatchObject({ status: 'sent', private: true });
      expect(g.posted).toHaveLength(0);
    });

    it('refuses a private reply after the seven days Meta allows, saying until when it was possible', async () => {
      const post = g.addPost('Akcija');
      const c = g.addComment(post.id, 'Internet ne radi, sramota!', customer, { at: Date.now() - 8 * 86_400_000 });
      const s = await stream();
      await pollStream(deps(), await fresh(s.id));
      const responder = await h.user('responder');
      const caseId = (await caseOf(c.id))!;
      await claimCase(h.deps.database, caseId, responder);
      await expect(
        createReply(h.deps.database, h.deps.adapters, { caseId, actor: responder, text: 'Pozdrav', idempotencyKey: 'late', private: true }),
      ).rejects.toThrow(/private: facebook takes a private reply only until .* \(7 days after the post\)/);
      expect(await h.request('GET', `/api/cases/${caseId}`, { token: responder.token }).then((r) => r.json())).toMatchObject({
        channel: { moderation: ['hide', 'unhide', 'delete'], privateReplyOpen: false },
      });
      const page = await (await h.app.request(`/cases/${caseId}`, { headers: { cookie: await cookieOf(responder.email) } })).text();
      expect(page).toContain('id="private-closed"');
      expect(page).not.toContain('name="private"');
      // A responder sees no moderation controls.
      expect(page).not.toContain('/moderation"');
    });

    it('replies under the comment once even when the answer was lost, and on Instagram under the top-level comment, addressed', async () => {
      const { c, caseId, responder } = await flaggedCase();
      await createReply(h.deps.database, h.deps.adapters, { caseId, actor: responder, text: 'Ana, provjeravamo. – Iva', idempotencyKey: 'r1' });
      g.faults.push('post-then-drop');
      await deliverDueReplies(h.deps.database, h.deps.adapters, silentLog);
      await deliverDueReplies(h.deps.database, h.deps.adapters, silentLog, { now: new Date(Date.now() + 60 * 60_000) });
      expect(g.posted).toEqual([expect.objectContaining({ platform: 'facebook', on: c.id, message: 'Ana, provjeravamo. – Iva' })]);

      const media = g.addMedia('Kolekcija');
      const top = g.addIgComment(media.id, 'Gdje mi je paket?', { id: '17841400000077', username: 'marko' });
      const follow = g.addIgComment(media.id, 'Paket kasni dva tjedna, sramota!', igCustomer, { parent: top.id });
      const sent = await ig.reply(
        { platformPostId: follow.id, conversationId: top.id, authorHandle: igCustomer.username },
        'Provjeravamo odmah. – Iva',
        'ig-1',
      );
      expect(g.posted.at(-1)).toMatchObject({ platform: 'instagram', id: sent.platformReplyId, on: top.id, message: '@ana.kovac Provjeravamo odmah. – Iva' });
    });

    it('hides, shows again and deletes a comment for a community manager, audited; a responder may not', async () => {
      const { c, caseId, responder } = await flaggedCase();
      await expect(requestModeration(h.deps.database, h.deps.adapters, { caseId, actor: responder, action: 'hide', reason: 'psovke' })).rejects.toThrow(
        /community_manager/,
      );
      const cm = await h.user('community_manager', 'Maja');
      const res = await h.request('POST', `/api/cases/${caseId}/moderation`, { token: cm.token, json: { action: 'hide', reason: 'Vrijeđa druge korisnike' } });
      expect(res.status).toBe(202);
      expect((await h.request('POST', `/api/cases/${caseId}/moderation`, { token: cm.token, json: { action: 'hide', reason: '' } })).status).toBe(400);
      await deliverModerations(h.deps.database, h.deps.adapters, silentLog);
      expect(g.fbComments.get(c.id)!.hidden).toBe(true);
      await requestModeration(h.deps.database, h.deps.adapters, { caseId, actor: cm, action: 'unhide', reason: 'Greška' });
      await deliverModerations(h.deps.database, h.deps.adapters, silentLog);
      expect(g.fbComments.get(c.id)!.hidden).toBe(false);
      await requestModeration(h.deps.database, h.deps.adapters, { caseId, actor: cm, action: 'delete', reason: 'Spam' });
      await deliverModerations(h.deps.database, h.deps.adapters, silentLog);
      expect(g.fbComments.has(c.id)).toBe(false);
      expect(g.moderated.map((m) => m.action)).toEqual(['hide', 'unhide', 'delete']);
      const detail = (await (await h.request('GET', `/api/cases/${caseId}`, { token: cm.token })).json()) as {
        moderations: Array<{ action: string; status: string; by: string; reason: string }>;
        history: Array<{ action: string }>;
      };
      expect(detail.moderations.map((m) => `${m.action}:${m.status}:${m.by}`)).toEqual(['hide:done:Maja', 'unhide:done:Maja', 'delete:done:Maja']);
      expect(detail.history.map((x) => x.action)).toEqual(expect.arrayContaining(['post.hide.request', 'post.hidden', 'post.unhidden', 'post.deleted']));
      // Deleted: gone, its words forgotten.
      expect((await h.deps.database.db.select({ text: posts.text }).from(posts).where(eq(posts.platformPostId, c.id)))[0]!.text).toBe('');
    });

    it('hides a posted card number by rule, without deleting it, and the case says why', async () => {
      const post = g.addPost('Akcija');
      const c = g.addComment(post.id, 'Naplatili ste mi dvaput! Kartica 4111 1111 1111 1111, vratite novac', customer);
      const spam = g.addComment(post.id, 'click here free followers crypto giveaway', { id: '61550000000009', name: 'Bot' });
      for (const x of [c, spam]) expect((await deliver('facebook', g.feedDelivery(x))).status).toBe(200);
      expect(Number((await h.deps.database.db.select({ n: count() }).from(moderations))[0]!.n)).toBe(2);
      await deliverModerations(h.deps.database, h.deps.adapters, silentLog);
      expect(g.fbComments.get(c.id)!.hidden).toBe(true);
      expect(g.fbComments.get(spam.id)!.hidden).toBe(true);
      expect(g.moderated.every((m) => m.action === 'hide')).toBe(true);
      const cm = await h.user('community_manager');
      const caseId = (await caseOf(c.id))!;
      const detail = (await (await h.request('GET', `/api/cases/${caseId}`, { token: cm.token })).json()) as {
        moderations: Array<{ action: string; rule: string; reason: string; status: string }>;
      };
      expect(detail.moderations).toEqual([
        expect.objectContaining({ action: 'hide', rule: 'default/card-number-posted', reason: 'A payment card number, posted in public.', status: 'done' }),
      ]);
      const page = await (await h.app.request(`/cases/${caseId}`, { headers: { cookie: await cookieOf(cm.email) } })).text();
      expect(page).toContain('rule default/card-number-posted');
      expect(page).toContain('A payment card number, posted in public.');
      expect(page).toContain(`action="/cases/${caseId}/moderation"`);
      // The spam is hidden and opens no case.
      expect(await caseOf(spam.id)).toBeUndefined();
    });

    it('reads reactions and replies of open cases’ comments, and learns which are gone', async () => {
      const { c } = await flaggedCase();
      g.fbComments.get(c.id)!.likes = 40;
      g.addComment(c.postId, 'I ja!', { id: '61550000000005', name: 'Iva' }, { parent: c.id });
      await h.deps.database.db.update(posts).set({ metricsDueAt: new Date(0) });
      await refreshEngagement(h.deps.database, { facebook: fb }, silentLog);
      const [row] = await h.deps.database.db.select({ metrics: posts.metrics }).from(posts).where(eq(posts.platformPostId, c.id));
      expect(row!.metrics).toMatchObject({ likes: 40, replies: 1 });
      g.fbComments.delete(c.id);
      await h.deps.database.db.update(posts).set({ metricsDueAt: new Date(0) });
      await refreshEngagement(h.deps.database, { facebook: fb }, silentLog);
      expect((await h.deps.database.db.select({ goneAt: posts.goneAt }).from(posts).where(eq(posts.platformPostId, c.id)))[0]!.goneAt).toBeInstanceOf(Date);
    });
  });
});
