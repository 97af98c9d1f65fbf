import { and, inArray, lt, ne, or, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { cases, posts } from '../../db/schema/index.ts';
import { forgetWords } from './forget.ts';

export const PAST_RETENTION = '(past the retention period)';
const BATCH = 500;

/**
 * Keeps customers' words no longer than the brand decided (ODZIV_RETENTION_DAYS): posts older
 * than that lose their words as a deleted post does (see forgetWords); the numbers stay, so the
 * dashboards and response times still add up. A post whose case someone still works is kept until
 * the case is resolved, and so is the rest of its conversation. Runs in batches of BATCH posts, each its own transaction; returns how many
 * posts it forgot.
 */
export async function forgetPastRetention(database: Database, days: number, now = new Date(), maxPosts = 20_000): Promise<number> {
  const before = new Date(now.getTime() - days * 86_400_000);
  let done = 0;
  while (done < maxPosts) {
    const n = await database.db.transaction(async (tx) => {
      const batch = await tx
        .select({ id: posts.id })
        .from(posts)
        .where(
          and(
            lt(posts.postedAt, before),
            or(ne(posts.text, ''), sql`${posts.raw} <> '{}'::jsonb`),
            // Nor any post of a conversation whose case is still worked: the thread stays readable.
            sql`not exists (select 1 from ${cases} c join ${posts} first on first.id = c.post_id
                  where c.status <> 'resolved' and (c.post_id = ${posts.id} or first.conversation_id = ${posts.conversationId}))`,
          ),
        )
        .orderBy(posts.id)
        .limit(BATCH)
        .for('update', { skipLocked: true });
      if (!batch.length) return 0;
      const ids = batch.map((p) => p.id);
      const caseIds = (await tx.select({ id: cases.id }).from(cases).where(inArray(cases.postId, ids))).map((c) => c.id);
      await forgetWords(tx, ids, caseIds, PAST_RETENTION);
      return ids.length;
    });
    done += n;
    if (n < BATCH) break;
  }
  return done;
}
