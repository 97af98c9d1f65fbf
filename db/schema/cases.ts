import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { posts } from './posts.ts';
import { users } from './users.ts';

export const CASE_STATUSES = ['open', 'claimed', 'replied', 'snoozed', 'escalated', 'resolved'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
/** Statuses in which the customer is waiting for us: the SLA clock runs. */
export const WAITING_STATUSES: readonly CaseStatus[] = ['open', 'claimed', 'escalated'];

/** The queue item a person works: one unresolved case per post, enforced by the database. */
export const cases = pgTable(
  'cases',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    postId: bigint('post_id', { mode: 'number' })
      .notNull()
      .references(() => posts.id, { onDelete: 'cascade' }),
    status: text('status').$type<CaseStatus>().notNull().default('open'),
    priority: integer('priority').notNull(),
    priorityComponents: jsonb('priority_components').$type<Record<string, number>>().notNull(),
    category: text('category'),
    reason: text('reason').notNull(),
    team: text('team').notNull().default('care'),
    /** Reply templates the rules suggest, as a starting point for the responder (never auto-posted). */
    templates: jsonb('templates').$type<string[]>().notNull().default([]),
    assigneeId: bigint('assignee_id', { mode: 'number' }).references(() => users.id),
    claimedAt: timestamp('claimed_at', { withTimezone: true }),
    /** Snoozed until this time; null with status snoozed means until the customer writes again. */
    snoozedUntil: timestamp('snoozed_until', { withTimezone: true }),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    firstResponseAt: timestamp('first_response_at', { withTimezone: true }),
    /** Resolution target, by priority band in business time. */
    resolveDueAt: timestamp('resolve_due_at', { withTimezone: true }),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    /**
     * Resolved by a person who said the post needed no one ("not a complaint"): the rules' false
     * alarms, counted per rule on the dashboard and replayed by backtests of a candidate pack.
     */
    falseAlarm: boolean('false_alarm').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('cases_due_idx').on(t.dueAt).where(sql`first_response_at is null and status <> 'resolved'`),
    uniqueIndex('cases_one_unresolved_per_post_uq').on(t.postId).where(sql`status <> 'resolved'`),
    index('cases_queue_idx').on(t.status, t.priority, t.id),
  ],
);

export type Case = typeof cases.$inferSelect;
