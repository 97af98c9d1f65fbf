import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { alerts } from '../../db/schema/index.ts';
import { atLocal, localTime } from '../calendar/zone.ts';

/** The calendar day before `now` in a time zone, as instants [from, to) and its label (YYYY-MM-DD). */
export function yesterday(now: Date, timeZone: string): { from: Date; to: Date; label: string } {
  const l = localTime(now, timeZone);
  const label = new Date(Date.UTC(l.year, l.month, l.day - 1)).toISOString().slice(0, 10);
  return { from: atLocal(l.year, l.month, l.day - 1, 0, timeZone), to: atLocal(l.year, l.month, l.day, 0, timeZone), label };
}

interface CaseLine {
  id: number;
  priority: number;
  category: string | null;
  handle: string;
  text: string;
  minutes: number | null;
  status: string;
  answered: boolean;
}

export interface Digest {
  title: string;
  summary: string;
  details: Record<string, unknown>;
}

const fmtMin = (m: number | null | undefined) => (m === null || m === undefined ? '–' : m < 90 ? `${Math.round(m)} min` : `${(m / 60).toFixed(1)} h`);

/**
 * Marketing's morning read: the day's volume, what customers complained about, how fast they
 * were answered, and the worst and the best handled cases (so both get looked at).
 */
export async function buildDigest(database: Database, day: { from: Date; to: Date; label: string }, now = new Date()): Promise<Digest> {
  const { from, to } = day;
  const [volume] = await database.rows<{ posts: number; complaints: number; negative: number }>(sql`
    select count(*)::int as posts, count(*) filter (where a.is_complaint)::int as complaints, count(*) filter (where a.negative)::int as negative
    from posts p join analyses a on a.post_id = p.id
    where p.posted_at >= ${from} and p.posted_at < ${to} and not p.is_own`);
  const languages = await database.rows<{ language: string; n: number }>(sql`
    select a.language, count(*)::int as n from posts p join analyses a on a.post_id = p.id
    where p.posted_at >= ${from} and p.posted_at < ${to} and not p.is_own and a.is_complaint group by 1 order by 2 desc`);
  const topics = await database.rows<{ topic: string; n: number; weekly: number }>(sql`
    select c.topic, count(*) filter (where p.posted_at >= ${from})::int as n,
           (count(*) filter (where p.posted_at < ${from}))::float / 7 as weekly
    from posts p join analyses a on a.post_id = p.id cross join lateral jsonb_array_elements_text(a.categories) as c(topic)
    where p.posted_at >= ${new Date(from.getTime() - 7 * 86_400_000)} and p.posted_at < ${to} and a.is_complaint and not p.is_own
      and c.topic not in ('praise', 'question')
    group by 1 order by 2 desc limit 5`);
  const keywords = await database.rows<{ key: string; n: number }>(sql`
    select substr(key, 9) as key, sum(count)::int as n from volume_buckets
    where key like 'keyword:%' and bucket >= ${from} and bucket < ${to} group by key order by 2 desc limit 5`);
  const [times] = await database.rows<{ opened: number; answered: number; p50: number | null; p90: number | null; within: number | null; waiting: number }>(sql`
    select count(*)::int as opened, count(first_response_at)::int as answered,
           percentile_cont(0.5) within group (order by extract(epoch from (first_response_at - created_at)) / 60) as p50,
           percentile_cont(0.9) within group (order by extract(epoch from (first_response_at - created_at)) / 60) as p90,
           avg(case when first_response_at is null then null when first_response_at <= due_at then 1.0 else 0.0 end) as within,
           count(*) filter (where first_response_at is null and status <> 'resolved')::int as waiting
    from cases where created_at >= ${from} and created_at < ${to}`);
  // Raw rows: bigint ids and numerics come back as strings on PostgreSQL, as numbers on PGlite.
  const caseLines = async (order: ReturnType<typeof sql>, where: ReturnType<typeof sql>) =>
    (
      await database.rows<CaseLine>(sql`
      select c.id, c.priority, c.category, au.handle, left(p.text, 140) as text, c.status, c.first_response_at is not null as answered,
             extract(epoch from (coalesce(c.first_response_at, ${now}) - c.created_at)) / 60 as minutes
      from cases c join posts p on p.id = c.post_id join authors au on au.id = p.author_id
      where c.created_at >= ${from} and c.created_at < ${to} and ${where}
      order by ${order} limit 3`)
    ).map((c) => ({ ...c, id: Number(c.id), priority: Number(c.priority), minutes: c.minutes === null ? null : Number(c.minutes) }));
  // Worst: the longest past their due time (answered late or still waiting), most important first.
  // A case closed without a reply (a false alarm, or handled elsewhere) is not waiting.
  const worst = await caseLines(
    sql`coalesce(c.first_response_at, ${now}) - c.due_at desc, c.priority desc`,
    sql`coalesce(c.first_response_at, ${now}) > c.due_at and (c.first_response_at is not null or c.status <> 'resolved')`,
  );
  // Best: important cases answered fastest.
  const best = await caseLines(
    sql`c.first_response_at - c.created_at asc, c.priority desc`,
    sql`c.first_response_at is not null and c.first_response_at <= c.due_at and c.priority >= 50`,
  );
  const alertCounts = await database.rows<{ kind: string; n: number }>(sql`
    select kind, count(*)::int as n from alerts where created_at >= ${from} and created_at < ${to} and kind in ('viral', 'spike', 'sla') group by 1 order by 1`);

  const v = volume ?? { posts: 0, complaints: 0, negative: 0 };
  const t = times ?? { opened: 0, answered: 0, p50: null, p90: null, within: null, waiting: 0 };
  const line = (c: CaseLine) =>
    `  #${c.id} p${c.priority} ${c.category ?? 'other'} @${c.handle} (${c.status}, ${c.answered ? 'answered in' : 'waiting'} ${fmtMin(Number(c.minutes))}): ${c.text.replace(/\s+/g, ' ')}`;
  const summary = [
    `Volume: ${v.posts} posts, ${v.complaints} complaints${languages.length ? ` (${languages.map((l) => `${l.language} ${l.n}`).join(', ')})` : ''}, ${t.opened} cases opened.`,
    `Top complaint topics: ${topics.length ? topics.map((x) => `${x.topic} ${x.n}${x.weekly > 0 ? ` (${x.n >= x.weekly ? '+' : ''}${Math.round(((x.n - x.weekly) / x.weekly) * 100)}% vs 7-day avg)` : ''}`).join(', ') : 'none'}.`,
    keywords.length ? `Most used complaint words: ${keywords.map((k) => `"${k.key}" ${k.n}`).join(', ')}.` : undefined,
    `Response: ${t.answered}/${t.opened} answered, median first response ${fmtMin(t.p50)}, 90% within ${fmtMin(t.p90)}, ${t.within === null ? '–' : `${Math.round(Number(t.within) * 100)}%`} within SLA, ${t.waiting} still waiting.`,
    alertCounts.length ? `Alerts: ${alertCounts.map((a) => `${a.kind} ${a.n}`).join(', ')}.` : undefined,
    worst.length ? `Worst handled:\n${worst.map(line).join('\n')}` : undefined,
    best.length ? `Best handled:\n${best.map(line).join('\n')}` : undefined,
  ]
    .filter(Boolean)
    .join('\n');
  return {
    title: `Daily digest ${day.label}: ${v.posts} posts, ${v.complaints} complaints, median first response ${fmtMin(t.p50)}`,
    summary,
    details: {
      day: day.label,
      volume: v,
      languages,
      topics: topics.map((x) => ({ topic: x.topic, count: x.n, weeklyAverage: Math.round(x.weekly * 10) / 10 })),
      keywords,
      response: {
        opened: t.opened,
        answered: t.answered,
        medianMinutes: t.p50,
        p90Minutes: t.p90,
        withinSla: t.within === null ? null : Number(t.within),
        waiting: t.waiting,
      },
      worst: worst.map((c) => c.id),
      best: best.map((c) => c.id),
      summary,
    },
  };
}

/** Raises yesterday's digest for marketing once (the day is its key); returns whether it was new. */
export async function raiseDigest(database: Database, timeZone: string, now = new Date()): Promise<boolean> {
  const day = yesterday(now, timeZone);
  const d = await buildDigest(database, day, now);
  const rows = await database.db
    .insert(alerts)
    .values({ kind: 'digest', audience: 'marketing', dedupKey: `digest:${day.label}`, title: d.title, details: d.details, status: 'closed' })
    .onConflictDoNothing()
    .returning({ id: alerts.id });
  return rows.length > 0;
}
