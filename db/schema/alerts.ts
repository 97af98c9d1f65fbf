import { sql } from 'drizzle-orm';
import { bigint, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { cases } from './cases.ts';
import type { EngagementMetrics } from './platforms.ts';
import { posts } from './posts.ts';

export type AlertKind = 'rule' | 'viral' | 'spike' | 'sla' | 'stream' | 'digest';

/**
 * Alerts raised for people (marketing, community managers): by rules, and later by viral, spike,
 * SLA and stream-health detectors. One row per incident, deduplicated by its key.
 */
export const alerts = pgTable(
  'alerts',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    kind: text('kind').$type<AlertKind>().notNull(),
    audience: text('audience').$type<'marketing' | 'community_manager'>().notNull(),
    caseId: bigint('case_id', { mode: 'number' }).references(() => cases.id, { onDelete: 'cascade' }),
    dedupKey: text('dedup_key').notNull(),
    title: text('title').notNull(),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    status: text('status').$type<'open' | 'acknowledged' | 'closed'>().notNull().default('open'),
    /** Urgent alerts go out during quiet hours too. */
    severity: text('severity').$type<'normal' | 'urgent'>().notNull().default('normal'),
    /** When the unacknowledged alert was escalated (sent again to the escalation contacts). */
    escalatedAt: timestamp('escalated_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('alerts_dedup_uq').on(t.dedupKey),
    index('alerts_open_idx').on(t.audience, t.status, t.createdAt),
    index('alerts_created_idx').on(t.createdAt),
    index('alerts_kind_updated_idx').on(t.kind, t.updatedAt),
    index('alerts_case_idx').on(t.caseId).where(sql`case_id is not null`),
  ],
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
    /** The first sending, or the escalation of an alert nobody acknowledged. */
    round: text('round').$type<'initial' | 'escalation'>().notNull().default('initial'),
    status: text('status').$type<'pending' | 'sent' | 'dead' | 'cancelled'>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    availableAt: timestamp('available_at', { withTimezone: true }).notNull().defaultNow(),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('alert_deliveries_round_uq').on(t.alertId, t.channel, t.round),
    index('alert_deliveries_pending_idx').on(t.availableAt).where(sql`status = 'pending'`),
    index('alert_deliveries_sent_idx').on(t.sentAt).where(sql`round = 'initial' and status = 'sent'`),
  ],
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
  (t) => [index('metric_snapshots_post_idx').on(t.postId, t.at), index('metric_snapshots_at_idx').on(t.at)],
);

/**
 * Complaints per minute and key (`category:…`, `keyword:…`, `language:…`, `all`): the history the
 * spike detector compares the last minutes with. Counted at ingest, in the post's transaction.
 */
export const volumeBuckets = pgTable(
  'volume_buckets',
  {
    key: text('key').notNull(),
    bucket: timestamp('bucket', { withTimezone: true }).notNull(),
    count: integer('count').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.key, t.bucket] }), index('volume_buckets_bucket_idx').on(t.bucket)],
);
