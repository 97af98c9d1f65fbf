import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { cases, posts } from '../../db/schema/index.ts';
import { audit } from '../audit.ts';

/**
 * The platform says these posts are gone (their author deleted them, went private or was
 * suspended): their cases say so in their history, replies to them are refused, and their
 * engagement is not read again. Posts already marked, or never stored, are skipped. Returns how
 * many were marked now.
 */
export async function markGone(database: Database, platform: string, platformPostIds: string[], now: Date): Promise<number> {
  if (!platformPostIds.length) return 0;
  return database.db.transaction(async (tx) => {
    const marked = await tx
      .update(posts)
      .set({ goneAt: now, metricsDueAt: new Date(now.getTime() + 365 * 86_400_000) })
      .where(and(eq(posts.platform, platform), inArray(posts.platformPostId, platformPostIds), isNull(posts.goneAt)))
      .returning({ id: posts.id });
    if (!marked.length) return 0;
    const affected = await tx.select({ id: cases.id, postId: cases.postId }).from(cases).where(inArray(cases.postId, marked.map((p) => p.id)));
    for (const c of affected) await audit(tx, { actorUserId: null, action: 'post.gone', subjectType: 'case', subjectId: c.id, details: { postId: c.postId } });
    return marked.length;
  });
}
