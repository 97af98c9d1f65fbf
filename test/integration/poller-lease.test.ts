import { eq } from 'drizzle-orm';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { PlatformAdapter, PollResult } from '../../adapters/types.ts';
import { type Stream, streams } from '../../db/schema/index.ts';
import { type PollerDeps, pollStream } from '../../src/ingest/poller.ts';
import { releaseOrphanedLeases } from '../../src/leases.ts';
import { createHarness, type Harness, silentLog } from '../helpers/harness.ts';

/** A replay-platform adapter whose first poll waits until the test lets it finish. */
function gatedAdapter() {
  let polls = 0;
  let open: () => void = () => {};
  let entered: () => void = () => {};
  const inside = new Promise<void>((r) => (entered = r));
  const adapter: PlatformAdapter = {
    platform: 'replay',
    maxReplyLength: 280,
    async poll(): Promise<PollResult> {
      if (++polls === 1) {
        entered();
        await new Promise<void>((r) => (open = r));
      }
      return { posts: [], cursor: `polled-${polls}` };
    },
    async reply() {
      throw new Error('not used');
    },
  };
  return { adapter, polls: () => polls, inside, finish: () => open() };
}

describe('stream leases: one poller per stream, and a dead poller does not hold it long', () => {
  let h: Harness;
  const h0 = createHarness({ adapters: () => ({}) }).then((x) => (h = x));
  afterAll(async () => (await h0).close());
  beforeEach(async () => {
    await h0;
    await h.reset();
  });

  const stream = async (): Promise<Stream> => (await h.deps.database.db.select().from(streams).where(eq(streams.name, 'demo')))[0]!;
  const deps = (adapter: PlatformAdapter, instanceId: string, leaseMs?: number): PollerDeps => ({
    database: h.deps.database,
    adapters: { replay: adapter },
    rulebook: h.deps.rulebook,
    log: silentLog,
    instanceId,
    leaseMs,
  });

  it('a poll that runs longer than the lease renews it, so another instance does not poll the stream meanwhile', async () => {
    const g = gatedAdapter();
    const first = pollStream(deps(g.adapter, 'a', 2_000), await stream());
    await g.inside;
    // Two and a half lease periods: without renewal the lease would have run out twice over.
    await new Promise((r) => setTimeout(r, 5_000));
    expect(await pollStream(deps(g.adapter, 'b', 2_000), await stream())).toBeUndefined();
    expect(g.polls()).toBe(1);
    g.finish();
    await first;
    const after = await stream();
    expect(after.cursor).toBe('polled-1');
    expect(after.leaseOwner).toBeNull();
  }, 15_000);

  it('a lease left by a process that died is given back at start-up on the embedded database', async () => {
    const s = await stream();
    await h.deps.database.db
      .update(streams)
      .set({ leaseOwner: 'killed-instance', leaseUntil: new Date(Date.now() + 60_000) })
      .where(eq(streams.id, s.id));
    const g = gatedAdapter();
    expect(await pollStream(deps(g.adapter, 'restarted'), await stream())).toBeUndefined();
    expect(g.polls()).toBe(0);

    await releaseOrphanedLeases(h.deps.database);
    const polled = pollStream(deps(g.adapter, 'restarted'), await stream());
    await g.inside;
    g.finish();
    expect(await polled).toMatchObject({ received: 0 });
    expect(g.polls()).toBe(1);
  });
});
