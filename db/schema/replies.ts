import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { cases } from './cases.ts';
import { posts } from './posts.ts';
import { users } from './users.ts';

export const REPLY_STATUSES = ['pending', 'sending', 'sent', 'failed', 'dead'] as const;
export type ReplyStatus = (typeof REPLY_STATUSES)[number];

/**
 * The replies outbox: one row per reply intent, unique per idempotency key, delivered by the
 * worker (never inline in a request), so a public reply goes out at most once per intent.
 */
export const replies = pgTable(
  'replies',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    caseId: bigint('case_id', { mode: 'number' })
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    /** The post this reply answers: the customer's latest in the case's thread when it was written (null: the case's post). */
    targetPostId: bigint('target_post_id', { mode: 'number' }).references(() => posts.id),
    userId: bigint('user_id', { mode: 'number' }).references(() => users.id),
    platform: text('platform').notNull(),
    text: text('text').notNull(),
    /** A private reply (in the customer's inbox, Meta's private replies) rather than one under their post. */
    private: boolean('private').notNull().default(false),
    idempotencyKey: text('idempotency_key').notNull(),
    status: text('status').$type<ReplyStatus>().notNull().default('pending'),
    platformReplyId: text('platform_reply_id'),
    url: text('url'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    availableAt: timestamp('available_at', { withTimezone: true }).notNull().defaultNow(),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    /** The instance delivering it (its PostgreSQL application_name): a dead one's sends pass on at once. */
    lockedBy: text('locked_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('replies_idempotency_key_uq').on(t.idempotencyKey),
    index('replies_case_idx').on(t.caseId),
    // A post's deletion (erasure, tests) checks the replies that target it.
    index('replies_target_idx').on(t.targetPostId).where(sql`target_post_id is not null`),
    // The platform takes one private reply per post: a second intent is refused before it is queued.
    uniqueIndex('replies_private_target_uq').on(t.targetPostId).where(sql`private and status in ('pending', 'sending', 'sent')`),
    index('replies_pending_idx').on(t.availableAt).where(sql`status in ('pending', 'sending')`),
  ],
);

export type Reply = typeof replies.$inferSelect;
