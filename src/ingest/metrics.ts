import { and, desc, eq, inArray, ne } from 'drizzle-orm';
import type { AdapterSet } from '../../adapters/registry.ts';
import type { Database } from '../../db/client.ts';
import { cases, metricSnapshots, posts } from '../../db/schema/index.ts';
import type { Logger } from '../logger.ts';

const LIMIT = 500;

/**
 * Refreshes the engagement of posts with unresolved cases, per platform, newest first (the input of
 * the viral score). A platform's failure is logged and leaves the others untouched.
 */
export async function refreshEngagement(database: Database, adapters: AdapterSet, log: Logger): Promise<number> {
  let updated = 0;
  for (const [platform, adapter] of Object.entries(adapters)) {
    if (!adapter?.refreshMetrics) continue;
    const rows = await database.db
      .select({ id: posts.id, platformPostId: posts.platformPostId })
      .from(posts)
      .innerJoin(cases, eq(cases.postId, posts.id))
      .where(and(eq(posts.platform, platform), ne(cases.status, 'resolved')))
      .orderBy(desc(posts.postedAt))
      .limit(LIMIT);
    if (!rows.length) continue;
    const started = Date.now();
    try {
      const metrics = await adapter.refreshMetrics(rows.map((r) => r.platformPostId));
      const byPlatformId = new Map(rows.map((r) => [r.platformPostId, r.id]));
      for (const [pid, m] of metrics) {
        const id = byPlatformId.get(pid);
        if (id === undefined) continue;
        const at = new Date();
        await database.db.update(posts).set({ metrics: m, metricsAt: at }).where(inArray(posts.id, [id]));
        await database.db.insert(metricSnapshots).values({ postId: id, at, metrics: m });
        updated++;
      }
      log.debug({ job: 'metrics', platform, posts: rows.length, updated: metrics.size, ms: Date.now() - started }, 'metrics');
    } catch (err) {
      log.warn({ job: 'metrics', platform, err: (err as Error).message, ms: Date.now() - started }, 'metrics refresh failed');
    }
  }
  return updated;
}
