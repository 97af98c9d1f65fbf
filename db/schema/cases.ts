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
    /**
     * What the queue's search reads: the case's post folded as the search folds (odziv_fold) and
     * its author's @handle, written when the case opens and cleared with the words (forgetWords).
     * On the case, not the post: only cases are searched, and the index stays half the size.
     */
    searchText: text('search_text').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('cases_due_idx').on(t.dueAt).where(sql`first_response_at is null and status <> 'resolved'`),
    uniqueIndex('cases_one_unresolved_per_post_uq').on(t.postId).where(sql`status <> 'resolved'`),
    // Joins from a post to its cases (thread joins, a customer's earlier cases): the partial unique
    // index above serves only unresolved ones.
    index('cases_post_idx').on(t.postId),
    // The queue's own order, priority descending then id: `(-priority, id)` makes a page and a
    // keyset cursor one index range scan (a row comparison), with or without a status.
    index('cases_queue_idx').on(t.status, sql`(-${t.priority})`, t.id),
    // The inbox's most used filter, read in the queue's order.
    index('cases_category_queue_idx').on(t.status, t.category, sql`(-${t.priority})`, t.id),
    index('cases_rank_idx').on(sql`(-${t.priority})`, t.id),
    // "Next case": the top waiting case by priority, then the soonest due.
    index('cases_next_idx').on(sql`(-${t.priority})`, t.dueAt, t.id).where(sql`status in ('open', 'escalated')`),
    index('cases_assignee_idx').on(t.assigneeId).where(sql`assignee_id is not null`),
    index('cases_created_idx').on(t.createdAt),
    // What the SLA job asks of each run: what changed, or came due, since the last one.
    index('cases_unresolved_updated_idx').on(t.updatedAt).where(sql`status <> 'resolved'`),
    index('cases_resolve_due_idx').on(t.resolveDueAt).where(sql`status <> 'resolved'`),
    index('cases_resolved_idx').on(t.resolvedAt).where(sql`status = 'resolved'`),
    index('cases_claimed_idx').on(t.updatedAt).where(sql`status = 'claimed'`),
    index('cases_search_idx').using('gin', sql`${t.searchText} gin_trgm_ops`),
    index('cases_snoozed_idx').on(t.snoozedUntil).where(sql`status = 'snoozed' and snoozed_until is not null`),
  ],
);

export type Case = typeof cases.$inferSelect;
