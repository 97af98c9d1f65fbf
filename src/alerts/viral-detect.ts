import { and, eq, gt, ne, or, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { alerts, analyses, authors, cases, posts } from '../../db/schema/index.ts';
import type { EngagementMetrics } from '../../adapters/types.ts';
import { brandBaseline } from '../ingest/metrics.ts';
import { viralScore } from './viral.ts';

/** Scores at or above this are urgent: they go out during quiet hours too. */
export const URGENT_VIRAL_SCORE = 85;

/**
 * Scores the posts of unresolved cases from their latest engagement snapshots and raises one viral
 * alert per case (for marketing) when the score reaches the threshold; later growth updates that
 * alert instead of raising another. An edited post is scored by its busiest version: X gives every
 * edit a new id and counts engagement on the version people saw, so after an edit the first
 * version stops growing while the complaint goes on spreading.
 */
export async function detectViral(database: Database, threshold: number, now = new Date(), brandPerMinute?: number): Promise<number> {
  const versions = await database.db
    .select({ casePostId: cases.postId, postId: posts.id, postedAt: posts.postedAt, followers: authors.followers, handle: authors.handle, url: posts.url, text: posts.text, complaint: analyses.complaint, caseId: cases.id })
    .from(cases)
    .innerJoin(posts, or(eq(posts.id, cases.postId), eq(posts.editOfPostId, cases.postId)))
    .innerJoin(authors, eq(authors.id, posts.authorId))
    .innerJoin(analyses, eq(analyses.postId, cases.postId))
    .where(and(ne(cases.status, 'resolved'), gt(posts.metricsAt, new Date(now.getTime() - 3_600_000))));
  if (!versions.length) return 0;
  const baseline = brandPerMinute ?? (await brandBaseline(database, now));
  const snapshots = await latestSnapshots(database, versions.map((c) => c.postId));
  const best = new Map<number, { c: (typeof versions)[number]; v: ReturnType<typeof viralScore>; snaps: Array<{ at: Date; metrics: EngagementMetrics }> }>();
  for (const c of versions) {
    const snaps = snapshots.get(c.postId);
    if (!snaps) continue;
    const v = viralScore({ postedAt: c.postedAt, snapshots: snaps, followers: c.followers, complaint: c.complaint, baselinePerMinute: baseline });
    const seen = best.get(c.caseId);
    if (!seen || v.score > seen.v.score) best.set(c.caseId, { c, v, snaps });
  }
  let raised = 0;
  for (const { c, v, snaps } of best.values()) {
    if (v.score < threshold || c.complaint < 0.5) continue;
    const details = { score: v.score, velocityPerMinute: v.velocity, vsReach: v.vsReach, vsBrand: v.vsBrand, caseId: c.caseId, url: c.url, text: c.text.slice(0, 280), metrics: snaps[snaps.length - 1]!.metrics };
    const severity = v.score >= URGENT_VIRAL_SCORE ? ('urgent' as const) : ('normal' as const);
    const title = `Complaint going viral (score ${v.score}) from @${c.handle}: ${c.text.slice(0, 120)}`;
    const rows = await database.db
      .insert(alerts)
      .values({ kind: 'viral', audience: 'marketing', caseId: c.caseId, dedupKey: `viral:${c.casePostId}`, title, details, severity })
      .onConflictDoUpdate({ target: alerts.dedupKey, set: { title, details, updatedAt: now, ...(severity === 'urgent' ? { severity } : {}) } })
      .returning({ id: alerts.id, createdAt: alerts.createdAt, updatedAt: alerts.updatedAt });
    if (rows[0] && rows[0].createdAt.getTime() === rows[0].updatedAt.getTime()) raised++;
  }
  return raised;
}

/** The latest SNAPSHOTS engagement snapshots of each post, oldest first, in one query (not one per post). */
const SNAPSHOTS = 16;
async function latestSnapshots(database: Database, postIds: number[]): Promise<Map<number, Array<{ at: Date; metrics: EngagementMetrics }>>> {
  const rows = await database.rows<{ post_id: number | string; at: Date | string; metrics: EngagementMetrics }>(sql`
    select post_id, at, metrics from (
      select post_id, at, metrics, row_number() over (partition by post_id order by at desc) as n
      from metric_snapshots where post_id in (${sql.join(postIds.map((id) => sql`${id}`), sql`, `)})
    ) latest where n <= ${SNAPSHOTS} order by post_id, at`);
  const out = new Map<number, Array<{ at: Date; metrics: EngagementMetrics }>>();
  for (const r of rows) {
    const id = Number(r.post_id);
    const list = out.get(id) ?? [];
    list.push({ at: new Date(r.at), metrics: r.metrics });
    out.set(id, list);
  }
  return out;
}
