import { sql } from 'drizzle-orm';
import { bigint, index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { cases } from './cases.ts';
import { posts } from './posts.ts';
import { users } from './users.ts';

export const MODERATION_ACTIONS = ['hide', 'unhide', 'delete'] as const;
export type ModerationActionName = (typeof MODERATION_ACTIONS)[number];
export const MODERATION_STATUSES = ['pending', 'sending', 'done', 'failed', 'dead'] as const;
export type ModerationStatus = (typeof MODERATION_STATUSES)[number];

/**
 * The moderation outbox: a hide, unhide or delete of a customer's post on its platform, asked by
 * a community manager or by a rule's `hide`, carried out by the worker (never inside ingest's
 * transaction or a request), and kept as the case's record of what was done and why.
 */
export const moderations = pgTable(
  'moderations',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    postId: bigint('post_id', { mode: 'number' })
      .notNull()
      .references(() => posts.id, { onDelete: 'cascade' }),
    caseId: bigint('case_id', { mode: 'number' }).references(() => cases.id, { onDelete: 'set null' }),
    platform: text('platform').notNull(),
    action: text('action').$type<ModerationActionName>().notNull(),
    /** Why: the person's words, or the rule's reason. */
    reason: text('reason').notNull(),
    /** `pack/rule` when a rule asked for it; null when a person did. */
    rule: text('rule'),
    userId: bigint('user_id', { mode: 'number' }).references(() => users.id),
    status: text('status').$type<ModerationStatus>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    availableAt: timestamp('available_at', { withTimezone: true }).notNull().defaultNow(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    doneAt: timestamp('done_at', { withTimezone: true }),
  },
  (t) => [
    index('moderations_post_idx').on(t.postId),
    index('moderations_case_idx').on(t.caseId).where(sql`case_id is not null`),
    index('moderations_due_idx').on(t.availableAt).where(sql`status in ('pending', 'sending')`),
  ],
);

export type Moderation = typeof moderations.$inferSelect;
