import { and, eq, inArray, isNull, or } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { cases, posts } from '../../db/schema/index.ts';
import { audit } from '../audit.ts';
import { forgetWords } from './forget.ts';

/**
 * The platform says these posts are gone (their author deleted them, went private or was
 * suspended), and with them every version of an edited one: their cases say so in their history,
 * replies to them are refused, their engagement is not read again, and their words are forgotten
 * (see forgetWords). Posts already marked, or never stored, are skipped. Returns how many were
 * marked now.
 */
export async function markGone(database: Database, platform: string, platformPostIds: string[], now: Date): Promise<number> {
  if (!platformPostIds.length) return 0;
  return database.db.transaction(async (tx) => {
    // Deleting any version of an edited post deletes the whole chain (docs.x.com, "Edit Posts").
    const named = await tx
      .select({ id: posts.id, first: posts.editOfPostId })
      .from(posts)
      .where(and(eq(posts.platform, platform), inArray(posts.platformPostId, platformPostIds)));
    if (!named.length) return 0;
    const firsts = [...new Set(named.map((p) => p.first ?? p.id))];
    const marked = await tx
      .update(posts)
      .set({ goneAt: now, metricsDueAt: new Date(now.getTime() + 365 * 86_400_000) })
      .where(and(or(inArray(posts.id, firsts), inArray(posts.editOfPostId, firsts)), isNull(posts.goneAt)))
      .returning({ id: posts.id });
    if (!marked.length) return 0;
    const ids = marked.map((p) => p.id);
    const affected = await tx.select({ id: cases.id, postId: cases.postId }).from(cases).where(inArray(cases.postId, ids));
    for (const c of affected) await audit(tx, { actorUserId: null, action: 'post.gone', subjectType: 'case', subjectId: c.id, details: { postId: c.postId } });
    await forgetWords(
      tx,
      ids,
      affected.map((c) => c.id),
      '(deleted by its author)',
    );
    return marked.length;
  });
}
