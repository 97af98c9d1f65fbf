import { and, eq, isNotNull, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { NormalizedPost } from '../../adapters/types.ts';
import { alertDeliveries, alerts, cases, posts, streams } from '../../db/schema/index.ts';
import { slackChannel } from '../../src/alerts/channels/http.ts';
import { buildDigest, raiseDigest } from '../../src/alerts/digest.ts';
import { deliverAlerts, enqueueDeliveries, escalateUnacknowledged } from '../../src/alerts/outbox.ts';
import { detectSpikes } from '../../src/alerts/spikes.ts';
import { parseQuietHours } from '../../src/calendar/quiet-hours.ts';
import { ingest } from '../../src/ingest/ingest.ts';
import { refreshEngagement } from '../../src/ingest/metrics.ts';
import { useClockedHarness } from '../helpers/clock-replay.ts';
import { silentLog } from '../helpers/harness.ts';
import { receiver, useReceiver } from '../helpers/receiver.ts';

const MIN = 60_000;
const demo = useClockedHarness();
const { clock } = demo;

let seq = 0;
const post = (text: string, postedAt: Date): NormalizedPost => {
  const id = String(++seq);
  return {
    platform: 'replay',
    platformPostId: `p${id}`,
    author: { platformUserId: `a${id}`, handle: `user${id}`, followers: 50 },
    text,
    postedAt,
    isOwn: false,
    isRepost: false,
    raw: {},
  };
};
async function ingestAt(list: NormalizedPost[], now: Date) {
  const [s] = await demo.h.deps.database.db.select().from(streams).where(eq(streams.name, 'demo'));
  return ingest(demo.h.deps.database, demo.h.deps.rulebook.current(), s!, { posts: list, cursor: `c${seq}` }, now);
}

describe('spike detection from ingested posts', () => {
  it('raises ONE alert for an outage that shows under several keys, grouping its posts, and updates it as it grows', async () => {
    const now = new Date('2026-11-20T03:10:00Z');
    // Three quiet hours: a billing complaint every 15 minutes.
    const background = Array.from({ length: 12 }, (_, i) =>
      post(`Opet ste mi naplatili dodatnu naknadu, sramota ${i}`, new Date(now.getTime() - 180 * MIN + i * 15 * MIN)),
    );
    await ingestAt(background, now);
    expect(await detectSpikes(demo.h.deps.database, now)).toBe(0);

    // Then, in eight minutes, twelve people say the service is down (Latin and Cyrillic).
    const texts = [
      'Internet opet ne radi!!',
      'kod mene isto ne radi internet',
      'Интернет опет не ради',
      '@VedraTel ne radi mi ništa od jutros',
      'ne radi net, a plaćam redovno',
    ];
    const outage = Array.from({ length: 12 }, (_, i) => post(`${texts[i % texts.length]} (${i})`, new Date(now.getTime() - 8 * MIN + i * 40_000)));
    const summary = await ingestAt(outage, now);
    expect(summary.stored).toBe(12);
    expect(await detectSpikes(demo.h.deps.database, now)).toBe(1);
    const [spike, ...more] = await demo.h.deps.database.db.select().from(alerts).where(eq(alerts.kind, 'spike'));
    expect(more).toHaveLength(0);
    expect(spike!.audience).toBe('marketing');
    expect(spike!.title).toContain('"ne radi"');
    const d = spike!.details as { keys: string[]; postIds: number[]; count: number; samples: Array<{ text: string }> };
    expect(d.keys).toEqual(expect.arrayContaining(['keyword:ne radi', 'category:broken']));
    const outageIds = (await demo.h.deps.database.db.select({ id: posts.id, text: posts.text }).from(posts))
      .filter((p) => /ne radi|не ради/.test(p.text))
      .map((p) => p.id);
    expect(outageIds).toHaveLength(12);
    expect(d.postIds).toEqual(expect.arrayContaining(outageIds));
    expect(d.samples.length).toBeGreaterThan(0);

    // A minute later three more: the same alert grows, no second one.
    const later = new Date(now.getTime() + MIN);
    await ingestAt([post('ne radi i dalje', later), post('i meni ne radi', later), post('ne radi u Splitu', later)], later);
    expect(await detectSpikes(demo.h.deps.database, later)).toBe(0);
    const [updated] = await demo.h.deps.database.db.select().from(alerts).where(eq(alerts.kind, 'spike'));
    expect(updated!.id).toBe(spike!.id);
    expect((updated!.details as { count: number }).count).toBeGreaterThan(d.count);
  });

  it('keeps one incident told in two wordings (and two languages) as ONE alert, by its shared topic', async () => {
    const now = new Date('2026-11-20T14:10:00Z');
    await ingestAt(
      Array.from({ length: 12 }, (_, i) => post(`Internet opet ne radi ${i}`, new Date(now.getTime() - 180 * MIN + i * 15 * MIN))),
      now,
    );
    const a = Array.from({ length: 6 }, (_, i) => post(`You charged my card twice this month (${i})`, new Date(now.getTime() - 8 * MIN + i * 60_000)));
    const b = Array.from({ length: 6 }, (_, i) => post(`Račun mi je duplo veći nego inače (${i})`, new Date(now.getTime() - 8 * MIN + i * 60_000 + 20_000)));
    await ingestAt([...a, ...b], now);
    expect(await detectSpikes(demo.h.deps.database, now)).toBe(1);
    const [only, ...rest] = await demo.h.deps.database.db.select().from(alerts).where(eq(alerts.kind, 'spike'));
    expect(rest).toHaveLength(0);
    const d = only!.details as { keys: string[]; category?: string; postIds: number[] };
    expect(d.keys).toEqual(expect.arrayContaining(['keyword:charged', 'keyword:račun', 'category:billing']));
    expect(d.category).toBe('category:billing');
    expect(d.postIds.length).toBe(12);
  });

  it('stays quiet while the volume is what this hour usually has', async () => {
    const now = new Date('2026-11-20T20:10:00Z');
    // Every day of the last week, ten billing complaints in the evening hour; today the same.
    const history = [];
    for (let day = 0; day <= 4; day++)
      for (let i = 0; i < 10; i++) history.push(post(`Naplatili ste mi dvaput ${day}-${i}`, new Date(now.getTime() - day * 86_400_000 - 9 * MIN + i * 50_000)));
    await ingestAt(history, now);
    expect(await detectSpikes(demo.h.deps.database, now)).toBe(0);
  });
});

describe('quiet hours and escalation', () => {
  const r = useReceiver();
  const policy = { quietHours: parseQuietHours('Europe/Zagreb 22:00-07:00') };
  const night = new Date('2026-11-22T22:10:00Z'); // 23:10 in Zagreb
  const add = async (key: string, severity: 'normal' | 'urgent') =>
    (
      await demo.h.deps.database.db
        .insert(alerts)
        .values({ kind: 'viral', audience: 'marketing', dedupKey: key, title: `viral ${key}`, severity, createdAt: night, updatedAt: night })
        .returning()
    )[0]!;

  it('holds normal alerts until the quiet hours end; urgent ones go at once', async () => {
    const channels = { slack: slackChannel({ marketing: `${r.url}/m` }) };
    await add('calm', 'normal');
    await add('fire', 'urgent');
    expect(await enqueueDeliveries(demo.h.deps.database, channels, night, policy)).toBe(2);
    await deliverAlerts(demo.h.deps.database, channels, silentLog, night);
    expect(r.hook.got.map((g) => JSON.parse(g.body).text)).toEqual([expect.stringContaining('URGENT: viral fire')]);
    await deliverAlerts(demo.h.deps.database, channels, silentLog, new Date('2026-11-23T05:59:00Z'));
    expect(r.hook.got).toHaveLength(1);
    await deliverAlerts(demo.h.deps.database, channels, silentLog, new Date('2026-11-23T06:00:30Z'));
    expect(r.hook.got.map((g) => JSON.parse(g.body).text)).toEqual([expect.stringContaining('viral fire'), expect.stringContaining('viral calm')]);
  });

  it('escalates an alert nobody acknowledged, once, to the escalation contact; not an acknowledged one', async () => {
    const channels = { slack: slackChannel({ marketing: `${r.url}/m`, escalation: `${r.url}/boss` }) };
    const day = new Date('2026-11-23T10:00:00Z');
    const ignored = (
      await demo.h.deps.database.db.insert(alerts).values({ kind: 'spike', audience: 'marketing', dedupKey: 's1', title: 'spike one' }).returning()
    )[0]!;
    const seen = (
      await demo.h.deps.database.db.insert(alerts).values({ kind: 'spike', audience: 'marketing', dedupKey: 's2', title: 'spike two' }).returning()
    )[0]!;
    await enqueueDeliveries(demo.h.deps.database, channels, day, policy);
    await deliverAlerts(demo.h.deps.database, channels, silentLog, day);
    expect(r.hook.got.map((g) => g.path)).toEqual(['/m', '/m']);
    await demo.h.deps.database.db.update(alerts).set({ status: 'acknowledged' }).where(eq(alerts.id, seen.id));

    expect(await escalateUnacknowledged(demo.h.deps.database, channels, 30 * MIN, new Date(day.getTime() + 29 * MIN), policy)).toBe(0);
    const late = new Date(day.getTime() + 31 * MIN);
    expect(await escalateUnacknowledged(demo.h.deps.database, channels, 30 * MIN, late, policy)).toBe(1);
    expect(await escalateUnacknowledged(demo.h.deps.database, channels, 30 * MIN, late, policy)).toBe(0);
    await deliverAlerts(demo.h.deps.database, channels, silentLog, late);
    const boss = r.hook.got.filter((g) => g.path === '/boss');
    expect(boss).toHaveLength(1);
    expect(JSON.parse(boss[0]!.body).text).toContain('ESCALATED (not acknowledged): spike one');
    const [esc] = await demo.h.deps.database.db
      .select()
      .from(alertDeliveries)
      .where(and(eq(alertDeliveries.alertId, ignored.id), eq(alertDeliveries.round, 'escalation')));
    expect(esc!.status).toBe('sent');
  });

  it('does not send an escalation that was acknowledged while it waited', async () => {
    const channels = { slack: slackChannel({ marketing: `${r.url}/m` }) };
    const a = (
      await demo.h.deps.database.db.insert(alerts).values({ kind: 'viral', audience: 'marketing', dedupKey: 'v9', title: 'viral nine' }).returning()
    )[0]!;
    const t = new Date('2026-11-23T12:00:00Z');
    await enqueueDeliveries(demo.h.deps.database, channels, t);
    await deliverAlerts(demo.h.deps.database, channels, silentLog, t);
    await escalateUnacknowledged(demo.h.deps.database, channels, 30 * MIN, new Date(t.getTime() + 40 * MIN));
    await demo.h.deps.database.db.update(alerts).set({ status: 'acknowledged' }).where(eq(alerts.id, a.id));
    await deliverAlerts(demo.h.deps.database, channels, silentLog, new Date(t.getTime() + 41 * MIN));
    expect(r.hook.got).toHaveLength(1);
    const [esc] = await demo.h.deps.database.db.select().from(alertDeliveries).where(eq(alertDeliveries.round, 'escalation'));
    expect(esc!.status).toBe('cancelled');
  });
});

describe('adaptive engagement refresh', () => {
  it('reads every open case once, then only the posts that are due, hot ones first', async () => {
    await demo.h.pollOnce();
    clock.advance(60_000);
    await demo.h.pollOnce();
    const first = await refreshEngagement(demo.h.deps.database, demo.h.deps.adapters, silentLog, clock.now());
    expect(first).toBeGreaterThan(5);
    const scheduled = await demo.h.deps.database.db.select({ due: posts.metricsDueAt }).from(posts).where(isNotNull(posts.metricsDueAt));
    expect(scheduled).toHaveLength(first);
    // Nothing is due at the same instant.
    expect(await refreshEngagement(demo.h.deps.database, demo.h.deps.adapters, silentLog, clock.now())).toBe(0);
    // 16 s later only the hot ones are read again.
    clock.advance(16_000);
    const hot = await refreshEngagement(demo.h.deps.database, demo.h.deps.adapters, silentLog, clock.now());
    expect(hot).toBeGreaterThan(0);
    expect(hot).toBeLessThan(first);
    // Two minutes later the rest (young posts are read at least every minute).
    clock.advance(120_000);
    expect(await refreshEngagement(demo.h.deps.database, demo.h.deps.adapters, silentLog, clock.now())).toBe(first);
  });
});

describe('daily digest', () => {
  it('sums up the day for marketing once: volume, topics, response times, worst and best cases', async () => {
    await demo.h.pollOnce();
    clock.advance(120_000);
    await demo.h.pollOnce();
    const db = demo.h.deps.database.db;
    const all = await db.select().from(cases);
    expect(all.length).toBeGreaterThan(5);
    // Two answered fast, one answered an hour late.
    const [a, b, c] = all.sort((x, y) => y.priority - x.priority);
    await db.update(cases).set({ firstResponseAt: sql`created_at + interval '3 minutes'`, status: 'replied' }).where(eq(cases.id, a!.id));
    await db.update(cases).set({ firstResponseAt: sql`created_at + interval '5 minutes'`, status: 'replied' }).where(eq(cases.id, b!.id));
    await db.update(cases).set({ firstResponseAt: sql`due_at + interval '60 minutes'`, status: 'replied' }).where(eq(cases.id, c!.id));
    // Closed without a reply long past its due time (a false alarm): not among the worst handled.
    const [d] = all.slice(3);
    await db
      .update(cases)
      .set({ dueAt: sql`created_at - interval '2 hours'`, status: 'resolved', resolvedAt: sql`now()`, falseAlarm: true })
      .where(eq(cases.id, d!.id));
    const now = new Date();
    const day = { from: new Date(Date.now() - 86_400_000), to: new Date(Date.now() + 3_600_000), label: 'test-day' };
    const digest = await buildDigest(demo.h.deps.database, day, now);
    const stored = Number((await demo.h.deps.database.rows<{ n: number }>(sql`select count(*)::int as n from posts where not is_own`))[0]!.n);
    expect((digest.details.volume as { posts: number }).posts).toBe(stored);
    expect((digest.details.response as { answered: number }).answered).toBe(3);
    // Nothing else is past its due time yet: the late answer is the worst, the fastest the best.
    expect(digest.details.worst).toEqual([c!.id]);
    expect(a!.priority).toBeGreaterThanOrEqual(50);
    expect((digest.details.best as number[])[0]).toBe(a!.id);
    expect(digest.details.best).not.toContain(c!.id);
    expect(digest.summary).toMatch(/Top complaint topics: \w+ \d+/);
    expect(digest.summary).toContain('Worst handled:');
    expect(digest.summary).toMatch(new RegExp(`#${c!.id} p\\d+ \\S+ @\\S+ \\(replied, answered in `));

    expect(await raiseDigest(demo.h.deps.database, 'Europe/Zagreb')).toBe(true);
    expect(await raiseDigest(demo.h.deps.database, 'Europe/Zagreb')).toBe(false);
    const hook = receiver();
    const url = await hook.start();
    try {
      const channels = { slack: slackChannel({ marketing: url }) };
      await enqueueDeliveries(demo.h.deps.database, channels);
      await deliverAlerts(demo.h.deps.database, channels, silentLog, new Date(Date.now() + 1000));
      expect(hook.got).toHaveLength(1);
      expect(JSON.parse(hook.got[0]!.body).text).toMatch(/Daily digest \d{4}-\d{2}-\d{2}/);
    } finally {
      await hook.stop();
    }
  });
});
