import { sql } from 'drizzle-orm';
import type { EngagementMetrics } from '../../adapters/types.ts';
import { recordset } from '../../db/bulk.ts';
import type { Database } from '../../db/client.ts';
import { viralScore } from '../../rules/signals/viral.ts';
import { brandBaseline } from './baseline.ts';

/** Scores at or above this are urgent: they go out during quiet hours too. */
export const URGENT_VIRAL_SCORE = 85;

/**
 * Scores the unresolved cases whose posts got new engagement snapshots since `since` (the last
 * run; null: the last hour) and raises one viral alert per case (for marketing) when the score
 * reaches the threshold; later growth updates that alert instead of raising another. An edited
 * post is scored by its busiest version: X gives every edit a new id and counts engagement on the
 * version people saw, so after an edit the first version stops growing while the complaint goes
 * on spreading. A fixed number of statements, however many cases are open.
 */
export async function detectViral(database: Database, threshold: number, now = new Date(), brandPerMinute?: number, since?: Date | null): Promise<number> {
  const from = since ?? new Date(now.getTime() - 3_600_000);
  // Every version of each case whose post (or an edit of it) was read since the last run.
  const versions = await database.rows<{
    case_id: number | string;
    case_post_id: number | string;
    post_id: number | string;
    posted_at: Date | string;
    followers: number | null;
    handle: string;
    url: string | null;
    text: string;
    complaint: number;
  }>(sql`
    with touched as (
      select distinct c.id from metric_snapshots s
      join posts p on p.id = s.post_id
      join cases c on c.post_id = coalesce(p.edit_of_post_id, p.id)
      where s.at > ${from} and c.status <> 'resolved')
    select c.id as case_id, c.post_id as case_post_id, p.id as post_id, p.posted_at, a.followers, a.handle, p.url, p.text, an.complaint
    from touched t join cases c on c.id = t.id
    join posts p on p.id = c.post_id or p.edit_of_post_id = c.post_id
    join authors a on a.id = p.author_id
    join analyses an on an.post_id = c.post_id`);
  if (!versions.length) return 0;
  const baseline = brandPerMinute ?? (await brandBaseline(database, now));
  const snapshots = await latestSnapshots(
    database,
    versions.map((v) => Number(v.post_id)),
  );
  const best = new Map<
    number,
    { v: (typeof versions)[number]; score: ReturnType<typeof viralScore>; snaps: Array<{ at: Date; metrics: EngagementMetrics }> }
  >();
  for (const v of versions) {
    const snaps = snapshots.get(Number(v.post_id));
    if (!snaps) continue;
    const score = viralScore({
      postedAt: new Date(v.posted_at),
      snapshots: snaps,
      followers: v.followers,
      complaint: Number(v.complaint),
      baselinePerMinute: baseline,
    });
    const seen = best.get(Number(v.case_id));
    if (!seen || score.score > seen.score.score) best.set(Number(v.case_id), { v, score, snaps });
  }
  const rows = [...best.values()]
    .filter(({ v, score }) => score.score >= threshold && Number(v.complaint) >= 0.5)
    .map(({ v, score, snaps }) => ({
      case_id: Number(v.case_id),
      dedup_key: `viral:${Number(v.case_post_id)}`,
      title: `Complaint going viral (score ${score.score}) from @${v.handle}: ${v.text.slice(0, 120)}`,
      details: {
        score: score.score,
        velocityPerMinute: score.velocity,
        vsReach: score.vsReach,
        vsBrand: score.vsBrand,
        caseId: Number(v.case_id),
        url: v.url,
        text: v.text.slice(0, 280),
        metrics: snaps[snaps.length - 1]!.metrics,
      },
      severity: score.score >= URGENT_VIRAL_SCORE ? 'urgent' : 'normal',
    }));
  if (!rows.length) return 0;
  // One upsert for all; xmax = 0 tells a row inserted now from one updated.
  const written = await database.rows<{ inserted: boolean }>(sql`
    insert into alerts (kind, audience, case_id, dedup_key, title, details, severity, created_at, updated_at)
    select 'viral', 'marketing', case_id, dedup_key, title, details, severity, ${now}, ${now} from ${recordset(rows, 'case_id bigint, dedup_key text, title text, details jsonb, severity text')}
    on conflict (dedup_key) do update set title = excluded.title, details = excluded.details, updated_at = ${now},
      severity = case when excluded.severity = 'urgent' then 'urgent' else alerts.severity end
    returning (xmax = 0) as inserted`);
  return written.filter((w) => w.inserted).length;
}

/** The latest SNAPSHOTS engagement snapshots of each post, oldest first, in one query (not one per post). */
const SNAPSHOTS = 16;
async function latestSnapshots(database: Database, postIds: number[]): Promise<Map<number, Array<{ at: Date; metrics: EngagementMetrics }>>> {
  const rows = await database.rows<{ post_id: number | string; at: Date | string; metrics: EngagementMetrics }>(sql`
    select s.post_id, s.at, s.metrics from (select value::bigint as id from json_array_elements_text(${JSON.stringify([...new Set(postIds)])}::json)) ids
    cross join lateral (select post_id, at, metrics from metric_snapshots where post_id = ids.id order by at desc limit ${SNAPSHOTS}) s
    order by s.post_id, s.at`);
  const out = new Map<number, Array<{ at: Date; metrics: EngagementMetrics }>>();
  for (const r of rows) {
    const id = Number(r.post_id);
    const list = out.get(id) ?? [];
    list.push({ at: new Date(r.at), metrics: r.metrics });
    out.set(id, list);
  }
  return out;
}
