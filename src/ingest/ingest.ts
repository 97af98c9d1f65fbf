import { and, asc, eq, gte, inArray, ne, sql } from 'drizzle-orm';
import { NormalizedPostSchema, type NormalizedPost, type PollResult } from '../../adapters/types.ts';
import type { Database, Tx } from '../../db/client.ts';
import { alerts, analyses, auditLog, authors, cases, flags, posts, streams } from '../../db/schema/index.ts';
import { ANALYZER_VERSION, analyzeDetailed, evaluate, historyDaysFor, type AnalysisDetail, type CompiledPack, type Outcome } from '../../rules/index.ts';
import { countComplaint } from '../alerts/spikes.ts';
import { joinThread } from '../queue/lifecycle.ts';
import { firstResponseDue, resolutionDue, type BusinessHours } from '../queue/sla.ts';
import { earlierComplaintTimes } from './complaint-history.ts';
import { storable } from '../storable.ts';
import { audit } from '../audit.ts';
import { zodIssues } from '../errors.ts';

export interface IngestSummary {
  received: number;
  stored: number;
  duplicates: number;
  /** Posts of a shape ingest cannot store (a field missing or of the wrong type), newly set aside in the audit log. */
  rejected: number;
  flagged: number;
  ignored: number;
  caseIds: number[];
  /** Cases a follow-up post joined (reopened when they were no longer waiting). */
  reopened: number[];
  alerts: Array<{ caseId: number; audience: string }>;
}

/** Interactions per hour since posting; a floor of 15 minutes keeps a brand-new post from spiking. */
export function engagementPerHour(p: Pick<NormalizedPost, 'metrics' | 'postedAt'>, now: Date): number {
  const m = p.metrics;
  if (!m) return 0;
  const total = m.likes + m.reposts + m.replies + m.quotes;
  const hours = Math.max(0.25, (now.getTime() - p.postedAt.getTime()) / 3_600_000);
  return total / hours;
}

/**
 * Stores a poll's posts and advances the stream's cursor in ONE transaction, so a crash either
 * keeps both or neither: a restart resumes from the cursor and a post delivered twice is stored
 * once (the database's unique key decides). New posts are analyzed, run through the rule packs,
 * and the flagged ones become open cases.
 */
export async function ingest(
  database: Database,
  packs: readonly CompiledPack[],
  stream: { id: number; name: string },
  result: PollResult,
  now: Date = new Date(),
  opts: { businessHours?: BusinessHours } = {},
): Promise<IngestSummary> {
  // A NUL or a broken surrogate from the platform becomes U+FFFD, and a post of the wrong shape is
  // set aside in the audit log with what is wrong: either would otherwise fail every batch it is in.
  const checked = result.posts.map(storable).map((post) => ({ post, check: NormalizedPostSchema.safeParse(post) }));
  const rejected = checked.filter((c) => !c.check.success).map(({ post, check }) => ({ post, issues: check.error ? zodIssues(check.error) : [] }));
  // Analysis is pure CPU work: done before the transaction to keep it short.
  const analyzed = checked.filter((c) => c.check.success).map(({ post }) => ({ post, detail: analyzeDetailed(post.text, { toBrand: true }) }));
  const summary: IngestSummary = { received: result.posts.length, stored: 0, duplicates: 0, rejected: 0, flagged: 0, ignored: 0, caseIds: [], reopened: [], alerts: [] };

  await database.db.transaction(async (tx) => {
    for (const { post, issues } of rejected) {
      const raw = (post as { platformPostId?: unknown }).platformPostId;
      const id = typeof raw === 'string' ? raw : null;
      // Polls re-read a little of what they saw (X delivers some posts late): set aside once.
      if (id !== null && (await tx.select({ id: auditLog.id }).from(auditLog).where(and(eq(auditLog.action, 'post.rejected'), eq(auditLog.subjectId, String(stream.id)), sql`${auditLog.details}->>'platformPostId' = ${id}`)).limit(1)).length) continue;
      summary.rejected++;
      await audit(tx, { actorUserId: null, action: 'post.rejected', subjectType: 'stream', subjectId: stream.id, details: { platformPostId: id, issues, raw: storable(post.raw ?? null) } });
    }
    for (const { post: received, detail } of analyzed) {
      // An edit joins its first version's thread (and so its case); its words were counted once.
      const first = await firstVersion(tx, received);
      const post = first ? { ...received, conversationId: first.conversationId ?? first.platformPostId } : received;
      const stored = await storePost(tx, stream.id, post, first?.id);
      if (stored === undefined) {
        summary.duplicates++;
        continue;
      }
      summary.stored++;
      if (!post.isOwn && !post.isRepost && !first) await countComplaint(tx, detail, post.postedAt, now);
      const outcome = await assess(tx, packs, stream.name, post, stored.authorId, stored.postId, detail, now);
      if (outcome.ignored) summary.ignored++;
      // The customer writing again in a case's thread reopens that case instead of opening another.
      const joined = post.isOwn || post.isRepost ? undefined : await joinThread(tx, { platform: post.platform, conversationId: post.conversationId, authorId: stored.authorId, postedAt: post.postedAt, postId: stored.postId }, opts.businessHours);
      if (joined !== undefined) summary.reopened.push(joined);
      else if (!outcome.ignored && outcome.flags.length) {
        summary.flagged++;
        const caseId = await openCase(tx, stored.postId, post, outcome, now, opts.businessHours);
        if (caseId !== undefined) {
          summary.caseIds.push(caseId);
          for (const audience of outcome.alerts) {
            await raiseRuleAlert(tx, caseId, audience as 'marketing' | 'community_manager', post, outcome);
            summary.alerts.push({ caseId, audience });
          }
        }
      }
    }
    await tx
      .update(streams)
      .set({
        cursor: result.cursor,
        lastPollAt: now,
        lastSuccessAt: now,
        lastError: null,
        failingSince: null,
        rateLimit: result.rateLimit ? { remaining: result.rateLimit.remaining, resetAt: result.rateLimit.resetAt?.toISOString() } : null,
      })
      .where(eq(streams.id, stream.id));
  });
  return summary;
}

/** The earliest stored version of an edited post, if any version is stored. */
async function firstVersion(tx: Tx, post: NormalizedPost): Promise<{ id: number; platformPostId: string; conversationId: string | null } | undefined> {
  if (!post.editOf?.length) return undefined;
  const [row] = await tx
    .select({ id: posts.id, platformPostId: posts.platformPostId, conversationId: posts.conversationId })
    .from(posts)
    .where(and(eq(posts.platform, post.platform), inArray(posts.platformPostId, post.editOf)))
    .orderBy(asc(posts.id))
    .limit(1);
  return row;
}

/** Inserts author and post; returns undefined when the post was already stored. */
async function storePost(tx: Tx, streamId: number, post: NormalizedPost, editOfPostId?: number): Promise<{ postId: number; authorId: number } | undefined> {
  const [author] = await tx
    .insert(authors)
    .values({
      platform: post.platform,
      platformUserId: post.author.platformUserId,
      handle: post.author.handle,
      displayName: post.author.displayName ?? null,
      followers: post.author.followers ?? null,
      verified: post.author.verified ?? false,
    })
    .onConflictDoUpdate({
      target: [authors.platform, authors.platformUserId],
      set: {
        handle: post.author.handle,
        displayName: post.author.displayName ?? null,
        followers: sql`coalesce(excluded.followers, ${authors.followers})`,
        verified: post.author.verified ?? false,
        updatedAt: sql`now()`,
      },
    })
    .returning({ id: authors.id });
  const [row] = await tx
    .insert(posts)
    .values({
      platform: post.platform,
      platformPostId: post.platformPostId,
      streamId,
      authorId: author!.id,
      url: post.url ?? null,
      text: post.text,
      postedAt: post.postedAt,
      conversationId: post.conversationId ?? null,
      inReplyToId: post.inReplyToId ?? null,
      editOfPostId: editOfPostId ?? null,
      isOwn: post.isOwn,
      isRepost: post.isRepost,
      metrics: post.metrics ?? null,
      metricsAt: post.metrics ? sql`now()` : null,
      raw: post.raw ?? {},
    })
    .onConflictDoNothing({ target: [posts.platform, posts.platformPostId] })
    .returning({ id: posts.id });
  return row ? { postId: row.id, authorId: author!.id } : undefined;
}

async function assess(
  tx: Tx,
  packs: readonly CompiledPack[],
  streamName: string,
  post: NormalizedPost,
  authorId: number,
  postId: number,
  detail: AnalysisDetail,
  now: Date,
): Promise<Outcome> {
  await tx.insert(analyses).values({
    postId,
    analyzerVersion: ANALYZER_VERSION,
    language: detail.language,
    languageConfidence: detail.languageConfidence,
    sentiment: detail.sentiment,
    negative: detail.negative,
    complaint: detail.complaint,
    isComplaint: detail.isComplaint,
    isQuestion: detail.isQuestion,
    categories: detail.categories,
    evidence: detail.evidence,
  });
  // The author's earlier complaints, only as far back as some rule reads them (none: no query).
  const days = historyDaysFor(packs);
  const since = new Date(now.getTime() - days * 86_400_000);
  const history = days
    ? await tx
        .select({ at: posts.postedAt, thread: sql<string>`coalesce(${posts.conversationId}, ${posts.platformPostId})`, editOf: posts.editOfPostId })
        .from(posts)
        .innerJoin(analyses, eq(analyses.postId, posts.id))
        .where(and(eq(posts.authorId, authorId), ne(posts.id, postId), eq(analyses.isComplaint, true), gte(posts.postedAt, since)))
    : [];
  const m = post.metrics;
  const outcome = evaluate(packs, detail, {
    platform: post.platform,
    stream: streamName,
    text: post.text,
    isOwn: post.isOwn,
    isRepost: post.isRepost,
    followers: post.author.followers ?? null,
    verified: post.author.verified ?? false,
    engagement: m ? m.likes + m.reposts + m.replies + m.quotes : 0,
    engagementPerHour: engagementPerHour(post, now),
    authorComplaintTimes: earlierComplaintTimes(history, post.conversationId ?? post.platformPostId, now),
    now,
  });
  if (outcome.flags.length && !outcome.ignored) {
    await tx.insert(flags).values(
      outcome.flags.map((f) => ({ postId, pack: f.pack, ruleId: f.ruleId, category: f.category ?? null, reason: f.reason, evidence: f.evidence })),
    );
  }
  return outcome;
}

async function openCase(tx: Tx, postId: number, post: NormalizedPost, outcome: Outcome, now: Date, bh?: BusinessHours): Promise<number | undefined> {
  const reasons = [...new Set(outcome.flags.map((f) => f.reason))];
  const [row] = await tx
    .insert(cases)
    .values({
      postId,
      status: 'open',
      priority: outcome.priority,
      priorityComponents: outcome.components,
      category: outcome.category ?? null,
      reason: reasons.join(' '),
      team: outcome.team,
      templates: outcome.templates,
      dueAt: firstResponseDue(outcome.priority, post.postedAt < now ? post.postedAt : now, bh),
      resolveDueAt: resolutionDue(outcome.priority, post.postedAt < now ? post.postedAt : now, bh),
    })
    .onConflictDoNothing()
    .returning({ id: cases.id });
  return row?.id;
}

/** An alert intent from a rule, stored with the case; the alerts issue delivers them. One per case and audience. */
async function raiseRuleAlert(tx: Tx, caseId: number, audience: 'marketing' | 'community_manager', post: NormalizedPost, outcome: Outcome): Promise<void> {
  const rules = outcome.flags.map((f) => `${f.pack}/${f.ruleId}`);
  await tx
    .insert(alerts)
    .values({
      kind: 'rule',
      audience,
      caseId,
      dedupKey: `rule:${caseId}:${audience}`,
      title: `${outcome.category ?? 'complaint'} (priority ${outcome.priority}) from @${post.author.handle}: ${outcome.reason ?? ''}`.slice(0, 300),
      details: { rules, priority: outcome.priority, platform: post.platform, url: post.url ?? null },
    })
    .onConflictDoNothing();
}

/** Records a failed poll on the stream (its health), without touching its cursor. */
export async function recordPollFailure(database: Database, streamId: number, message: string, now: Date = new Date()): Promise<void> {
  await database.db
    .update(streams)
    .set({ lastPollAt: now, lastError: message.slice(0, 500), failingSince: sql`coalesce(${streams.failingSince}, ${now.toISOString()}::timestamptz)` })
    .where(eq(streams.id, streamId));
}

