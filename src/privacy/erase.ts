import { and, eq, inArray, or, type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Database, Tx } from '../../db/client.ts';
import { alerts, auditLog, authors, caseNotes, cases, posts, replies } from '../../db/schema/index.ts';
import { audit } from '../audit.ts';
import { type Actor, authorize } from '../auth/permissions.ts';
import { AppError, notFound } from '../errors.ts';
import { forgetWords } from './forget.ts';

export const ERASED = '(erased at the customer’s request)';

export interface Erasure {
  authorId: number;
  /** The name the author goes by from now on, in odziv only. */
  pseudonym: string;
  posts: number;
  cases: number;
}

/**
 * A customer's right to erasure (GDPR Art. 17): everything odziv keeps that names or quotes them
 * goes, in one transaction. Their posts' words (see forgetWords); their handle, name and platform
 * id, replaced by a pseudonym, so cases, response times and the dashboard still add up; "@handle"
 * in replies, notes and alerts; and the payloads of their posts that odziv had set aside. A later
 * post of theirs is stored as a new author's. The audit entry names the pseudonym, never them.
 */
export async function eraseAuthor(database: Database, who: { platform: string; handle?: string; platformUserId?: string }, actor: Actor): Promise<Erasure> {
  authorize(actor, 'customers.erase');
  const { platform } = who;
  const bare = who.handle?.replace(/^@/, '');
  const named = who.platformUserId !== undefined ? `the account with id ${who.platformUserId} on ${platform}` : `@${bare} on ${platform}`;
  return database.db.transaction(async (tx) => {
    const found = await tx
      .select()
      .from(authors)
      .where(
        and(
          eq(authors.platform, platform),
          who.platformUserId !== undefined ? eq(authors.platformUserId, who.platformUserId) : sql`lower(${authors.handle}) = lower(${bare})`,
        ),
      )
      .for('update');
    if (!found.length) throw notFound(named);
    // Handles change hands on most platforms: never guess which person a request means.
    if (found.length > 1)
      throw new AppError(
        'CONFLICT',
        `${found.length} accounts have gone by ${named} (platform ids ${found.map((a) => a.platformUserId).join(', ')}): name one with platformUserId`,
      );
    const author = found[0]!;
    if (bare !== undefined && author.handle.toLowerCase() !== bare.toLowerCase()) throw notFound(`@${bare} as the handle of ${named}`);
    const pseudonym = `erased-${author.id}`;
    const theirPosts = (await tx.select({ id: posts.id }).from(posts).where(eq(posts.authorId, author.id))).map((p) => p.id);
    const theirCases = theirPosts.length ? (await tx.select({ id: cases.id }).from(cases).where(inArray(cases.postId, theirPosts))).map((c) => c.id) : [];
    await forgetWords(tx, theirPosts, theirCases, ERASED);
    await tx
      .update(authors)
      .set({ handle: pseudonym, displayName: null, followers: null, platformUserId: pseudonym, updatedAt: new Date() })
      .where(eq(authors.id, author.id));
    if (theirCases.length)
      await tx
        .update(cases)
        .set({ searchText: `@${pseudonym}` })
        .where(inArray(cases.id, theirCases));
    await renameEverywhere(tx, { handle: author.handle, displayName: author.displayName, platformUserId: author.platformUserId }, pseudonym);
    await audit(tx, {
      actorUserId: actor.id,
      action: 'author.erase',
      subjectType: 'author',
      subjectId: author.id,
      details: { platform, pseudonym, posts: theirPosts.length, cases: theirCases.length },
    });
    return { authorId: author.id, pseudonym, posts: theirPosts.length, cases: theirCases.length };
  });
}

const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** "@ana" as a whole handle: not "@anamaria", not an e-mail address's "x@ana.hr". */
function mentionOf(handle: string): RegExp {
  return new RegExp(`(?<![\\w@.])@${literal(handle)}(?![\\w])`, 'giu');
}
interface Who {
  handle: string;
  displayName: string | null;
  platformUserId: string;
}

/** Replaces the person's handle and full name in text, and any string that is exactly their handle or id. */
function renamer(who: Who, pseudonym: string) {
  const mention = mentionOf(who.handle);
  // A full name of some length only: "Ana" alone is too common to be theirs.
  const name =
    who.displayName && who.displayName.trim().length >= 5
      ? new RegExp(`(?<![\\p{L}\\p{N}])${literal(who.displayName.trim())}(?![\\p{L}\\p{N}])`, 'giu')
      : undefined;
  const text = (s: string) => {
    const out = s.replace(mention, `@${pseudonym}`);
    return name ? out.replace(name, pseudonym) : out;
  };
  const json = (value: unknown): unknown => {
    if (typeof value === 'string') return value === who.platformUserId || value.toLowerCase() === who.handle.toLowerCase() ? pseudonym : text(value);
    if (Array.isArray(value)) return value.map(json);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, json(v)]));
    return value;
  };
  return { text, json };
}

async function renameEverywhere(tx: Tx, who: Who, pseudonym: string): Promise<void> {
  const { text, json } = renamer(who, pseudonym);
  const likes = [who.handle, ...(who.displayName && who.displayName.trim().length >= 5 ? [who.displayName.trim()] : [])].map(
    (s) => `%${s.replace(/[\\%_]/g, '\\$&')}%`,
  );
  const mentions = (column: SQL | AnyPgColumn) => or(...likes.map((l) => sql`${column} ilike ${l}`))!;
  // The brand's own posts as the platform gave them back ("@ana …"), replies, notes, alerts.
  for (const p of await tx
    .select({ id: posts.id, text: posts.text })
    .from(posts)
    .where(and(eq(posts.isOwn, true), mentions(posts.text)))) {
    if (text(p.text) !== p.text)
      await tx
        .update(posts)
        .set({ text: text(p.text) })
        .where(eq(posts.id, p.id));
  }
  for (const r of await tx.select({ id: replies.id, text: replies.text }).from(replies).where(mentions(replies.text))) {
    if (text(r.text) !== r.text)
      await tx
        .update(replies)
        .set({ text: text(r.text) })
        .where(eq(replies.id, r.id));
  }
  for (const n of await tx.select({ id: caseNotes.id, text: caseNotes.text }).from(caseNotes).where(mentions(caseNotes.text))) {
    if (text(n.text) !== n.text)
      await tx
        .update(caseNotes)
        .set({ text: text(n.text) })
        .where(eq(caseNotes.id, n.id));
  }
  for (const a of await tx
    .select({ id: alerts.id, title: alerts.title, details: alerts.details })
    .from(alerts)
    .where(or(mentions(alerts.title), mentions(sql`${alerts.details}::text`)))) {
    await tx
      .update(alerts)
      .set({ title: text(a.title), details: json(a.details) as Record<string, unknown> })
      .where(eq(alerts.id, a.id));
  }
  // Posts set aside for their shape keep the platform's payload, which names its author.
  const named = or(sql`${auditLog.details}::text like ${`%${JSON.stringify(who.platformUserId)}%`}`, mentions(sql`${auditLog.details}::text`));
  for (const e of await tx
    .select({ id: auditLog.id, details: auditLog.details })
    .from(auditLog)
    .where(and(eq(auditLog.action, 'post.rejected'), named))) {
    await tx
      .update(auditLog)
      .set({ details: { ...(e.details as Record<string, unknown>), raw: ERASED } })
      .where(eq(auditLog.id, e.id));
  }
}

/** Erases the customer who wrote a case's post (the inbox's "erase this customer" on a case page). */
export async function eraseCaseAuthor(database: Database, caseId: number, actor: Actor): Promise<Erasure> {
  authorize(actor, 'customers.erase');
  const [who] = await database.db
    .select({ platform: authors.platform, platformUserId: authors.platformUserId })
    .from(cases)
    .innerJoin(posts, eq(posts.id, cases.postId))
    .innerJoin(authors, eq(authors.id, posts.authorId))
    .where(eq(cases.id, caseId));
  if (!who) throw notFound(`case ${caseId}`);
  return eraseAuthor(database, who, actor);
}
