import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NormalizedPost } from '../../adapters/types.ts';
import { alerts, analyses, cases, posts, streams } from '../../db/schema/index.ts';
import { loadConfig } from '../../src/config.ts';
import { ingest } from '../../src/ingest/ingest.ts';
import { forgetPastRetention } from '../../src/privacy/retention.ts';
import { createHarness, type Harness } from '../helpers/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

const DAY = 86_400_000;
const post = (id: string, text: string, daysAgo: number, over: Partial<NormalizedPost> = {}): NormalizedPost => ({
  platform: 'replay',
  platformPostId: id,
  author: { platformUserId: `a-${id}`, handle: `user${id}`, followers: 120 },
  text,
  postedAt: new Date(Date.now() - daysAgo * DAY),
  isOwn: false,
  isRepost: false,
  raw: { id, text },
  ...over,
});

describe('retention: customers’ words kept no longer than the brand decided', () => {
  it('forgets old words, keeps the numbers, and keeps what someone still works on with its thread', async () => {
    const [s] = await h.deps.database.db.select().from(streams).where(eq(streams.name, 'demo'));
    await ingest(h.deps.database, h.deps.rulebook.current(), s!, {
      cursor: 'r',
      posts: [
        post('old-done', 'Internet ne radi tri dana, sramota!', 100),
        post('old-chatter', 'Lijep dan danas u Splitu.', 100),
        post('old-open', 'Račun mi je duplo naplaćen, sramota!', 100, { conversationId: 'conv-open' }),
        post('old-thread', 'I još uvijek čekam odgovor.', 99, {
          conversationId: 'conv-open',
          inReplyToId: 'old-open',
          author: { platformUserId: 'a-old-open', handle: 'userold-open' },
        }),
        post('new', 'Opet ne radi internet, sramota!', 2),
      ],
    });
    const byId = async () => new Map((await h.deps.database.db.select().from(posts)).map((p) => [p.platformPostId, p]));
    const before = await byId();
    const caseOf = async (pid: string) =>
      (
        await h.deps.database.db
          .select()
          .from(cases)
          .where(eq(cases.postId, before.get(pid)!.id))
      )[0]!;
    const done = await caseOf('old-done');
    await h.deps.database.db.update(cases).set({ status: 'resolved', resolvedAt: new Date() }).where(eq(cases.id, done.id));
    expect((await caseOf('old-open')).status).toBe('open');
    const [scoreBefore] = await h.deps.database.db
      .select()
      .from(analyses)
      .where(eq(analyses.postId, before.get('old-done')!.id));
    await h.deps.database.db.insert(alerts).values({
      kind: 'spike',
      audience: 'marketing',
      dedupKey: 'spike:old',
      title: 'Spike',
      details: {
        samples: [{ postId: before.get('old-done')!.id, caseId: done.id, handle: 'userold-done', text: 'Internet ne radi tri dana, sramota!', url: null }],
      },
    });

    expect(await forgetPastRetention(h.deps.database, 30)).toBe(2);
    const after = await byId();
    for (const gone of ['old-done', 'old-chatter']) expect(after.get(gone)).toMatchObject({ text: '', raw: {} });
    for (const kept of ['old-open', 'old-thread', 'new']) expect(after.get(kept)!.text).toBe(before.get(kept)!.text);
    // The numbers stay: the dashboards and response times still add up.
    const [scoreAfter] = await h.deps.database.db
      .select()
      .from(analyses)
      .where(eq(analyses.postId, before.get('old-done')!.id));
    expect(scoreAfter).toMatchObject({ complaint: scoreBefore!.complaint, isComplaint: scoreBefore!.isComplaint, evidence: {} });
    expect((await caseOf('old-done')).status).toBe('resolved');
    const [spike] = await h.deps.database.db.select().from(alerts).where(eq(alerts.dedupKey, 'spike:old'));
    expect(JSON.stringify(spike!.details)).not.toContain('tri dana');

    // Nothing left to do on the next run; once the case is resolved, its thread goes too.
    expect(await forgetPastRetention(h.deps.database, 30)).toBe(0);
    await h.deps.database.db
      .update(cases)
      .set({ status: 'resolved', resolvedAt: new Date() })
      .where(eq(cases.id, (await caseOf('old-open')).id));
    expect(await forgetPastRetention(h.deps.database, 30)).toBe(2);
    expect((await byId()).get('new')!.text).toBe('Opet ne radi internet, sramota!');
  });

  it('is off unless ODZIV_RETENTION_DAYS says how long, and refuses a period it cannot mean', () => {
    expect(loadConfig({}).ODZIV_RETENTION_DAYS).toBeUndefined();
    expect(loadConfig({ ODZIV_RETENTION_DAYS: '365' }).ODZIV_RETENTION_DAYS).toBe(365);
    for (const bad of ['3', 'a year', '36.5'])
      expect(() => loadConfig({ ODZIV_RETENTION_DAYS: bad })).toThrow(/ODZIV_RETENTION_DAYS: expected a (whole )?number of days from 7 to 3650/);
  });
});
