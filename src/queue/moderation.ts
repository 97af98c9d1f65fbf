import { and, asc, eq, inArray, lte, or, sql } from 'drizzle-orm';
import { isAdapterError } from '../../adapters/errors.ts';
import type { AdapterSet } from '../../adapters/registry.ts';
import type { Database } from '../../db/client.ts';
import { cases, type Moderation, type ModerationActionName, moderations, posts, users } from '../../db/schema/index.ts';
import { audit } from '../audit.ts';
import { type Actor, authorize } from '../auth/permissions.ts';
import { AppError, notFound } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { afterFailure, failureText, platformFailure } from '../outbox.ts';
import { markGone } from '../privacy/gone.ts';

export const MAX_MODERATION_ATTEMPTS = 6;
const LEASE_MS = 2 * 60_000;

export interface ModerationRequest {
  caseId: number;
  actor: Actor;
  action: ModerationActionName;
  reason: string;
}

/**
 * A community manager hides, shows again or deletes the customer's post of a case on its
 * platform. Queued for the worker (never a platform call inside a request); the same action
 * already waiting is that request, not a second. Audited on the case.
 */
export async function requestModeration(
  database: Database,
  adapters: AdapterSet,
  r: ModerationRequest,
): Promise<{ moderation: Moderation; replayed: boolean }> {
  authorize(r.actor, 'cases.moderate');
  const reason = r.reason.trim();
  if (!reason) throw new AppError('BAD_REQUEST', 'reason: say why (the case history keeps it)');
  return database.db.transaction(async (tx) => {
    const [c] = await tx
      .select({ postId: cases.postId, platform: posts.platform, goneAt: posts.goneAt, isOwn: posts.isOwn })
      .from(cases)
      .innerJoin(posts, eq(posts.id, cases.postId))
      .where(eq(cases.id, r.caseId))
      .for('update', { of: cases });
    if (!c) throw notFound(`case ${r.caseId}`);
    const can = adapters[c.platform as keyof AdapterSet]?.moderation?.actions ?? [];
    if (!can.includes(r.action))
      throw new AppError(
        'UNPROCESSABLE',
        `action: ${c.platform} does not let the brand ${r.action} a customer's post through its API${can.length ? ` (it allows: ${can.join(', ')})` : ''}`,
      );
    if (c.goneAt) throw new AppError('UNPROCESSABLE', `the customer's post is gone from ${c.platform}: there is nothing left to ${r.action}`);
    const [waiting] = await tx
      .select()
      .from(moderations)
      .where(and(eq(moderations.postId, c.postId), eq(moderations.action, r.action), inArray(moderations.status, ['pending', 'sending'])));
    if (waiting) return { moderation: waiting, replayed: true };
    const [m] = await tx
      .insert(moderations)
      .values({ postId: c.postId, caseId: r.caseId, platform: c.platform, action: r.action, reason: reason.slice(0, 500), userId: r.actor.id })
      .returning();
    await audit(tx, {
      actorUserId: r.actor.id,
      action: `post.${r.action}.request`,
      subjectType: 'case',
      subjectId: r.caseId,
      details: { moderationId: m!.id, reason: m!.reason },
    });
    return { moderation: m!, replayed: false };
  });
}

/** What was done to a case's post, and why, newest last: for the case page and the API. */
export async function moderationsOf(database: Database, caseId: number) {
  return database.db
    .select({
      id: moderations.id,
      action: moderations.action,
      reason: moderations.reason,
      rule: moderations.rule,
      status: moderations.status,
      lastError: moderations.lastError,
      createdAt: moderations.createdAt,
      doneAt: moderations.doneAt,
      by: users.name,
    })
    .from(moderations)
    .leftJoin(users, eq(users.id, moderations.userId))
    .where(eq(moderations.caseId, caseId))
    .orderBy(asc(moderations.id));
}

/**
 * Carries out due moderations through their platform's adapter, a few a run, each leased so a
 * crash retries it once the lease ends. A hide or unhide is safe to repeat; a delete that finds the
 * post already gone is done. Dead credentials hold the action; a refusal fails it visibly.
 */
export async function deliverModerations(database: Database, adapters: AdapterSet, log: Logger, opts: { limit?: number; now?: Date } = {}): Promise<number> {
  const dueBy = opts.now ?? sql`now()`;
  const now = opts.now ?? new Date();
  const due = await database.db.transaction(async (tx) => {
    const rows = await tx
      .select({ id: moderations.id })
      .from(moderations)
      .where(and(or(eq(moderations.status, 'pending'), eq(moderations.status, 'sending')), lte(moderations.availableAt, dueBy)))
      .orderBy(asc(moderations.availableAt))
      .limit(opts.limit ?? 20)
      .for('update', { skipLocked: true });
    if (!rows.length) return [];
    return tx
      .update(moderations)
      .set({ status: 'sending', attempts: sql`${moderations.attempts} + 1`, availableAt: new Date(now.getTime() + LEASE_MS) })
      .where(
        inArray(
          moderations.id,
          rows.map((r) => r.id),
        ),
      )
      .returning();
  });
  if (!due.length) return 0;
  const targets = new Map(
    (
      await database.db
        .select({ id: posts.id, platformPostId: posts.platformPostId })
        .from(posts)
        .where(inArray(posts.id, [...new Set(due.map((m) => m.postId))]))
    ).map((p) => [p.id, p.platformPostId]),
  );
  for (const m of due) {
    const mlog = log.child({ job: 'moderation', moderationId: m.id, caseId: m.caseId, platform: m.platform, action: m.action });
    const held = and(eq(moderations.id, m.id), eq(moderations.attempts, m.attempts));
    try {
      const adapter = adapters[m.platform as keyof AdapterSet];
      const target = targets.get(m.postId);
      if (!adapter?.moderation || !target) throw new AppError('UNPROCESSABLE', `no moderating adapter, or no post, for platform ${m.platform}`);
      try {
        await adapter.moderation.apply(target, m.action);
      } catch (e) {
        // Deleting what is already gone has done what was asked.
        if (!(m.action === 'delete' && isAdapterError(e) && e.kind === 'not_found')) throw e;
      }
      await database.db.transaction(async (tx) => {
        await tx.update(moderations).set({ status: 'done', doneAt: sql`now()`, lastError: null }).where(held);
        if (m.caseId)
          await audit(tx, {
            actorUserId: m.userId,
            action: `post.${m.action === 'delete' ? 'deleted' : m.action === 'hide' ? 'hidden' : 'unhidden'}`,
            subjectType: 'case',
            subjectId: m.caseId,
            details: { moderationId: m.id, reason: m.reason, ...(m.rule ? { rule: m.rule } : {}) },
          });
      });
      // A deleted post is gone: its words are forgotten and no reply is sent to it.
      if (m.action === 'delete') await markGone(database, m.platform, [target], new Date());
      mlog.info({ attempts: m.attempts }, 'moderation done');
    } catch (e) {
      const { message, failure } = platformFailure(e, m.attempts, MAX_MODERATION_ATTEMPTS);
      const { status, availableAt, attempts } = afterFailure(failure);
      await database.db
        .update(moderations)
        .set({ status, attempts, lastError: failureText(message, failure), availableAt })
        .where(held);
      mlog.warn(
        { attempts: m.attempts, status, error: message },
        failure.credentialsRefused ? 'moderation held: the platform refused the credentials' : 'moderation not done',
      );
    }
  }
  return due.length;
}
