import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';

/** The numbers behind the dashboards: one query each, the same on PGlite and PostgreSQL. */
export async function dashboardStats(database: Database, now = new Date()) {
  // Counted per hour since the epoch (absolute, whatever the server's zone): the page puts the hours
  // on the user's clock, and days are the user's days. Each window reaches back to the start of its
  // first bucket, so no bar stands for part of an hour or a day.
  const firstHour = new Date((Math.floor(now.getTime() / 3_600_000) - HOURLY_WINDOW_H + 1) * 3_600_000);
  const hourly = await database.rows<{ hour: number; key: string | null; n: number }>(sql`
    select floor(extract(epoch from c.created_at) / 3600)::int as hour, coalesce(c.category, 'other') as key, count(*)::int as n
    from cases c where c.created_at >= ${firstHour}
    group by 1, 2`);
  const daily = await database.rows<{ hour: number; lang: string; platform: string; complaints: number; flagged: number }>(sql`
    select floor(extract(epoch from p.posted_at) / 3600)::int as hour, a.language as lang, p.platform,
           count(*) filter (where a.is_complaint)::int as complaints, count(c.id)::int as flagged
    from posts p join analyses a on a.post_id = p.id left join cases c on c.post_id = p.id
    where p.posted_at > ${new Date(now.getTime() - (DAILY_WINDOW_D + 1) * 86_400_000)}
    group by 1, 2, 3`);
  const [times] = await database.rows<{
    frp50: number | null;
    frp90: number | null;
    res50: number | null;
    res90: number | null;
    within: number | null;
    answered: number;
  }>(sql`
    select percentile_cont(0.5) within group (order by extract(epoch from (first_response_at - created_at)) / 60) as frp50,
           percentile_cont(0.9) within group (order by extract(epoch from (first_response_at - created_at)) / 60) as frp90,
           percentile_cont(0.5) within group (order by extract(epoch from (resolved_at - created_at)) / 60) filter (where resolved_at is not null) as res50,
           percentile_cont(0.9) within group (order by extract(epoch from (resolved_at - created_at)) / 60) filter (where resolved_at is not null) as res90,
           avg(case when first_response_at <= due_at then 1.0 else 0.0 end) as within,
           count(*)::int as answered
    from cases where first_response_at is not null and created_at > ${new Date(now.getTime() - 7 * 86_400_000)}`);
  // Complaint topics: praise and plain questions have their own places (marketing, the queue).
  const topics = await database.rows<{ key: string; now: number; before: number }>(sql`
    select coalesce(category, 'other') as key,
           count(*) filter (where created_at > ${new Date(now.getTime() - 7 * 86_400_000)})::int as now,
           count(*) filter (where created_at <= ${new Date(now.getTime() - 7 * 86_400_000)} and created_at > ${new Date(now.getTime() - 14 * 86_400_000)})::int as before
    from cases where created_at > ${new Date(now.getTime() - 14 * 86_400_000)}
      and coalesce(category, 'other') not in ('praise', 'question')
    group by 1 order by 2 desc limit 11`);
  const alertCounts = await database.rows<{ kind: string; n: number }>(sql`
    select kind, count(*)::int as n from alerts where created_at > ${new Date(now.getTime() - 7 * 86_400_000)} group by 1 order by 2 desc`);
  // Per rule, of the cases its flags opened in the last 14 days: how many people resolved, and how
  // many of those they said needed no one. A false alarm counts against every rule that flagged it.
  const falseAlarms = await database.rows<{ rule: string; resolved: number; falseAlarms: number }>(sql`
    select f.pack || '/' || f.rule_id as rule,
           count(distinct c.id) filter (where c.status = 'resolved')::int as "resolved",
           count(distinct c.id) filter (where c.false_alarm)::int as "falseAlarms"
    from cases c join flags f on f.post_id = c.post_id
    where c.created_at > ${new Date(now.getTime() - 14 * 86_400_000)}
    group by 1 having count(distinct c.id) filter (where c.false_alarm) > 0
    order by 3 desc, 2 desc, 1 limit 10`);
  return { hourly, daily, times: times ?? null, topics, alerts: alertCounts, falseAlarms };
}

export const HOURLY_WINDOW_H = 48;
export const DAILY_WINDOW_D = 14;

export type Unit = 'hour' | 'day';
const CLOCKS = new Map<string, Intl.DateTimeFormat>();
/** The hour ("11-23 08:00") or day ("11-23") an instant falls in, on the user's clock. */
export function bucketLabel(at: Date, unit: Unit, timeZone: string): string {
  let clock = CLOCKS.get(timeZone);
  if (!clock)
    CLOCKS.set(timeZone, (clock = new Intl.DateTimeFormat('en-GB', { timeZone, month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23' })));
  const p = Object.fromEntries(clock.formatToParts(at).map((x) => [x.type, x.value]));
  return unit === 'day' ? `${p.month}-${p.day}` : `${p.month}-${p.day} ${p.hour}:00`;
}

/**
 * The last `count` hours or days up to `to`, oldest first, empty ones too: one busy hour is a thin
 * bar at its place, not the whole chart, and quiet hours show as gaps. Labels follow the calendar,
 * not their spelling (12-31 comes before 01-01); an hour a DST change repeats is one bucket.
 */
export function timeAxis(to: Date, count: number, unit: Unit, timeZone: string): string[] {
  const labels = new Set<string>();
  const last = Math.floor(to.getTime() / 3_600_000);
  const hours = unit === 'hour' ? count : (count + 1) * 24;
  for (let h = last - hours + 1; h <= last; h++) labels.add(bucketLabel(new Date(h * 3_600_000), unit, timeZone));
  return [...labels].slice(-count);
}

/** Turns rows counted per hour since the epoch into chart series over `axis` (rows outside it are left out). */
export function toSeries<T extends { hour: number }>(
  rows: T[],
  axis: string[],
  unit: Unit,
  timeZone: string,
  key: (r: T) => string,
  value: (r: T) => number,
): { buckets: string[]; series: Array<{ name: string; values: number[] }> } {
  const at = new Map(axis.map((b, i) => [b, i]));
  const byName = new Map<string, number[]>();
  for (const r of rows) {
    const i = at.get(bucketLabel(new Date(r.hour * 3_600_000), unit, timeZone));
    if (i === undefined) continue;
    const name = key(r);
    const values = byName.get(name) ?? byName.set(name, new Array<number>(axis.length).fill(0)).get(name)!;
    values[i]! += value(r);
  }
  const series = [...byName].map(([name, values]) => ({ name, values })).filter((s) => s.values.some((v) => v > 0));
  const total = (s: { values: number[] }) => s.values.reduce((x, y) => x + y, 0);
  return { buckets: axis, series: series.sort((a, b) => total(b) - total(a)) };
}
