import { sql } from 'drizzle-orm';
import { idSet, recordset } from '../../db/bulk.ts';
import type { Database, Tx } from '../../db/client.ts';
import { type CaseStatus, WAITING_STATUSES } from '../../db/schema/index.ts';
import { auditMany } from '../audit.ts';
import type { BusinessHours } from '../calendar/business-hours.ts';
import { firstResponseDue } from '../queue/sla.ts';

/** A newly stored post, as thread joining sees it. */
export interface ThreadPost {
  order: number;
  postId: number;
  platform: string;
  conversationId: string | null;
  authorId: number;
  postedAt: Date;
  /** May join a case (the customer's own words: not the brand's, not a plain repost). */
  joins: boolean;
  /** The rules would open a case for it. */
  opens: boolean;
}

export interface ThreadJoins {
  /** Per post (same index): whether it still opens a case of its own. */
  opens: boolean[];
  /** Per joining post, in order: the case it joined, or the post of this batch whose new case it joined. */
  joined: Array<number | { openedBy: number }>;
}

/**
 * A new post from the customer in the thread of a case reopens it (or, when it is still waiting,
 * keeps it as it is): no second case is opened for the same conversation. For a whole batch in a
 * bounded number of statements: one lookup of the latest case per thread and author, one lock, one
 * reopen, one touch, one audit insert. A post that follows an earlier post of the same batch joins
 * the case that post opens.
 */
export async function joinThreads(database: Database, tx: Tx, list: readonly ThreadPost[], bh?: BusinessHours): Promise<ThreadJoins> {
  const opens = list.map((p) => p.opens);
  const joined: ThreadJoins['joined'] = [];
  const keyOf = (p: ThreadPost) => (p.joins && p.conversationId ? `${p.platform}\u0000${p.conversationId}\u0000${p.authorId}` : undefined);
  const keys = new Map<string, { platform: string; conversation_id: string; author_id: number }>();
  for (const p of list) {
    const k = keyOf(p);
    if (k) keys.set(k, { platform: p.platform, conversation_id: p.conversationId!, author_id: p.authorId });
  }
  if (!keys.size) return { opens, joined };

  const found = await database.rows<{ id: number | string; platform: string; conversation_id: string; author_id: number | string }>(
    sql`select distinct on (p.platform, p.conversation_id, p.author_id) c.id, p.platform, p.conversation_id, p.author_id
        from ${recordset([...keys.values()], 'platform text, conversation_id text, author_id bigint', 'k')}
        join posts p on p.platform = k.platform and p.conversation_id = k.conversation_id and p.author_id = k.author_id
        join cases c on c.post_id = p.id
        order by p.platform, p.conversation_id, p.author_id, c.id desc`,
    tx,
  );
  const caseOf = new Map(found.map((r) => [`${r.platform}\u0000${r.conversation_id}\u0000${Number(r.author_id)}`, Number(r.id)]));
  // Locked, and read again under the lock: a responder may have just resolved one.
  const locked = caseOf.size
    ? await database.rows<{ id: number | string; status: CaseStatus; priority: number }>(
        sql`select id, status, priority from cases where id in ${idSet([...caseOf.values()])} order by id for update`,
        tx,
      )
    : [];
  const state = new Map(locked.map((r) => [Number(r.id), { status: r.status, priority: Number(r.priority) }]));

  const reopen = new Map<number, { id: number; due_at: Date }>();
  const touch = new Set<number>();
  const audits: Array<Parameters<typeof auditMany>[1][number]> = [];
  const openedInBatch = new Map<string, number>();
  list.forEach((p, i) => {
    const key = keyOf(p);
    if (!key) return;
    const caseId = caseOf.get(key);
    const s = caseId === undefined ? undefined : state.get(caseId);
    if (caseId !== undefined && s) {
      if (!WAITING_STATUSES.includes(s.status)) {
        reopen.set(caseId, { id: caseId, due_at: firstResponseDue(s.priority, p.postedAt, bh) });
        audits.push({ actorUserId: null, action: 'case.reopen', subjectType: 'case', subjectId: caseId, details: { from: s.status, postId: p.postId } });
        s.status = 'open';
      } else if (!reopen.has(caseId)) touch.add(caseId);
      joined.push(caseId);
      opens[i] = false;
      return;
    }
    const openedBy = openedInBatch.get(key);
    if (openedBy !== undefined) {
      joined.push({ openedBy });
      opens[i] = false;
    } else if (p.opens) openedInBatch.set(key, p.postId);
  });

  if (reopen.size) {
    await tx.execute(sql`
      update cases set status = 'open', assignee_id = null, claimed_at = null, snoozed_until = null, resolved_at = null, false_alarm = false, due_at = v.due_at, updated_at = now()
      from ${recordset([...reopen.values()], 'id bigint, due_at timestamptz', 'v')} where cases.id = v.id`);
  }
  if (touch.size) await tx.execute(sql`update cases set updated_at = now() where id in ${idSet([...touch])}`);
  await auditMany(tx, audits);
  return { opens, joined };
}
