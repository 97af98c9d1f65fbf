import { and, asc, desc, eq, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { analyses, authors, cases, flags, posts, replies, users, type CaseStatus } from '../../db/schema/index.ts';
import { explainPriority, type PriorityComponents } from '../../rules/index.ts';
import { audit } from '../audit.ts';
import { AppError, notFound } from '../errors.ts';

export interface CaseListQuery {
  status?: CaseStatus;
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
  post: {
    id: posts.id,
    platform: posts.platform,
    platformPostId: posts.platformPostId,
    url: posts.url,
    text: posts.text,
    postedAt: posts.postedAt,
  },
  author: { handle: authors.handle, displayName: authors.displayName, followers: authors.followers, verified: authors.verified },
  language: analyses.language,
  sentiment: analyses.sentiment,
  complaint: analyses.complaint,
};

/** Cases by priority (highest first), then by id; keyset-paginated so pages stay stable under inserts. */
export async function listCases(database: Database, q: CaseListQuery) {
  const where: SQL[] = [];
  if (q.status) where.push(eq(cases.status, q.status));
  if (q.cursor) {
    const c = decodeCursor(q.cursor);
    where.push(or(lt(cases.priority, c.priority), and(eq(cases.priority, c.priority), sql`${cases.id} > ${c.id}`))!);
  }
  const rows = await database.db
    .select(caseSummary)
    .from(cases)
    .innerJoin(posts, eq(posts.id, cases.postId))
    .innerJoin(authors, eq(authors.id, posts.authorId))
    .leftJoin(analyses, eq(analyses.postId, posts.id))
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(cases.priority), asc(cases.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    cases: page.map((r) => ({ ...r, priorityExplained: explainPriority(r.priority, r.priorityComponents as PriorityComponents) })),
    nextCursor: rows.length > q.limit && last ? encodeCursor(last.priority, last.id) : null,
  };
}

/** One case with its post, author, analysis, flags with evidence, and replies. */
export async function getCase(database: Database, id: number) {
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
  return {
    ...row.case,
    priorityExplained: explainPriority(row.case.priority, row.case.priorityComponents as PriorityComponents),
    assignee: assignee[0] ?? null,
    post,
    author: row.author,
    analysis: row.analysis,
    flags: caseFlags,
    replies: caseReplies,
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
      .where(and(eq(cases.id, caseId), or(eq(cases.status, 'open'), and(inArray(cases.status, ['claimed', 'replied']), eq(cases.assigneeId, userId)))))
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
