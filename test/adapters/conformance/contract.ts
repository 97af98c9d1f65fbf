import { and, count, eq, isNotNull } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AdapterError } from '../../../adapters/errors.ts';
import type { NormalizedPost, Platform, PlatformAdapter } from '../../../adapters/types.ts';
import { auditLog, authors, cases, posts, type Stream, streams } from '../../../db/schema/index.ts';
import { refreshEngagement } from '../../../src/ingest/metrics.ts';
import { type PollerDeps, pollStream } from '../../../src/ingest/poller.ts';
import { storeDelivery } from '../../../src/ingest/webhook-inbox.ts';
import { backoffMs } from '../../../src/retry.ts';
import { createHarness, type Harness, silentLog } from '../../helpers/harness.ts';

/**
 * The same cases against every adapter, each through its real client against its loopback fake:
 * paging to the end, a restart mid-paging, 429 with its reset, 5xx with back-off, a reset
 * connection, a delivery read twice, the brand's own post coming back, and an entry of the wrong
 * shape. A platform joins by adding its kit to KITS (kits.ts): how to start its fake, make its adapter, write
 * a customer's post, and inject a fault.
 */
export type Fault = 'rate_limit' | 'server' | 'reset' | 'malformed' | 'lost_answer';

export interface Kit {
  platform: Platform;
  /** How the suite names it, when it is not the adapter odziv ships for its platform. */
  name?: string;
  /** The faults its platform can have; the cases of the others are skipped, and say so (default: all). */
  faults?: readonly Fault[];
  /** Posts per page the adapter asks for: the suite writes several pages' worth. */
  pageSize: number;
  /** At most how many new posts one poll reads once the stream is under way (pages per poll × page). */
  perPoll: number;
  stream: { name: string; config: Record<string, unknown> };
  start(): Promise<void>;
  stop(): Promise<void>;
  /** A new adapter instance, as a restarted process makes. */
  adapter(): PlatformAdapter;
  /** A customer's post the stream must take (a complaint). */
  customerPost(i: number): void;
  /** The brand's own post, coming back in the stream (as a reply in a thread, a self-mention). */
  ownPost(): void;
  /** The next request fails this way ('lost_answer': the next post is made, and its answer lost). */
  fault(f: Fault): void;
  /** Replies the fake has been asked to post, all told. */
  replies(): number;
  /**
   * The author edits customer post `i` (where the platform has edits): a webhook delivery to store
   * when the platform pushes the edit, or nothing when the next poll reads it.
   */
  edit?(i: number, text: string): Promise<WebhookDelivery | void>;
  /** The author deletes customer post `i`: a delivery that says so, or nothing when the engagement read learns it. */
  remove?(i: number): Promise<WebhookDelivery | void>;
}

export type WebhookDelivery = { posts: NormalizedPost[]; gone: string[] };

/** A kit's webhook delivery, as the adapter reads it (signature checks are the webhook case's). */
export async function read(adapter: PlatformAdapter, body: unknown): Promise<WebhookDelivery> {
  const d = await adapter.webhook!.deliver(body);
  if ('refused' in d) throw new Error(`delivery refused: ${d.refused.message}`);
  return d;
}

const claims = (kit: Kit, f: Fault) => (kit.faults ?? ['rate_limit', 'server', 'reset', 'malformed', 'lost_answer']).includes(f);

/** Every case of the contract, for each kit: the ones a kit's platform cannot have are skipped, visibly. */
export function keepsTheContract(kits: ReadonlyArray<() => Kit>): void {
  describe.each(kits.map((make) => [make().name ?? make().platform, make] as const))('the %s adapter keeps the contract', (_name, make) => {
    let h: Harness;
    let kit: Kit;
    let adapter: PlatformAdapter;

    beforeAll(async () => {
      h = await createHarness({ adapters: () => ({}) });
    });
    afterAll(() => h.close());
    beforeEach(async () => {
      await h.reset();
      kit = make();
      await kit.start();
      adapter = kit.adapter();
    });
    afterEach(async () => {
      await adapter.close?.();
      await kit.stop();
    });

    const deps = (): PollerDeps => ({
      database: h.deps.database,
      adapters: { [kit.platform]: adapter },
      rulebook: h.deps.rulebook,
      log: silentLog,
      instanceId: 'conformance',
      alertAfterMs: 3_600_000,
    });
    const fresh = async (id: number): Promise<Stream> => (await h.deps.database.db.select().from(streams).where(eq(streams.id, id)))[0]!;
    const stored = async () => Number((await h.deps.database.db.select({ n: count() }).from(posts))[0]!.n);
    async function stream(): Promise<Stream> {
      const [s] = await h.deps.database.db.insert(streams).values({ platform: kit.platform, name: kit.stream.name, config: kit.stream.config }).returning();
      return s!;
    }
    /** One poll, as the scheduler runs it: undefined when it failed (the failure is on the stream). */
    const pollOnce = async (s: Stream) => pollStream(deps(), await fresh(s.id), new Date());
    /**
     * Polls as the scheduler would (without waiting) until two runs in a row end without storing
     * anything: a run may take several polls (pages), and may re-read an overlap.
     */
    async function drain(s: Stream): Promise<void> {
      let quiet = 0;
      for (let i = 0; i < 100; i++) {
        const summary = await pollOnce(s);
        if (!summary) throw new Error(`poll failed: ${(await fresh(s.id)).lastError}`);
        if (summary.stored > 0) quiet = 0;
        else if (!summary.more) quiet++;
        if (quiet === 2) return;
      }
      throw new Error('the stream did not drain');
    }
    const pages = (k: Kit) => 2 * k.pageSize + 7;

    it('reads page after page to the end, storing every post once', async () => {
      const n = pages(kit);
      for (let i = 0; i < n; i++) kit.customerPost(i);
      const s = await stream();
      await drain(s);
      expect(await stored()).toBe(n);
      const flagged = await h.deps.database.db.select({ n: count() }).from(cases);
      expect(Number(flagged[0]!.n)).toBe(n);
    });

    it('resumes after a restart in the middle of paging, losing and doubling nothing', async () => {
      kit.customerPost(0);
      const s = await stream();
      await drain(s);
      // More came in than one poll reads: the first poll reads part, then the process restarts.
      const n = kit.perPoll + 30;
      for (let i = 1; i <= n; i++) kit.customerPost(i);
      expect(await pollOnce(s)).toBeDefined();
      expect(await stored()).toBeGreaterThan(1);
      expect(await stored()).toBeLessThan(n + 1);
      await adapter.close?.();
      adapter = kit.adapter();
      // Posts written while it was down come in too.
      for (let i = n + 1; i <= n + 5; i++) kit.customerPost(i);
      await drain(s);
      expect(await stored()).toBe(n + 6);
    });

    it('waits out a 429 until the platform says the window resets, then reads on', async (ctx) => {
      if (!claims(kit, 'rate_limit')) return ctx.skip();
      for (let i = 0; i < 5; i++) kit.customerPost(i);
      const s = await stream();
      kit.fault('rate_limit');
      // Bluesky signs in first: the fault may fall on that call or the read after it; either is a 429.
      const before = Date.now();
      expect(await pollOnce(s)).toBeUndefined();
      const failed = await fresh(s.id);
      expect(failed.lastError).toMatch(/^rate_limit: /);
      expect(failed.nextPollAt!.getTime()).toBeGreaterThan(before);
      await drain(s);
      expect(await stored()).toBe(5);
      expect((await fresh(s.id)).consecutiveFailures).toBe(0);
    });

    it('backs off after a 5xx, and recovers', async (ctx) => {
      if (!claims(kit, 'server')) return ctx.skip();
      for (let i = 0; i < 5; i++) kit.customerPost(i);
      const s = await stream();
      kit.fault('server');
      const before = Date.now();
      expect(await pollOnce(s)).toBeUndefined();
      const failed = await fresh(s.id);
      expect(failed.lastError).toMatch(/^server: /);
      expect(failed.consecutiveFailures).toBe(1);
      // At least the lower half of the first back-off step (full jitter).
      expect(failed.nextPollAt!.getTime() - before).toBeGreaterThanOrEqual(backoffMs(1, () => 0) - 50);
      await drain(s);
      expect(await stored()).toBe(5);
    });

    it('takes a reset connection as a network failure to retry, naming what happened, not as fatal', async (ctx) => {
      if (!claims(kit, 'reset')) return ctx.skip();
      for (let i = 0; i < 5; i++) kit.customerPost(i);
      const s = await stream();
      kit.fault('reset');
      expect(await pollOnce(s)).toBeUndefined();
      const failed = await fresh(s.id);
      expect(failed.lastError).toMatch(/^network: /);
      expect(failed.lastError).toMatch(/ECONNRESET|socket hang up|other side closed|UND_ERR_SOCKET/i);
      await drain(s);
      expect(await stored()).toBe(5);
    });

    it('stores a post read twice once (a cursor lost, the same page again)', async () => {
      for (let i = 0; i < 12; i++) kit.customerPost(i);
      const s = await stream();
      await drain(s);
      await h.deps.database.db.update(streams).set({ cursor: null }).where(eq(streams.id, s.id));
      await drain(s);
      expect(await stored()).toBe(12);
    });

    it("never opens a case on the brand's own post coming back", async () => {
      kit.customerPost(0);
      kit.ownPost();
      kit.customerPost(1);
      const s = await stream();
      await drain(s);
      const own = await h.deps.database.db.select({ n: count() }).from(cases).innerJoin(posts, eq(posts.id, cases.postId)).where(eq(posts.isOwn, true));
      expect(Number(own[0]!.n)).toBe(0);
      // The brand's words are a complaint's (it quotes the customer): only being its own keeps them out.
      expect(Number((await h.deps.database.db.select({ n: count() }).from(cases))[0]!.n)).toBe(2);
      const notOwn = await h.deps.database.db.select({ text: posts.text }).from(posts).where(eq(posts.isOwn, false));
      expect(notOwn.filter((p) => p.text.includes('vaše riječi'))).toEqual([]);
    });

    it('sets aside an entry of the wrong shape and stores the rest', async (ctx) => {
      if (!claims(kit, 'malformed')) return ctx.skip();
      for (let i = 0; i < 4; i++) kit.customerPost(i);
      const s = await stream();
      kit.fault('malformed');
      await drain(s);
      // Nothing stalls: the stream is healthy, and what was well-formed is stored (the broken entry,
      // when it is a post at all, is read again whole on the next run or set aside with a reason).
      const after = await fresh(s.id);
      expect(after.lastError).toBeNull();
      expect(await stored()).toBeGreaterThanOrEqual(3);
      const setAside = await h.deps.database.db
        .select({ n: count() })
        .from(auditLog)
        .where(and(eq(auditLog.action, 'post.rejected')));
      expect((await stored()) + Number(setAside[0]!.n)).toBeGreaterThanOrEqual(4);
    });

    it('posts a reply whose answer was lost only once: the retry finds the first instead of posting again', async (ctx) => {
      if (!claims(kit, 'lost_answer')) return ctx.skip();
      kit.customerPost(0);
      const s = await stream();
      await drain(s);
      const [row] = await h.deps.database.db
        .select({ id: posts.platformPostId, conversation: posts.conversationId, handle: authors.handle })
        .from(posts)
        .innerJoin(authors, eq(authors.id, posts.authorId));
      const target = { platformPostId: row!.id, conversationId: row!.conversation, authorHandle: row!.handle };
      const text = `@${row!.handle} Pozdrav, provjeravamo vaš račun danas. – Iva`;
      kit.fault('lost_answer');
      const first = await adapter.reply(target, text, 'conformance-reply-1').catch((e: unknown) => e);
      expect(first).toBeInstanceOf(AdapterError);
      expect((first as AdapterError).kind).toBe('unknown_outcome');
      expect(kit.replies()).toBe(1);
      const again = await adapter.reply(target, text, 'conformance-reply-1', { mayHaveBeenSent: true });
      expect(again.platformReplyId).toBeTruthy();
      expect(kit.replies()).toBe(1);
    });

    it("takes the author's edit as the post's new words, and their delete as the post gone (where the platform has them)", async (ctx) => {
      if (!kit.edit && !kit.remove) return ctx.skip();
      kit.customerPost(0);
      kit.customerPost(1);
      const s = await stream();
      await drain(s);
      const take = async (d: WebhookDelivery | void, learn: () => Promise<unknown>) =>
        d
          ? storeDelivery({ database: h.deps.database, adapters: { [kit.platform]: adapter }, rulebook: h.deps.rulebook, log: silentLog }, kit.platform, d)
          : learn();
      if (kit.edit) {
        await take(await kit.edit(0, 'račun 0 su ispravili, ali internet i dalje ne radi'), () => drain(s));
        const words = (await h.deps.database.db.select({ text: posts.text }).from(posts)).map((p) => p.text);
        expect(words.filter((w) => w.includes('su ispravili'))).toHaveLength(1);
        // Still one case: an edit is not a new complaint.
        expect(Number((await h.deps.database.db.select({ n: count() }).from(cases))[0]!.n)).toBe(2);
      }
      if (kit.remove) {
        await take(await kit.remove(1), async () => {
          await h.deps.database.db.update(posts).set({ metricsDueAt: new Date(0) });
          await refreshEngagement(h.deps.database, { [kit.platform]: adapter }, silentLog);
        });
        const gone = await h.deps.database.db.select({ text: posts.text }).from(posts).where(isNotNull(posts.goneAt));
        expect(gone).toEqual([{ text: '' }]);
      }
    });

    it('refuses a webhook delivery with a forged or missing signature, and a challenge it cannot answer (where it takes webhooks)', async () => {
      const hook = adapter.webhook;
      if (!hook) return expect(hook).toBeUndefined();
      const body = Buffer.from(JSON.stringify({ forged: true }));
      expect(hook.verify(body, (name) => (name === hook.signatureHeader ? 'sha256=bm90IHRoZSBzaWduYXR1cmU=' : undefined))).toBe(false);
      expect(hook.verify(body, () => undefined)).toBe(false);
      expect(hook.challenge({}).status).not.toBe(200);
    });
  });
}
