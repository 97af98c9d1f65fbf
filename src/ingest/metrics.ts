import { sql } from 'drizzle-orm';
import { isAdapterError } from '../../adapters/errors.ts';
import type { AdapterSet } from '../../adapters/registry.ts';
import type { EngagementMetrics } from '../../adapters/types.ts';
import { recordset } from '../../db/bulk.ts';
import type { Database } from '../../db/client.ts';
import { weighted } from '../../rules/signals/viral.ts';
import { brandBaseline } from '../alerts/baseline.ts';
import type { Logger } from '../logger.ts';
import { markGone } from '../privacy/gone.ts';
import { refreshIntervalMs } from './refresh-schedule.ts';

/** Posts read per platform and run: 5 lookups of 100 on X, inside its rate budget at a 15 s cadence. */
const PER_RUN = 500;
const MAX_AGE_MS = 72 * 3_600_000;

/**
 * Refreshes the engagement of posts with unresolved cases (and of their edits) whose next read is due (most overdue
 * first), per platform, and schedules each post's next read from its age and how fast it moves
 * (refresh-schedule.ts). A platform's failure is logged and leaves the others untouched.
 * `brandPerMinute`: the brand baseline when the caller has it already (else read when needed).
 */
export async function refreshEngagement(database: Database, adapters: AdapterSet, log: Logger, now = new Date(), brandPerMinute?: number): Promise<number> {
  let updated = 0;
  let baseline = brandPerMinute;
  for (const [platform, adapter] of Object.entries(adapters)) {
    if (!adapter?.refreshMetrics) continue;
    // From the unresolved cases opened in the last 72 hours (an index range: far fewer than the
    // posts of those hours) to their posts and those posts' edits (X counts engagement on the
    // version people saw when they engaged).
    const since = new Date(now.getTime() - MAX_AGE_MS);
    const rows = await database.rows<{
      id: number | string;
      platform_post_id: string;
      posted_at: Date | string;
      metrics: EngagementMetrics | null;
      metrics_at: Date | string | null;
    }>(sql`
      with recent as (select post_id from cases where created_at > ${since} and status <> 'resolved'),
      versions as (select post_id as id from recent union select p.id from recent r join posts p on p.edit_of_post_id = r.post_id)
      select p.id, p.platform_post_id, p.posted_at, p.metrics, p.metrics_at from versions v join posts p on p.id = v.id
      where p.platform = ${platform} and p.posted_at > ${since} and (p.metrics_due_at is null or p.metrics_due_at <= ${now})
      order by p.metrics_due_at asc nulls first, p.id
      limit ${PER_RUN}`);
    if (!rows.length) continue;
    baseline ??= await brandBaseline(database, now);
    const started = Date.now();
    try {
      const { metrics, gone } = await adapter.refreshMetrics(rows.map((r) => r.platform_post_id));
      await markGone(database, platform, gone, now);
      const goneIds = new Set(gone);
      const next: Array<{ id: number; metrics: EngagementMetrics | null; due_at: Date }> = [];
      for (const r of rows) {
        if (goneIds.has(r.platform_post_id)) continue;
        const m = metrics.get(r.platform_post_id);
        const postedAt = new Date(r.posted_at);
        // Deleted or hidden on the platform: look again much later rather than every run.
        if (!m) {
          next.push({ id: Number(r.id), metrics: null, due_at: new Date(now.getTime() + 3_600_000) });
          continue;
        }
        const since = r.metrics_at ? new Date(r.metrics_at) : postedAt;
        const minutes = Math.max(0.25, (now.getTime() - since.getTime()) / 60_000);
        const velocity = Math.max(0, weighted(m) - (r.metrics ? weighted(r.metrics) : 0)) / minutes;
        const interval = refreshIntervalMs({ ageMs: now.getTime() - postedAt.getTime(), velocity, baselinePerMinute: baseline });
        // Past 72 h a post is not read again (due far in the future keeps it out of the query).
        next.push({ id: Number(r.id), metrics: m, due_at: new Date(now.getTime() + (interval ?? 365 * 86_400_000)) });
      }
      if (next.length) {
        await database.db.execute(sql`
          update posts set metrics = coalesce(v.metrics, posts.metrics), metrics_at = case when v.metrics is null then posts.metrics_at else ${now} end, metrics_due_at = v.due_at
          from ${recordset(next, 'id bigint, metrics jsonb, due_at timestamptz', 'v')} where posts.id = v.id`);
        const read = next.filter((n) => n.metrics);
        if (read.length) {
          await database.db.execute(
            sql`insert into metric_snapshots (post_id, at, metrics) select id, ${now}, metrics from ${recordset(read, 'id bigint, metrics jsonb')}`,
          );
        }
        updated += read.length;
      }
      log.debug({ job: 'metrics', platform, posts: rows.length, updated: metrics.size, ms: Date.now() - started }, 'metrics');
    } catch (err) {
      // A spent rate window is expected on small plans: the adapter waits for it without asking.
      const level = isAdapterError(err) && err.kind === 'rate_limit' ? 'debug' : 'warn';
      log[level]({ job: 'metrics', platform, err: (err as Error).message, ms: Date.now() - started }, 'metrics refresh failed');
    }
  }
  return updated;
}
