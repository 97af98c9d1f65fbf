import { and, asc, desc, eq, gt, isNull, lte, ne, or, sql } from 'drizzle-orm';
import { isAdapterError } from '../../adapters/errors.ts';
import type { AdapterSet } from '../../adapters/registry.ts';
import type { Database } from '../../db/client.ts';
import { cases, metricSnapshots, posts } from '../../db/schema/index.ts';
import { weighted } from '../alerts/viral.ts';
import { markGone } from './gone.ts';
import type { Logger } from '../logger.ts';
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
    const rows = await database.db
      .selectDistinct({ id: posts.id, platformPostId: posts.platformPostId, postedAt: posts.postedAt, metrics: posts.metrics, metricsAt: posts.metricsAt, dueAt: posts.metricsDueAt })
      .from(posts)
      // A case's post and its edits: X counts engagement on the version people saw when they engaged.
      .innerJoin(cases, or(eq(cases.postId, posts.id), eq(cases.postId, posts.editOfPostId)))
      .where(and(eq(posts.platform, platform), ne(cases.status, 'resolved'), gt(posts.postedAt, new Date(now.getTime() - MAX_AGE_MS)), or(isNull(posts.metricsDueAt), lte(posts.metricsDueAt, now))))
      .orderBy(sql`${posts.metricsDueAt} asc nulls first`, asc(posts.id))
      .limit(PER_RUN);
    if (!rows.length) continue;
    baseline ??= await brandBaseline(database, now);
    const started = Date.now();
    try {
      const { metrics, gone } = await adapter.refreshMetrics(rows.map((r) => r.platformPostId));
      await markGone(database, platform, gone, now);
      const goneIds = new Set(gone);
      for (const r of rows) {
        if (goneIds.has(r.platformPostId)) continue;
        const m = metrics.get(r.platformPostId);
        const ageMs = now.getTime() - r.postedAt.getTime();
        if (!m) {
          // Deleted or hidden on the platform: look again much later rather than every run.
          await database.db.update(posts).set({ metricsDueAt: new Date(now.getTime() + 3_600_000) }).where(eq(posts.id, r.id));
          continue;
        }
        const since = r.metricsAt ?? r.postedAt;
        const minutes = Math.max(0.25, (now.getTime() - since.getTime()) / 60_000);
        const velocity = Math.max(0, weighted(m) - (r.metrics ? weighted(r.metrics) : 0)) / minutes;
        const next = refreshIntervalMs({ ageMs, velocity, baselinePerMinute: baseline });
        // Past 72 h a post is not read again (due far in the future keeps it out of the query).
        const dueAt = new Date(now.getTime() + (next ?? 365 * 86_400_000));
        await database.db.update(posts).set({ metrics: m, metricsAt: now, metricsDueAt: dueAt }).where(eq(posts.id, r.id));
        await database.db.insert(metricSnapshots).values({ postId: r.id, at: now, metrics: m });
        updated++;
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

/** The brand's usual weighted interactions per minute on a post, from the last week's posts (median). */
export async function brandBaseline(database: Database, now = new Date()): Promise<number> {
  const rows = await database.db
    .select({ metrics: posts.metrics, postedAt: posts.postedAt, metricsAt: posts.metricsAt })
    .from(posts)
    .where(gt(posts.postedAt, new Date(now.getTime() - 7 * 86_400_000)))
    .orderBy(desc(posts.id))
    .limit(500);
  const rates = rows
    .filter((r) => r.metrics && r.metricsAt)
    .map((r) => weighted(r.metrics!) / Math.max(1, (r.metricsAt!.getTime() - r.postedAt.getTime()) / 60_000))
    .sort((a, b) => a - b);
  return rates.length ? Math.max(0.1, rates[Math.floor(rates.length / 2)]!) : 0.5;
}
