import { and, eq, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { Database, Tx } from '../../db/client.ts';
import { alerts, analyses, backtests, cases, flags, posts } from '../../db/schema/index.ts';
import { audit } from '../audit.ts';

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
    const named = await tx.select({ id: posts.id, first: posts.editOfPostId }).from(posts).where(and(eq(posts.platform, platform), inArray(posts.platformPostId, platformPostIds)));
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
    await forgetWords(tx, ids, affected.map((c) => c.id));
    return marked.length;
  });
}

const GONE = '(deleted by its author)';

/**
 * What a person took back must not live on in odziv: X's developer policy asks that stored posts
 * reflect their current state, a deleted or hidden one included (docs.x.com, "Compliance"). The
 * post keeps its id, author and times, so its case and history still make sense; its text, payload,
 * the words quoted as evidence, and the quotes in alerts and backtest examples are removed.
 */
async function forgetWords(tx: Tx, postIds: number[], caseIds: number[]): Promise<void> {
  const gone = new Set(postIds);
  await tx.update(posts).set({ text: '', raw: {} }).where(inArray(posts.id, postIds));
  await tx.update(analyses).set({ evidence: {} }).where(inArray(analyses.postId, postIds));
  await tx.update(flags).set({ evidence: [] }).where(inArray(flags.postId, postIds));
  // A viral alert quotes its case's post in its title and details.
  if (caseIds.length) {
    for (const a of await tx.select().from(alerts).where(and(eq(alerts.kind, 'viral'), inArray(alerts.caseId, caseIds)))) {
      const { text: _quoted, ...details } = a.details;
      await tx.update(alerts).set({ title: a.title.replace(/: [\s\S]*$/, `: ${GONE}`), details }).where(eq(alerts.id, a.id));
    }
  }
  // Spike alerts and backtest reports quote sample posts by id.
  const unquote = <T extends { postId?: unknown; text?: unknown }>(list: T[] | undefined) => {
    let changed = false;
    const out = (list ?? []).map((s) => (gone.has(Number(s.postId)) && s.text !== GONE ? ((changed = true), { ...s, text: GONE }) : s));
    return { out, changed };
  };
  const quoting = (list: SQL) => or(...postIds.map((id) => sql`${list} @> ${JSON.stringify([{ postId: id }])}::jsonb`))!;
  for (const a of await tx.select().from(alerts).where(and(eq(alerts.kind, 'spike'), quoting(sql`${alerts.details}->'samples'`)))) {
    const samples = unquote(a.details.samples as Array<{ postId: number; text: string }> | undefined);
    if (samples.changed) await tx.update(alerts).set({ details: { ...a.details, samples: samples.out } }).where(eq(alerts.id, a.id));
  }
  const examples = (k: string) => quoting(sql`${backtests.result}->'examples'->${k}`);
  for (const b of await tx.select({ id: backtests.id, result: backtests.result }).from(backtests).where(or(examples('newlyFlagged'), examples('noLongerFlagged')))) {
    const r = b.result as { examples?: Record<string, Array<{ postId: number; text: string }>> };
    if (!r.examples) continue;
    const lists = Object.entries(r.examples).map(([k, v]) => [k, unquote(v)] as const);
    if (lists.some(([, v]) => v.changed)) await tx.update(backtests).set({ result: { ...r, examples: Object.fromEntries(lists.map(([k, v]) => [k, v.out])) } }).where(eq(backtests.id, b.id));
  }
}
