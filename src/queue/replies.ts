import { and, asc, desc, eq, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { AdapterSet } from '../../adapters/registry.ts';
import type { PlatformAdapter } from '../../adapters/types.ts';
import type { Database } from '../../db/client.ts';
import { authors, cases, posts, type Reply, replies } from '../../db/schema/index.ts';
import { audit } from '../audit.ts';
import { type Actor, authorize } from '../auth/permissions.ts';
import { AppError, notFound } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { afterFailure, failureText, platformFailure } from '../outbox.ts';
import { mayAct } from './lifecycle.ts';
import { sign } from './templates.ts';

export const MAX_ATTEMPTS = 8;
const SENDING_LEASE_MS = 2 * 60_000;

/** A reply as the platform receives it: trimmed, and signed unless it ends with the signature. */
export const outgoingReply = (text: string, sig: string | undefined): string => sign(text.trim(), sig);

/** A reply's length as its platform counts it against `maxReplyLength` (code points unless the adapter says). */
export const replyLength = (adapter: PlatformAdapter | undefined, text: string): number => adapter?.replyLength?.(text) ?? [...text].length;

export interface NewReply {
  caseId: number;
  /** Who replies: they must work the queue and hold the case. */
  actor: Actor;
  text: string;
  /** The client's Idempotency-Key: the same key on the same case is the same reply intent. */
  idempotencyKey: string;
  /** The team's signature for this responder ("– Ana"), added unless the text ends with it. */
  signature?: string;
  /** In the customer's inbox instead of under their post, where the platform allows (Meta: once per post, within 7 days). */
  private?: boolean;
}

/**
 * Records a reply intent in the outbox (never posts inline). The same idempotency key on the same
 * case returns the first intent instead of creating a second; reused with other text it is a 409.
 */
export async function createReply(database: Database, adapters: AdapterSet, r: NewReply): Promise<{ reply: Reply; replayed: boolean }> {
  authorize(r.actor, 'cases.work');
  const text = outgoingReply(r.text, r.signature);
  const key = `${r.caseId}:${r.idempotencyKey}`;
  return database.db.transaction(async (tx) => {
    const [c] = await tx
      .select({
        status: cases.status,
        assigneeId: cases.assigneeId,
        platform: posts.platform,
        postId: posts.id,
        conversationId: posts.conversationId,
        authorId: posts.authorId,
      })
      .from(cases)
      .innerJoin(posts, eq(posts.id, cases.postId))
      .where(eq(cases.id, r.caseId))
      .for('update', { of: cases });
    if (!c) throw notFound(`case ${r.caseId}`);
    const [earlier] = await tx.select().from(replies).where(eq(replies.idempotencyKey, key));
    if (earlier) {
      if (earlier.text !== text) throw new AppError('CONFLICT', 'Idempotency-Key was already used for a different reply on this case');
      return { reply: earlier, replayed: true };
    }
    if (c.status === 'resolved') throw new AppError('CONFLICT', `case ${r.caseId} is resolved`);
    if (c.assigneeId !== r.actor.id) {
      throw new AppError('CONFLICT', c.assigneeId === null ? `claim case ${r.caseId} before replying` : `case ${r.caseId} is claimed by someone else`);
    }
    // The reply answers the customer's latest post in the thread (their follow-up, or the edit of
    // their complaint), so it reads as an answer to what they said last, where they said it.
    const [target] = await tx
      .select({ id: posts.id, postedAt: posts.postedAt })
      .from(posts)
      .where(
        and(
          c.conversationId
            ? and(eq(posts.platform, c.platform), eq(posts.conversationId, c.conversationId), eq(posts.authorId, c.authorId))
            : eq(posts.id, c.postId),
          eq(posts.isOwn, false),
          isNull(posts.goneAt),
        ),
      )
      .orderBy(desc(posts.postedAt), desc(posts.id))
      .limit(1);
    if (!target)
      throw new AppError(
        'UNPROCESSABLE',
        `the customer's post is gone from ${c.platform} (deleted, or no longer visible to the brand): a public reply cannot reach it`,
      );
    const adapter = adapters[c.platform as keyof AdapterSet];
    if (!adapter) throw new AppError('UNPROCESSABLE', `cannot reply on ${c.platform}: no adapter for it in this deployment`);
    if (r.private) {
      const pr = adapter.privateReply;
      if (!pr) throw new AppError('UNPROCESSABLE', `private: ${c.platform} takes no private replies to a post; reply in the thread`);
      const until = new Date(target.postedAt.getTime() + pr.windowMs);
      if (until.getTime() <= Date.now())
        throw new AppError(
          'UNPROCESSABLE',
          `private: ${c.platform} takes a private reply only until ${until.toISOString()} (${Math.round(pr.windowMs / 86_400_000)} days after the post); reply in the thread`,
        );
      if ([...text].length > pr.maxLength)
        throw new AppError('UNPROCESSABLE', `text: ${[...text].length} characters; a private reply on ${c.platform} allows at most ${pr.maxLength}`);
      const [earlierPrivate] = await tx
        .select({ id: replies.id })
        .from(replies)
        .where(and(eq(replies.targetPostId, target.id), eq(replies.private, true), sql`${replies.status} in ('pending', 'sending', 'sent')`));
      if (earlierPrivate)
        throw new AppError(
          'CONFLICT',
          `private: this post was already answered privately (reply ${earlierPrivate.id}); ${c.platform} allows one private reply per post`,
        );
    } else {
      const length = replyLength(adapter, text);
      if (length > adapter.maxReplyLength) {
        throw new AppError('UNPROCESSABLE', `text: ${length} characters as ${c.platform} counts them; it allows at most ${adapter.maxReplyLength}`);
      }
    }
    const [reply] = await tx
      .insert(replies)
      .values({ caseId: r.caseId, userId: r.actor.id, platform: c.platform, text, idempotencyKey: key, targetPostId: target.id, private: r.private ?? false })
      .returning();
    await audit(tx, { actorUserId: r.actor.id, action: 'reply.create', subjectType: 'case', subjectId: r.caseId, details: { replyId: reply!.id } });
    return { reply: reply!, replayed: false };
  });
}

/** Takes the next due reply for delivery; a crashed delivery becomes due again when its lease ends. */
async function takeNext(database: Database, at: Date | undefined): Promise<Reply | undefined> {
  // The database's clock decides what is due (its timestamps have microseconds; a JS Date does not).
  const dueBy = at ?? sql`now()`;
  const now = at ?? new Date();
  return database.db.transaction(async (tx) => {
    const [due] = await tx
      .select({ id: replies.id })
      .from(replies)
      .where(or(and(eq(replies.status, 'pending'), lte(replies.availableAt, dueBy)), and(eq(replies.status, 'sending'), lt(replies.lockedUntil, dueBy))))
      .orderBy(asc(replies.id))
      .limit(1)
      .for('update', { skipLocked: true });
    if (!due) return undefined;
    const [taken] = await tx
      .update(replies)
      .set({
        status: 'sending',
        attempts: sql`${replies.attempts} + 1`,
        lockedUntil: new Date(now.getTime() + SENDING_LEASE_MS),
        lockedBy: database.name ?? null,
      })
      .where(eq(replies.id, due.id))
      .returning();
    return taken;
  });
}

/**
 * Delivers due replies through their platform's adapter. Exactly one public reply per intent:
 * the idempotency key goes to the adapter, which checks for an earlier reply when an outcome was
 * unknown. Retryable failures back off; others fail visibly on the case; after MAX_ATTEMPTS a reply
 * is dead-lettered (status "dead") for a person to look at.
 */
export async function deliverDueReplies(database: Database, adapters: AdapterSet, log: Logger, opts: { limit?: number; now?: Date } = {}): Promise<number> {
  let delivered = 0;
  // One reply is taken at a time, just before its send: a lease never covers sends queued behind a
  // slow one, and a process that dies leaves one reply in doubt, not a batch whose attempt counts
  // all went up (and would be dead-lettered after a few crashes without a single try).
  for (; delivered < (opts.limit ?? 20); delivered++) {
    const reply = await takeNext(database, opts.now);
    if (!reply) break;
    const rlog = log.child({ job: 'outbox', replyId: reply.id, caseId: reply.caseId, platform: reply.platform });
    // Fenced by the attempt number: a reply another instance took over meanwhile is left to it.
    const held = and(eq(replies.id, reply.id), eq(replies.status, 'sending'), eq(replies.attempts, reply.attempts));
    const started = Date.now();
    try {
      const [target] = await database.db
        .select({ platformPostId: posts.platformPostId, conversationId: posts.conversationId, handle: authors.handle })
        .from(cases)
        .innerJoin(posts, eq(posts.id, reply.targetPostId ?? cases.postId))
        .innerJoin(authors, eq(authors.id, posts.authorId))
        .where(eq(cases.id, reply.caseId));
      const adapter = adapters[reply.platform as keyof AdapterSet];
      if (!target || !adapter) throw new AppError('UNPROCESSABLE', `no adapter or post for platform ${reply.platform}`);
      // Any attempt after the first may follow one that posted before its answer was lost.
      const to = { platformPostId: target.platformPostId, conversationId: target.conversationId, authorHandle: target.handle };
      const mayHaveBeenSent = { mayHaveBeenSent: reply.attempts > 1 };
      if (reply.private && !adapter.privateReply) throw new AppError('UNPROCESSABLE', `${reply.platform} takes no private replies any more`);
      const sent = reply.private
        ? await adapter.privateReply!.send(to, reply.text, reply.idempotencyKey, mayHaveBeenSent)
        : await adapter.reply(to, reply.text, reply.idempotencyKey, mayHaveBeenSent);
      const recorded = await database.db.transaction(async (tx) => {
        const [mine] = await tx
          .update(replies)
          .set({
            status: 'sent',
            platformReplyId: sent.platformReplyId,
            url: sent.url ?? null,
            sentAt: sql`now()`,
            lastError: null,
            lockedUntil: null,
            lockedBy: null,
          })
          .where(held)
          .returning({ id: replies.id });
        // Taken over meanwhile: the other instance looks for this very reply before it posts (mayHaveBeenSent).
        if (!mine) return false;
        await tx
          .update(cases)
          .set({
            status: sql`case when ${cases.status} in ('open', 'claimed') then 'replied' else ${cases.status} end`,
            firstResponseAt: sql`coalesce(${cases.firstResponseAt}, now())`,
            updatedAt: sql`now()`,
          })
          .where(eq(cases.id, reply.caseId));
        await audit(tx, {
          actorUserId: reply.userId,
          action: 'reply.sent',
          subjectType: 'case',
          subjectId: reply.caseId,
          details: { replyId: reply.id, platformReplyId: sent.platformReplyId },
        });
        return true;
      });
      if (!recorded) {
        rlog.warn(
          { attempts: reply.attempts, platformReplyId: sent.platformReplyId },
          'reply sent, but another instance took it over meanwhile; it will find this one',
        );
        continue;
      }
      rlog.info({ ms: Date.now() - started, attempts: reply.attempts, platformReplyId: sent.platformReplyId }, 'reply sent');
    } catch (e) {
      const { message, failure } = platformFailure(e, reply.attempts, MAX_ATTEMPTS);
      const { status, availableAt, attempts } = afterFailure(failure);
      await database.db
        .update(replies)
        .set({ status, attempts, lastError: failureText(message, failure), lockedUntil: null, lockedBy: null, availableAt })
        .where(held);
      rlog.warn(
        { ms: Date.now() - started, attempts: reply.attempts, status, error: message },
        failure.credentialsRefused ? 'reply held: the platform refused the credentials' : 'reply not sent',
      );
    }
  }
  if (!delivered) log.debug({ job: 'outbox', due: 0 }, 'outbox');
  return delivered;
}

/** Sends a failed or dead-lettered reply again: the person holding the case, or a community manager, decided to. */
export async function retryReply(database: Database, caseId: number, replyId: number, actor: Actor): Promise<Reply> {
  authorize(actor, 'cases.work');
  return database.db.transaction(async (tx) => {
    const [c] = await tx.select({ assigneeId: cases.assigneeId }).from(cases).where(eq(cases.id, caseId)).for('update');
    if (!c) throw notFound(`case ${caseId}`);
    mayAct(actor, c, 'send a reply again on');
    const [r] = await tx.select().from(replies).where(eq(replies.id, replyId)).for('update');
    if (!r || r.caseId !== caseId) throw notFound(`reply ${replyId} on case ${caseId}`);
    if (r.status !== 'failed' && r.status !== 'dead')
      throw new AppError('CONFLICT', `reply ${replyId} is ${r.status}; only failed or dead replies can be retried`);
    const [row] = await tx
      .update(replies)
      .set({ status: 'pending', attempts: 0, availableAt: sql`now()`, lockedUntil: null })
      .where(eq(replies.id, replyId))
      .returning();
    await audit(tx, { actorUserId: actor.id, action: 'reply.retry', subjectType: 'case', subjectId: caseId, details: { replyId, lastError: r.lastError } });
    return row!;
  });
}
