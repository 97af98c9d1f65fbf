import { sql } from 'drizzle-orm';
import { bigint, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { EngagementMetrics } from '../../adapters/types.ts';
import { posts } from './posts.ts';
import { cases } from './cases.ts';

/**
 * Alerts raised for people (marketing, community managers): by rules, and later by viral, spike,
 * SLA and stream-health detectors. One row per incident, deduplicated by its key.
 */
export const alerts = pgTable(
  'alerts',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    kind: text('kind').$type<'rule' | 'viral' | 'spike' | 'sla' | 'stream'>().notNull(),
    audience: text('audience').$type<'marketing' | 'community_manager'>().notNull(),
    caseId: bigint('case_id', { mode: 'number' }).references(() => cases.id, { onDelete: 'cascade' }),
    dedupKey: text('dedup_key').notNull(),
    title: text('title').notNull(),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    status: text('status').$type<'open' | 'acknowledged' | 'closed'>().notNull().default('open'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('alerts_dedup_uq').on(t.dedupKey), index('alerts_open_idx').on(t.audience, t.status, t.createdAt)],
);

export type Alert = typeof alerts.$inferSelect;

/**
 * The alert outbox: one row per alert and channel, delivered by a worker with back-off; what
 * gives up is kept as "dead" with its last error for a person to see.
 */
export const alertDeliveries = pgTable(
  'alert_deliveries',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    alertId: bigint('alert_id', { mode: 'number' })
      .notNull()
      .references(() => alerts.id, { onDelete: 'cascade' }),
    channel: text('channel').notNull(),
    status: text('status').$type<'pending' | 'sent' | 'dead'>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    availableAt: timestamp('available_at', { withTimezone: true }).notNull().defaultNow(),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('alert_deliveries_uq').on(t.alertId, t.channel), index('alert_deliveries_pending_idx').on(t.availableAt).where(sql`status = 'pending'`)],
);

/** Engagement over time, per post: the viral score reads the growth between snapshots. */
export const metricSnapshots = pgTable(
  'metric_snapshots',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    postId: bigint('post_id', { mode: 'number' })
      .notNull()
      .references(() => posts.id, { onDelete: 'cascade' }),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    metrics: jsonb('metrics').$type<EngagementMetrics>().notNull(),
  },
  (t) => [index('metric_snapshots_post_idx').on(t.postId, t.at)],
);
