import { desc, gt } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { posts } from '../../db/schema/index.ts';
import { weighted } from '../../rules/signals/viral.ts';

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
