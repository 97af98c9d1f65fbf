import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AdapterError } from '../../adapters/errors.ts';
import type { PlatformAdapter, ReplyTarget, SentReply } from '../../adapters/types.ts';
import { auditLog, cases, replies } from '../../db/schema/index.ts';
import { MAX_ATTEMPTS } from '../../src/queue/replies.ts';
import { clockedReplay } from '../helpers/clock-replay.ts';
import { createHarness, type Harness } from '../helpers/harness.ts';

/**
 * A replay adapter whose reply() can be told to fail the way platforms fail. It keeps the
 * platform's view: which replies were really posted, by idempotency key.
 */
function flakyAdapter(inner: PlatformAdapter) {
  const posted = new Map<string, SentReply>();
  const plan: Array<'ok' | 'rate_limit' | 'server' | 'auth' | 'lost_response' | 'hold'> = [];
  /** A 'hold' step waits here before it posts: a send slow enough to outlive its lease. */
  const hold = { entered: false, release: () => {} };
  const adapter: PlatformAdapter = {
    platform: 'replay',
    maxReplyLength: 280,
    poll: (s, c) => inner.poll(s, c),
    async reply(_target: ReplyTarget, _text: string, key: string) {
      const step = plan.shift() ?? 'ok';
      if (step === 'hold') {
        await new Promise<void>((resolve) => {
          hold.release = resolve;
          hold.entered = true;
        });
      }
      if (step === 'rate_limit') throw new AdapterError('replay', 'rate_limit', '429 Too Many Requests', 1_000);
      if (step === 'server') throw new AdapterError('replay', 'server', '503 Service Unavailable');
      if (step === 'auth') throw new AdapterError('replay', 'auth', '401 invalid token');
      // Check for an earlier reply with this key before posting again (what a real adapter does).
      const earlier = posted.get(key);
      if (earlier) return earlier;
      const sent = { platformReplyId: `p-${posted.size + 1}`, url: `https://example.invalid/${posted.size + 1}` };
      posted.set(key, sent);
      if (step === 'lost_response') throw new AdapterError('replay', 'unknown_outcome', 'timed out after sending');
      return sent;
    },
  };
  return { adapter, posted, plan, hold };
}

let h: Harness;
const clock = clockedReplay();
let flaky: ReturnType<typeof flakyAdapter>;
let userId: number;
let token: string;

beforeAll(async () => {
  h = await createHarness({
    adapters: (dir) => {
      flaky = flakyAdapter(clock.adapters(dir).replay);
      return { replay: flaky.adapter };
    },
  });
});
afterAll(() => h.close());
beforeEach(async () => {
  await h.reset();
  flaky.posted.clear();
  flaky.plan.length = 0;
  await h.pollOnce();
  clock.advance(30_000);
  await h.pollOnce();
  const u = await h.user('responder');
  userId = u.id;
  token = u.token;
});

async function queueReply(): Promise<number> {
  const [c] = await h.deps.database.db.select().from(cases).where(eq(cases.status, 'open')).limit(1);
  await h.request('POST', `/api/cases/${c!.id}/claim`, { token });
  const res = await h.request('POST', `/api/cases/${c!.id}/replies`, { token, json: { text: 'Pozdrav, javljamo se odmah. – Ana' } });
  expect(res.status).toBe(202);
  return ((await res.json()) as { reply: { id: number } }).reply.id;
}
const row = async (id: number) => (await h.deps.database.db.select().from(replies).where(eq(replies.id, id)))[0]!;
/** Makes every pending reply due now (skips the back-off wait). */
const makeDue = () => h.deps.database.db.update(replies).set({ availableAt: sql`now() - interval '1 second'` });

describe('replies outbox', () => {
  it('retries after a rate limit and a 5xx, then posts exactly once', async () => {
    flaky.plan.push('rate_limit', 'server', 'ok');
    const id = await queueReply();
    await h.deliver();
    expect(await row(id)).toMatchObject({ status: 'pending', attempts: 1, lastError: 'rate_limit: 429 Too Many Requests' });
    await h.deliver();
    expect((await row(id)).status).toBe('pending'); // the rate limit's wait has not passed
    await makeDue();
    await h.deliver();
    expect(await row(id)).toMatchObject({ status: 'pending', attempts: 2 });
    await makeDue();
    await h.deliver();
    expect(await row(id)).toMatchObject({ status: 'sent', attempts: 3, platformReplyId: 'p-1', lastError: null });
    expect(flaky.posted.size).toBe(1);
    void userId;
  });

  it('a send that outlives its lease is taken over once, and the first instance then does not write "sent" over the second', async () => {
    flaky.plan.push('hold');
    flaky.hold.entered = false;
    const id = await queueReply();
    const first = h.deliver();
    for (let i = 0; i < 500 && !flaky.hold.entered; i++) await new Promise((r) => setTimeout(r, 10));
    expect(flaky.hold.entered).toBe(true);
    // The first instance's lease runs out while its platform call hangs; another instance takes the reply.
    await h.deps.database.db.update(replies).set({ lockedUntil: sql`now() - interval '1 second'` }).where(eq(replies.id, id));
    expect(await h.deliver()).toBe(1);
    expect(await row(id)).toMatchObject({ status: 'sent', attempts: 2 });
    flaky.hold.release();
    await first;
    expect(flaky.posted.size).toBe(1);
    const sentEntries = await h.deps.database.db.select().from(auditLog).where(eq(auditLog.action, 'reply.sent'));
    expect(sentEntries).toHaveLength(1);
    expect(await row(id)).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it("marks a reply failed, with the platform's reason, when retrying cannot help", async () => {
    flaky.plan.push('auth');
    const id = await queueReply();
    await h.deliver();
    await makeDue();
    await h.deliver();
    expect(await row(id)).toMatchObject({ status: 'failed', attempts: 1, lastError: 'auth: 401 invalid token' });
    expect(flaky.posted.size).toBe(0);
  });

  it('after an unknown outcome, finds the earlier reply instead of posting twice', async () => {
    flaky.plan.push('lost_response');
    const id = await queueReply();
    await h.deliver();
    expect((await row(id)).status).toBe('pending');
    await makeDue();
    await h.deliver();
    expect(await row(id)).toMatchObject({ status: 'sent', platformReplyId: 'p-1' });
    expect(flaky.posted.size).toBe(1);
  });

  it('picks up a reply whose worker died mid-send, once its lease has run out', async () => {
    const id = await queueReply();
    // A worker took it and crashed: status "sending" with a lease in the past.
    await h.deps.database.db.update(replies).set({ status: 'sending', attempts: 1, lockedUntil: sql`now() - interval '1 second'` }).where(eq(replies.id, id));
    await h.deliver();
    expect(await row(id)).toMatchObject({ status: 'sent', attempts: 2 });
    expect(flaky.posted.size).toBe(1);
  });

  it('dead-letters a reply after the last attempt', async () => {
    const id = await queueReply();
    await h.deps.database.db
      .update(replies)
      .set({ attempts: MAX_ATTEMPTS - 1 })
      .where(eq(replies.id, id));
    flaky.plan.push('server');
    await h.deliver();
    expect(await row(id)).toMatchObject({ status: 'dead', attempts: MAX_ATTEMPTS });
  });
});
