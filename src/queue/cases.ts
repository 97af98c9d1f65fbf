import { and, asc, desc, eq, gte, inArray, isNull, lt, ne, not, or, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { analyses, auditLog, authors, caseNotes, caseViewers, cases, flags, notices, posts, replies, users, type CaseStatus } from '../../db/schema/index.ts';
import { fold } from '../../rules/index.ts';
import { WAITING } from './lifecycle.ts';
import { matchesSearch } from './search.ts';
import { renderTemplate, type Templates } from './templates.ts';
import { explainPriority, type PriorityComponents } from '../../rules/index.ts';
import { audit } from '../audit.ts';
import { AppError, notFound } from '../errors.ts';

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

const caseSummary = {
  id: cases.id,
  status: cases.status,
  priority: cases.priority,
  priorityComponents: cases.priorityComponents,
  category: cases.category,
  reason: cases.reason,
  team: cases.team,
  assigneeId: cases.assigneeId,
  dueAt: cases.dueAt,
  createdAt: cases.createdAt,
  firstResponseAt: cases.firstResponseAt,
  falseAlarm: cases.falseAlarm,
  post: {
    id: posts.id,
    platform: posts.platform,
    platformPostId: posts.platformPostId,
    url: posts.url,
    text: posts.text,
    postedAt: posts.postedAt,
    goneAt: posts.goneAt,
  },
  author: { handle: authors.handle, displayName: authors.displayName, followers: authors.followers, verified: authors.verified },
  language: analyses.language,
  sentiment: analyses.sentiment,
  complaint: analyses.complaint,
  evidence: analyses.evidence,
};

/** Cases by priority (highest first), then by id; keyset-paginated so pages stay stable under inserts. */
export async function listCases(database: Database, q: CaseListQuery) {
  const where: SQL[] = [];
  if (q.status) where.push(eq(cases.status, q.status));
  if (q.language) where.push(eq(analyses.language, q.language));
  if (q.platform) where.push(eq(posts.platform, q.platform));
  if (q.team) where.push(eq(cases.team, q.team));
  if (q.category) where.push(eq(cases.category, q.category));
  if (q.assignee === 'none') where.push(isNull(cases.assigneeId));
  else if (q.assignee !== undefined) where.push(eq(cases.assigneeId, q.assignee));
  if (q.minPriority !== undefined) where.push(gte(cases.priority, q.minPriority));
  if (q.q) where.push(matchesSearch(q.q));
  if (q.sla) {
    const waiting = and(inArray(cases.status, WAITING), isNull(cases.firstResponseAt));
    const hour = new Date(Date.now() + 3_600_000);
    if (q.sla === 'breached') where.push(and(waiting, lt(cases.dueAt, new Date()))!);
    else if (q.sla === 'due_soon') where.push(and(waiting, gte(cases.dueAt, new Date()), lt(cases.dueAt, hour))!);
    else where.push(or(not(waiting!), gte(cases.dueAt, hour))!);
  }
  // The queue's order is (-priority, id), an index (cases_queue_idx, cases_rank_idx): the cursor
  // is a row comparison on it, so a deep page is a range scan, not a filter over the pages before.
  if (q.cursor) {
    const c = decodeCursor(q.cursor);
    where.push(sql`(-${cases.priority}, ${cases.id}) > (${-c.priority}::int, ${c.id}::bigint)`);
  }
  const rows = await database.db
    .select(caseSummary)
    .from(cases)
    .innerJoin(posts, eq(posts.id, cases.postId))
    .innerJoin(authors, eq(authors.id, posts.authorId))
    .leftJoin(analyses, eq(analyses.postId, posts.id))
    .where(where.length ? and(...where) : undefined)
    .orderBy(sql`-${cases.priority}`, asc(cases.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    cases: page.map((r) => ({ ...r, priorityExplained: explainPriority(r.priority, r.priorityComponents as PriorityComponents) })),
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
        createdAt: replies.createdAt,
        sentAt: replies.sentAt,
        userId: replies.userId,
      })
      .from(replies)
      .where(eq(replies.caseId, id))
      .orderBy(asc(replies.id)),
    row.case.assigneeId
      ? database.db.select({ id: users.id, name: users.name }).from(users).where(eq(users.id, row.case.assigneeId))
      : Promise.resolve([]),
  ]);
  const { raw: _raw, ...post } = row.post;
  if (view) {
    await database.db
      .insert(caseViewers)
      .values({ caseId: id, userId: view.userId })
      // Rewritten at most every 30 s per person and case: reloads and live updates read, they do not write.
      .onConflictDoUpdate({ target: [caseViewers.caseId, caseViewers.userId], set: { seenAt: sql`now()` }, setWhere: sql`${caseViewers.seenAt} < now() - interval '30 seconds'` });
  }
  const [thread, earlierCases, notes, history, activeNotices, viewers] = await Promise.all([
    row.post.conversationId
      ? database.db
          .select({ id: posts.id, platformPostId: posts.platformPostId, text: posts.text, postedAt: posts.postedAt, isOwn: posts.isOwn, handle: authors.handle })
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
  ]);
  const categories = row.analysis?.categories ?? [];
  const folded = fold(row.post.text.toLowerCase());
  const related = activeNotices.filter((n) => n.categories.some((c) => categories.includes(c)) || n.keywords.some((k) => folded.includes(fold(k.toLowerCase()))));
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
    templates: suggestions,
  };
}

/**
 * Claims a case atomically: one conditional UPDATE, so two responders can never both hold it.
 * Claiming a case you already hold is a no-op success.
 */
export async function claimCase(database: Database, caseId: number, userId: number) {
  return database.db.transaction(async (tx) => {
    const [claimed] = await tx
      .update(cases)
      .set({ status: 'claimed', assigneeId: userId, claimedAt: sql`now()`, updatedAt: sql`now()` })
      .where(and(eq(cases.id, caseId), or(inArray(cases.status, ['open', 'escalated']), and(inArray(cases.status, ['claimed', 'replied', 'snoozed']), eq(cases.assigneeId, userId)))))
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
