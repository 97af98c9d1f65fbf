import { and, eq, or, type SQL, sql } from 'drizzle-orm';
import { idSet } from '../../db/bulk.ts';
import type { Tx } from '../../db/client.ts';
import { alerts, analyses, backtests, flags, posts } from '../../db/schema/index.ts';

/**
 * What a person took back must not live on in odziv: X's developer policy asks that stored posts
 * reflect their current state, a deleted or hidden one included (docs.x.com, "Compliance"), and
 * the GDPR gives a customer the right to have their data erased. The post keeps its id, author and
 * times, so its case and history still make sense; its text, payload, the words quoted as
 * evidence, and the quotes in alerts, daily digests and backtest examples are replaced by `why`.
 */
export async function forgetWords(tx: Tx, postIds: number[], caseIds: number[], why: string): Promise<void> {
  if (!postIds.length) return;
  const gone = new Set(postIds);
  const pids = idSet(postIds);
  await tx.update(posts).set({ text: '', raw: {} }).where(sql`${posts.id} in ${pids}`);
  await tx.update(analyses).set({ evidence: {} }).where(sql`${analyses.postId} in ${pids}`);
  await tx.update(flags).set({ evidence: [] }).where(sql`${flags.postId} in ${pids}`);
  if (caseIds.length) {
    const cids = idSet(caseIds);
    // The search keeps finding the case by its author, no longer by the words.
    await tx.execute(
      sql`update cases c set search_text = '@' || lower(a.handle) from posts p join authors a on a.id = p.author_id where p.id = c.post_id and c.id in ${cids}`,
    );
    // A viral alert quotes its case's post in its title and details.
    for (const a of await tx
      .select()
      .from(alerts)
      .where(and(eq(alerts.kind, 'viral'), sql`${alerts.caseId} in ${cids}`))) {
      const { text: _quoted, ...details } = a.details;
      await tx
        .update(alerts)
        .set({ title: a.title.replace(/: [\s\S]*$/, `: ${why}`), details })
        .where(eq(alerts.id, a.id));
    }
    // A daily digest quotes its worst and best cases, a line each: "  #12 p80 billing @ana (…): words".
    const listing = sql`exists (select 1 from jsonb_array_elements_text(coalesce(${alerts.details}->'worst', '[]'::jsonb) || coalesce(${alerts.details}->'best', '[]'::jsonb)) e where e::bigint in ${cids})`;
    for (const a of await tx
      .select()
      .from(alerts)
      .where(and(eq(alerts.kind, 'digest'), listing))) {
      const listed = [...((a.details.worst as number[] | undefined) ?? []), ...((a.details.best as number[] | undefined) ?? [])].filter((id) =>
        caseIds.includes(id),
      );
      const lineOf = new RegExp(`^(  #(?:${listed.join('|')}) [^\\n]*?\\)): .*$`, 'gm');
      const summary = String(a.details.summary ?? '').replace(lineOf, `$1: ${why}`);
      await tx
        .update(alerts)
        .set({ details: { ...a.details, summary } })
        .where(eq(alerts.id, a.id));
    }
  }
  // Spike alerts and backtest reports quote sample posts by id.
  const unquote = <T extends { postId?: unknown; text?: unknown }>(list: T[] | undefined) => {
    let changed = false;
    const out = (list ?? []).map((s) => {
      if (!gone.has(Number(s.postId)) || s.text === why) return s;
      changed = true;
      return { ...s, text: why };
    });
    return { out, changed };
  };
  const quoting = (list: SQL) => sql`exists (select 1 from jsonb_array_elements(coalesce(${list}, '[]'::jsonb)) s where (s->>'postId')::bigint in ${pids})`;
  for (const a of await tx
    .select()
    .from(alerts)
    .where(and(eq(alerts.kind, 'spike'), quoting(sql`${alerts.details}->'samples'`)))) {
    const samples = unquote(a.details.samples as Array<{ postId: number; text: string }> | undefined);
    if (samples.changed)
      await tx
        .update(alerts)
        .set({ details: { ...a.details, samples: samples.out } })
        .where(eq(alerts.id, a.id));
  }
  const examples = (k: string) => quoting(sql`${backtests.result}->'examples'->${k}`);
  for (const b of await tx
    .select({ id: backtests.id, result: backtests.result })
    .from(backtests)
    .where(or(examples('newlyFlagged'), examples('noLongerFlagged')))) {
    const r = b.result as { examples?: Record<string, Array<{ postId: number; text: string }>> };
    if (!r.examples) continue;
    const lists = Object.entries(r.examples).map(([k, v]) => [k, unquote(v)] as const);
    if (lists.some(([, v]) => v.changed))
      await tx
        .update(backtests)
        .set({ result: { ...r, examples: Object.fromEntries(lists.map(([k, v]) => [k, v.out])) } })
        .where(eq(backtests.id, b.id));
  }
}
