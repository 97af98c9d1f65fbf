import { and, asc, desc, eq, gte, inArray, isNull, lt, ne, not, or, type SQL, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { analyses, auditLog, authors, type CaseStatus, caseNotes, cases, caseViewers, flags, notices, posts, replies, users } from '../../db/schema/index.ts';
import { explainPriority, fold, type PriorityComponents } from '../../rules/index.ts';
import { audit } from '../audit.ts';
import { type Actor, authorize } from '../auth/permissions.ts';
import { AppError, notFound } from '../errors.ts';
import { WAITING } from './lifecycle.ts';
import { moderationsOf } from './moderation.ts';
import { matchesSearch } from './search.ts';
import { renderTemplate, type Templates } from './templates.ts';

export interface CaseListQuery {
  status?: CaseStatus;
  language?: string;
  platform?: string;
  team?: string;
  category?: string;
  /** A user id, "me" (resolved by the route) or "none". */
  assignee?: number | 'none';
  /** breached: past due and still waiting; due_soon: due within the hour; ok: the rest. */
  sla?: 'breached' | 'due_soon' | 'ok';
  minPriority?: number;
  /** Words or a handle to look for (see search.ts). */
  q?: string;
  limit: number;
  /** Opaque keyset cursor from the previous page. */
  cursor?: string;
}

function encodeCursor(priority: number, id: number): string {
  return Buffer.from(`${priority}:${id}`).toString('base64url');
}

function decodeCursor(cursor: string): { priority: number; id: number } {
  const m = /^(\d{1,3}):(\d{1,18})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!m) throw new AppError('BAD_REQUEST', 'cursor: not a cursor this API returned');
  return { priority: Number(m[1]), id: Number(m[2]) };
}

/** A row of the queue as the database gives it back (bigints as strings on postgres.js, times as Date or text). */
interface QueueRow {
  id: number | string;
  status: CaseStatus;
  priority: number;
  priority_components: Record<string, number>;
  category: string | null;
  reason: string;
  team: string;
  assignee_id: number | string | null;
  due_at: Date | string;
  created_at: Date | string;
  first_response_at: Date | string | null;
  false_alarm: boolean;
  post_id: number | string;
  platform: string;
  platform_post_id: string;
  url: string | null;
  text: string;
  posted_at: Date | string;
  gone_at: Date | string | null;
  handle: string;
  display_name: string | null;
  followers: number | null;
  verified: boolean;
  language: string | null;
  language_guess: string | null;
  sentiment: number | null;
  complaint: number | null;
  evidence: Record<string, string[]> | null;
}

const at = (v: Date | string) => (v instanceof Date ? v : new Date(v));
const atOrNull = (v: Date | string | null) => (v === null ? null : at(v));

/** The queue's page as the API and the inbox read it (mapped here: drizzle's row mapping was a third of a request's time). */
function summaryOf(r: QueueRow) {
  return {
    id: Number(r.id),
    status: r.status,
    priority: r.priority,
    priorityComponents: r.priority_components,
    category: r.category,
    reason: r.reason,
    team: r.team,
    assigneeId: r.assignee_id === null ? null : Number(r.assignee_id),
    dueAt: at(r.due_at),
    createdAt: at(r.created_at),
    firstResponseAt: atOrNull(r.first_response_at),
    falseAlarm: r.false_alarm,
    post: {
      id: Number(r.post_id),
      platform: r.platform,
      platformPostId: r.platform_post_id,
      url: r.url,
      text: r.text,
      postedAt: at(r.posted_at),
      goneAt: atOrNull(r.gone_at),
    },
    author: { handle: r.handle, displayName: r.display_name, followers: r.followers, verified: r.verified },
    language: r.language,
    languageGuess: r.language_guess,
    sentiment: r.sentiment,
    complaint: r.complaint,
    evidence: r.evidence,
  };
}

/** How many cases of the queue a search reads in order, step by step, before it asks the trigram index instead. */
const SEARCH_SCANS = [2_000];

/**
 * One page of the queue from `from` (the cases table, or a part of it named cases). The limit is
 * written as a number (it is validated as one): with it as a parameter PostgreSQL kept planning the
 * prepared query afresh (1 ms of planning for 0.5 ms of work); with it known, the plan is made once
 * per connection.
 */
async function pageOf(database: Database, prefix: SQL, from: SQL, where: SQL[], limit: number) {
  const rows = await database.rows<QueueRow>(sql`
    ${prefix}select cases.id, cases.status, cases.priority, cases.priority_components, cases.category, cases.reason, cases.team, cases.assignee_id,
           cases.due_at, cases.created_at, cases.first_response_at, cases.false_alarm,
           posts.id as post_id, posts.platform, posts.platform_post_id, posts.url, posts.text, posts.posted_at, posts.gone_at,
           authors.handle, authors.display_name, authors.followers, authors.verified,
           analyses.language, analyses.language_guess, analyses.sentiment, analyses.complaint, analyses.evidence
    from ${from}
    join posts on posts.id = cases.post_id
    join authors on authors.id = posts.author_id
    left join analyses on analyses.post_id = posts.id
    ${where.length ? sql`where ${and(...where)}` : sql``}
    order by -cases.priority, cases.id
    limit ${sql.raw(String(limit))}`);
  return rows.map(summaryOf);
}

/** Cases by priority (highest first), then by id; keyset-paginated so pages stay stable under inserts. */
export async function listCases(database: Database, q: CaseListQuery) {
  // Conditions on the case itself (the queue's index can read them in order) and on its post.
  const onCase: SQL[] = [];
  const onPost: SQL[] = [];
  if (q.status) onCase.push(eq(cases.status, q.status));
  if (q.language) onPost.push(eq(analyses.language, q.language));
  if (q.platform) onPost.push(eq(posts.platform, q.platform));
  if (q.team) onCase.push(eq(cases.team, q.team));
  if (q.category) onCase.push(eq(cases.category, q.category));
  if (q.assignee === 'none') onCase.push(isNull(cases.assigneeId));
  else if (q.assignee !== undefined) onCase.push(eq(cases.assigneeId, q.assignee));
  if (q.minPriority !== undefined) onCase.push(gte(cases.priority, q.minPriority));
  if (q.sla) {
    const waiting = and(inArray(cases.status, WAITING), isNull(cases.firstResponseAt));
    const hour = new Date(Date.now() + 3_600_000);
    if (q.sla === 'breached') onCase.push(and(waiting, lt(cases.dueAt, new Date()))!);
    else if (q.sla === 'due_soon') onCase.push(and(waiting, gte(cases.dueAt, new Date()), lt(cases.dueAt, hour))!);
    else onCase.push(or(not(waiting!), gte(cases.dueAt, hour))!);
  }
  // The queue's order is (-priority, id), an index (cases_queue_idx, cases_rank_idx): the cursor
  // is a row comparison on it, so a deep page is a range scan, not a filter over the pages before.
  if (q.cursor) {
    const c = decodeCursor(q.cursor);
    onCase.push(sql`(-${cases.priority}, ${cases.id}) > (${-c.priority}::int, ${c.id}::bigint)`);
  }
  const limit = Math.trunc(q.limit) + 1;
  const all = [...onCase, ...onPost, ...(q.q ? [matchesSearch(q.q)] : [])];
  const page = (from: SQL, prefix = sql``) => pageOf(database, prefix, from, all, limit);
  let rows: ReturnType<typeof summaryOf>[];
  if (!q.q) rows = await page(sql`cases`);
  else {
    // A search, in two bounded steps: the top cases of the queue, read in its order, fill the page
    // when the words are common there; else every match comes from the trigram index (with the
    // case's own filters) and only those are sorted. The planner, left to choose, read the queue
    // in order for rare words too (75,000 rows for a page); a larger first step it plans as a
    // sort of the whole queue.
    // The words are matched on the case before any join, and without filters on the post only a
    // page of matches meets the posts at all.
    const where = onCase.length ? sql`where ${and(...onCase)}` : sql``;
    const pageOnly = onPost.length ? sql`` : sql`order by -priority, id limit ${sql.raw(String(limit))}`;
    rows = [];
    for (const scan of SEARCH_SCANS) {
      rows = await page(
        sql`(select * from (select * from cases ${where} order by -priority, id limit ${sql.raw(String(scan))}) as cases where ${matchesSearch(q.q)} ${pageOnly}) as cases`,
      );
      if (rows.length >= limit) break;
    }
    if (rows.length < limit)
      rows = await page(
        sql`cases join matches on matches.id = cases.id`,
        sql`with matches as materialized (select id from cases where ${and(matchesSearch(q.q), ...onCase)} ${pageOnly}) `,
      );
  }
  const shown = rows.slice(0, q.limit);
  const last = shown.at(-1);
  return {
    cases: shown.map((r) => ({ ...r, priorityExplained: explainPriority(r.priority, r.priorityComponents as PriorityComponents) })),
    nextCursor: rows.length > q.limit && last ? encodeCursor(last.priority, last.id) : null,
  };
}

/** One case with its post, thread, the customer's earlier cases, analysis, flags with evidence, notes, replies, history and related notices. */
export async function getCase(database: Database, id: number, view?: { templates: Templates; responderName: string; userId: number }) {
  const [row] = await database.db
    .select({ case: cases, post: posts, author: authors, analysis: analyses })
    .from(cases)
    .innerJoin(posts, eq(posts.id, cases.postId))
    .innerJoin(authors, eq(authors.id, posts.authorId))
    .leftJoin(analyses, eq(analyses.postId, posts.id))
    .where(eq(cases.id, id));
  if (!row) throw notFound(`case ${id}`);
  const [caseFlags, caseReplies, assignee] = await Promise.all([
    database.db.select().from(flags).where(eq(flags.postId, row.post.id)).orderBy(asc(flags.id)),
    database.db
      .select({
        id: replies.id,
        status: replies.status,
        text: replies.text,
        platformReplyId: replies.platformReplyId,
        url: replies.url,
        attempts: replies.attempts,
        lastError: replies.lastError,
        private: replies.private,
        createdAt: replies.createdAt,
        sentAt: replies.sentAt,
        userId: replies.userId,
      })
      .from(replies)
      .where(eq(replies.caseId, id))
      .orderBy(asc(replies.id)),
    row.case.assigneeId ? database.db.select({ id: users.id, name: users.name }).from(users).where(eq(users.id, row.case.assigneeId)) : Promise.resolve([]),
  ]);
  const { raw: _raw, ...post } = row.post;
  if (view) {
    await database.db
      .insert(caseViewers)
      .values({ caseId: id, userId: view.userId })
      // Rewritten at most every 30 s per person and case: reloads and live updates read, they do not write.
      .onConflictDoUpdate({
        target: [caseViewers.caseId, caseViewers.userId],
        set: { seenAt: sql`now()` },
        setWhere: sql`${caseViewers.seenAt} < now() - interval '30 seconds'`,
      });
  }
  const [thread, earlierCases, notes, history, activeNotices, viewers, moderated] = await Promise.all([
    row.post.conversationId
      ? database.db
          .select({
            id: posts.id,
            platformPostId: posts.platformPostId,
            text: posts.text,
            postedAt: posts.postedAt,
            isOwn: posts.isOwn,
            handle: authors.handle,
          })
          .from(posts)
          .innerJoin(authors, eq(authors.id, posts.authorId))
          .where(and(eq(posts.platform, row.post.platform), eq(posts.conversationId, row.post.conversationId)))
          .orderBy(asc(posts.postedAt))
          .limit(50)
      : Promise.resolve([]),
    database.db
      .select({ id: cases.id, status: cases.status, category: cases.category, reason: cases.reason, createdAt: cases.createdAt, text: posts.text })
      .from(cases)
      .innerJoin(posts, eq(posts.id, cases.postId))
      .where(and(eq(posts.authorId, row.author.id), ne(cases.id, id)))
      .orderBy(desc(cases.id))
      .limit(10),
    database.db
      .select({ id: caseNotes.id, text: caseNotes.text, createdAt: caseNotes.createdAt, userId: caseNotes.userId, author: users.name })
      .from(caseNotes)
      .leftJoin(users, eq(users.id, caseNotes.userId))
      .where(eq(caseNotes.caseId, id))
      .orderBy(asc(caseNotes.id)),
    database.db
      .select({ at: auditLog.at, action: auditLog.action, actorUserId: auditLog.actorUserId, actor: users.name, details: auditLog.details })
      .from(auditLog)
      .leftJoin(users, eq(users.id, auditLog.actorUserId))
      .where(and(eq(auditLog.subjectType, 'case'), eq(auditLog.subjectId, String(id))))
      .orderBy(asc(auditLog.id)),
    database.db
      .select()
      .from(notices)
      .where(and(sql`${notices.startsAt} <= now()`, or(isNull(notices.endsAt), sql`${notices.endsAt} > now()`))),
    database.db
      .select({ userId: caseViewers.userId, name: users.name, seenAt: caseViewers.seenAt })
      .from(caseViewers)
      .innerJoin(users, eq(users.id, caseViewers.userId))
      .where(and(eq(caseViewers.caseId, id), ne(caseViewers.userId, view?.userId ?? 0), sql`${caseViewers.seenAt} > now() - interval '2 minutes'`)),
    moderationsOf(database, id),
  ]);
  const categories = row.analysis?.categories ?? [];
  const folded = fold(row.post.text.toLowerCase());
  const related = activeNotices.filter(
    (n) => n.categories.some((c) => categories.includes(c)) || n.keywords.some((k) => folded.includes(fold(k.toLowerCase()))),
  );
  const templateIds = [...new Set([...(row.case.templates ?? []), 'question', 'thanks'])].filter((t) => view?.templates[t]);
  const suggestions = view
    ? templateIds.map((tid) => ({
        id: tid,
        text: renderTemplate(view.templates, tid, {
          language: row.analysis?.language ?? 'en',
          cyrillic: /[\u0400-\u04FF]/.test(row.post.text),
          customerName: row.author.displayName,
          customerHandle: row.author.handle,
          responderName: view.responderName,
          postText: row.post.text,
        })!,
        suggestedByRules: row.case.templates.includes(tid),
      }))
    : [];
  return {
    ...row.case,
    priorityExplained: explainPriority(row.case.priority, row.case.priorityComponents as PriorityComponents),
    assignee: assignee[0] ?? null,
    post,
    author: row.author,
    analysis: row.analysis,
    flags: caseFlags,
    replies: caseReplies,
    thread,
    earlierCases,
    notes,
    history,
    notices: related.map((n) => ({ id: n.id, kind: n.kind, title: n.title, body: n.body, endsAt: n.endsAt })),
    /** Others who had the case open in the last two minutes. */
    viewers,
    /** Hides, unhides and deletes of the post on its platform, by a person or a rule, and why. */
    moderations: moderated,
    templates: suggestions,
  };
}

/**
 * Claims a case atomically: one conditional UPDATE, so two responders can never both hold it.
 * Claiming a case you already hold is a no-op success.
 */
export async function claimCase(database: Database, caseId: number, actor: Actor) {
  authorize(actor, 'cases.work');
  const userId = actor.id;
  return database.db.transaction(async (tx) => {
    const [claimed] = await tx
      .update(cases)
      .set({ status: 'claimed', assigneeId: userId, claimedAt: sql`now()`, updatedAt: sql`now()` })
      .where(
        and(
          eq(cases.id, caseId),
          or(inArray(cases.status, ['open', 'escalated']), and(inArray(cases.status, ['claimed', 'replied', 'snoozed']), eq(cases.assigneeId, userId))),
        ),
      )
      .returning({ id: cases.id, status: cases.status, assigneeId: cases.assigneeId, claimedAt: cases.claimedAt });
    if (claimed) {
      await audit(tx, { actorUserId: userId, action: 'case.claim', subjectType: 'case', subjectId: caseId });
      return claimed;
    }
    const [existing] = await tx.select({ status: cases.status, assigneeId: cases.assigneeId }).from(cases).where(eq(cases.id, caseId));
    if (!existing) throw notFound(`case ${caseId}`);
    if (existing.status === 'resolved') throw new AppError('CONFLICT', `case ${caseId} is resolved`);
    throw new AppError('CONFLICT', `case ${caseId} is already claimed by someone else`, { assigneeId: existing.assigneeId });
  });
}
