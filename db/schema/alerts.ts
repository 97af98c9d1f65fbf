import { bigint, index, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
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
