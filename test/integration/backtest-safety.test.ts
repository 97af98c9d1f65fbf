import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NormalizedPost } from '../../adapters/types.ts';
import { backtests, streams } from '../../db/schema/index.ts';
import { loadPackText } from '../../rules/index.ts';
import { endInterruptedBacktests, startBacktest } from '../../src/backtest/jobs.ts';
import { ingest } from '../../src/ingest/ingest.ts';
import { createHarness, type Harness } from '../helpers/harness.ts';
import { waitFor } from '../helpers/process.ts';

/** The patterns that take a backtracking engine minutes on a post of 2,000 characters. */
const PATHOLOGICAL = ['.*.*.*.*z', '(a+)+$', '(a|a)*$', '(.*a){20}'];
const pack = `pack: hostile\nrules:\n${PATHOLOGICAL.map((p, i) => `  - id: r${i}\n    conditions: { regex: '${p}' }\n    actions: { flag: { reason: "r${i}" } }`).join('\n')}\n`;

let h: Harness;
let cm: Awaited<ReturnType<Harness['user']>>;
const POSTS = 3000;

beforeAll(async () => {
  h = await createHarness();
  cm = await h.user('community_manager', 'Maja CM');
  const [s] = await h.deps.database.db.select().from(streams).where(eq(streams.name, 'demo'));
  // Long posts of one letter, each ending in one other: the worst input for those patterns.
  const posts: NormalizedPost[] = Array.from({ length: POSTS }, (_, i) => ({
    platform: 'replay',
    platformPostId: `long-${i}`,
    author: { platformUserId: `a${i % 50}`, handle: `a${i % 50}` },
    text: `${'a'.repeat(1990)} ${i}!`,
    postedAt: new Date(Date.now() - 60_000),
    isOwn: false,
    isRepost: false,
    raw: {},
  }));
  for (let i = 0; i < posts.length; i += 500) await ingest(h.deps.database, h.deps.rulebook.current(), s!, { cursor: null, posts: posts.slice(i, i + 500) });
}, 300_000);
afterAll(() => h.close());

const row = async (id: number) => (await h.deps.database.db.select().from(backtests).where(eq(backtests.id, id)))[0]!;

describe('a backtest cannot freeze odziv', () => {
  it('runs a pack of pathological regexes over long posts in its own thread while the API keeps answering', async () => {
    const res = await h.request('POST', '/api/rules/backtest', { token: cm.token, json: { pack, since: '1d' } });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: number };
    // The API answers while the backtest is still running: the main thread is free.
    let answeredWhileRunning = 0;
    while ((await row(id)).status === 'running') {
      const health = await h.request('GET', '/health');
      const queue = await h.request('GET', '/api/cases?limit=5', { token: cm.token });
      expect(health.status).toBe(200);
      expect(queue.status).toBe(200);
      if ((await row(id)).status === 'running') answeredWhileRunning++;
      // In-process requests on the embedded database resolve without a turn of the event loop;
      // real clients' requests arrive as I/O, which lets the thread's answers in between.
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const done = await row(id);
    expect(done.error).toBeNull();
    expect(done.status).toBe('done');
    expect((done.result as { posts: number }).posts).toBeGreaterThanOrEqual(POSTS);
    expect(answeredWhileRunning).toBeGreaterThan(0);
  }, 300_000);

  it('ends a backtest that goes over its time budget as failed, with the reason', async () => {
    const candidate = loadPackText(pack, 'hostile.yaml').pack!;
    const id = await startBacktest(
      h.deps.database,
      h.deps.log,
      { live: h.deps.rulebook.current(), candidate, packText: pack, since: new Date(0), actor: cm },
      { ms: 1, heapMb: 256 },
    );
    await waitFor('the backtest to stop', async () => ((await row(id)).status !== 'running' ? true : undefined), 120_000);
    const b = await row(id);
    expect(b.status).toBe('failed');
    expect(b.error).toMatch(/went over its time budget of 0 s/);
  }, 300_000);

  it('can be cancelled, from the API, and says who cancelled it; a finished one cannot', async () => {
    const res = await h.request('POST', '/api/rules/backtest', { token: cm.token, json: { pack, since: '1d' } });
    const { id } = (await res.json()) as { id: number };
    const cancelled = await h.request('POST', `/api/rules/backtest/${id}/cancel`, { token: cm.token });
    // A fast machine may finish first; then cancelling is a conflict, and the backtest stays done.
    if (cancelled.status === 409) expect((await row(id)).status).toBe('done');
    else {
      expect(cancelled.status).toBe(200);
      expect(await cancelled.json()).toMatchObject({ status: 'failed', error: 'cancelled by Maja CM' });
      await new Promise((r) => setTimeout(r, 200));
      expect(await row(id)).toMatchObject({ status: 'failed', error: 'cancelled by Maja CM' });
    }
    expect((await h.request('POST', `/api/rules/backtest/${id}/cancel`, { token: cm.token })).status).toBe(409);
    expect((await h.request('POST', '/api/rules/backtest/987654321/cancel', { token: cm.token })).status).toBe(404);
  }, 300_000);

  it('a backtest left running by a process that died ends as failed: interrupted, and its page stops reloading', async () => {
    const [orphan] = await h.deps.database.db
      .insert(backtests)
      .values({ requestedBy: cm.id, packName: 'hostile', packText: pack, since: new Date(0), heartbeatAt: new Date(Date.now() - 10 * 60_000) })
      .returning({ id: backtests.id });
    const [fresh] = await h.deps.database.db
      .insert(backtests)
      .values({ requestedBy: cm.id, packName: 'hostile', packText: pack, since: new Date(0), heartbeatAt: new Date() })
      .returning({ id: backtests.id });
    expect(await endInterruptedBacktests(h.deps.database)).toBe(1);
    expect(await row(orphan!.id)).toMatchObject({ status: 'failed', error: expect.stringMatching(/^interrupted: odziv stopped/) });
    expect((await row(fresh!.id)).status).toBe('running');
    const got = await h.request('GET', `/api/rules/backtest/${orphan!.id}`, { token: cm.token });
    expect(await got.json()).toMatchObject({ status: 'failed', error: expect.stringMatching(/^interrupted/) });
    await h.deps.database.db.update(backtests).set({ status: 'done' }).where(eq(backtests.id, fresh!.id));
  });
});
