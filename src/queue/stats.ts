import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';

/** The numbers behind the dashboards: one query each, the same on PGlite and PostgreSQL. */
export async function dashboardStats(database: Database, now = new Date()) {
  const hourly = await database.rows<{ bucket: string; key: string | null; n: number }>(sql`
    select to_char(date_trunc('hour', c.created_at at time zone 'UTC'), 'MM-DD HH24:00') as bucket, coalesce(c.category, 'other') as key, count(*)::int as n
    from cases c where c.created_at > ${new Date(now.getTime() - 48 * 3_600_000)}
    group by 1, 2 order by 1`);
  const daily = await database.rows<{ bucket: string; lang: string; platform: string; complaints: number; flagged: number }>(sql`
    select to_char(date_trunc('day', p.posted_at at time zone 'UTC'), 'MM-DD') as bucket, a.language as lang, p.platform,
           count(*) filter (where a.is_complaint)::int as complaints, count(c.id)::int as flagged
    from posts p join analyses a on a.post_id = p.id left join cases c on c.post_id = p.id
    where p.posted_at > ${new Date(now.getTime() - 14 * 86_400_000)}
    group by 1, 2, 3 order by 1`);
  const [times] = await database.rows<{ frp50: number | null; frp90: number | null; res50: number | null; res90: number | null; within: number | null; answered: number }>(sql`
    select percentile_cont(0.5) within group (order by extract(epoch from (first_response_at - created_at)) / 60) as frp50,
           percentile_cont(0.9) within group (order by extract(epoch from (first_response_at - created_at)) / 60) as frp90,
           percentile_cont(0.5) within group (order by extract(epoch from (resolved_at - created_at)) / 60) filter (where resolved_at is not null) as res50,
           percentile_cont(0.9) within group (order by extract(epoch from (resolved_at - created_at)) / 60) filter (where resolved_at is not null) as res90,
           avg(case when first_response_at <= due_at then 1.0 else 0.0 end) as within,
           count(*)::int as answered
    from cases where first_response_at is not null and created_at > ${new Date(now.getTime() - 7 * 86_400_000)}`);
  const topics = await database.rows<{ key: string; now: number; before: number }>(sql`
    select coalesce(category, 'other') as key,
           count(*) filter (where created_at > ${new Date(now.getTime() - 7 * 86_400_000)})::int as now,
           count(*) filter (where created_at <= ${new Date(now.getTime() - 7 * 86_400_000)} and created_at > ${new Date(now.getTime() - 14 * 86_400_000)})::int as before
    from cases where created_at > ${new Date(now.getTime() - 14 * 86_400_000)} group by 1 order by 2 desc limit 11`);
  const alertCounts = await database.rows<{ kind: string; n: number }>(sql`
    select kind, count(*)::int as n from alerts where created_at > ${new Date(now.getTime() - 7 * 86_400_000)} group by 1 order by 2 desc`);
  return { hourly, daily, times: times ?? null, topics, alerts: alertCounts };
}

/** Turns rows of (bucket, key, n) into chart series. */
export function toSeries<T extends { bucket: string }>(rows: T[], key: (r: T) => string, value: (r: T) => number): { buckets: string[]; series: Array<{ name: string; values: number[] }> } {
  const buckets = [...new Set(rows.map((r) => r.bucket))].sort();
  const names = [...new Set(rows.map(key))];
  const series = names.map((name) => ({ name, values: buckets.map((b) => rows.filter((r) => r.bucket === b && key(r) === name).reduce((a, r) => a + value(r), 0)) }));
  return { buckets, series: series.sort((a, b) => b.values.reduce((x, y) => x + y, 0) - a.values.reduce((x, y) => x + y, 0)) };
}
