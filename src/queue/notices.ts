import { and, desc, isNull, or, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { notices } from '../../db/schema/index.ts';
import { audit } from '../audit.ts';
import { type Actor, authorize } from '../auth/permissions.ts';
import { AppError } from '../errors.ts';

type Notice = typeof notices.$inferSelect;

export interface NewNotice {
  kind: 'known_issue' | 'promotion';
  title: string;
  body: string;
  keywords: string[];
  categories: string[];
  startsAt?: string;
  endsAt?: string;
}

/** Known issues and promotions in force now, newest first. */
export const activeNotices = (database: Database): Promise<Notice[]> =>
  database.db
    .select()
    .from(notices)
    .where(and(sql`${notices.startsAt} <= now()`, or(isNull(notices.endsAt), sql`${notices.endsAt} > now()`)))
    .orderBy(desc(notices.id));

/** Publishes what marketing or care is promising or fixing; it shows on every related case while active. */
export async function publishNotice(database: Database, actor: Actor, n: NewNotice): Promise<Notice> {
  authorize(actor, 'notices.publish');
  if (n.startsAt && n.endsAt && Date.parse(n.endsAt) <= Date.parse(n.startsAt)) throw new AppError('BAD_REQUEST', 'endsAt: must be after startsAt');
  if (!n.keywords.length && !n.categories.length)
    throw new AppError('BAD_REQUEST', 'keywords: give keywords or categories, so odziv knows which cases it relates to');
  return database.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(notices)
      .values({
        kind: n.kind,
        title: n.title,
        body: n.body,
        keywords: n.keywords,
        categories: n.categories,
        startsAt: n.startsAt ? new Date(n.startsAt) : undefined,
        endsAt: n.endsAt ? new Date(n.endsAt) : null,
        createdBy: actor.id,
      })
      .returning();
    await audit(tx, { actorUserId: actor.id, action: 'notice.create', subjectType: 'notice', subjectId: row!.id, details: { kind: n.kind, title: n.title } });
    return row!;
  });
}
