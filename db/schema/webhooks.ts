import { sql } from 'drizzle-orm';
import { bigint, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Webhook deliveries taken at once and worked after (Meta wants its answer within seconds, and
 * reading an Instagram mention means asking Graph): stored before the 200, so a crash after the
 * answer loses nothing; removed once stored as posts. One that cannot be read keeps its reason.
 */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    platform: text('platform').notNull(),
    body: jsonb('body').notNull(),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    /** When it may be worked (again): now, after a back-off, or when a crashed worker's lease ends. */
    availableAt: timestamp('available_at', { withTimezone: true }).notNull().defaultNow(),
    /** Set when it was refused for good (its reason in last_error); kept a week for a person to look at. */
    refusedAt: timestamp('refused_at', { withTimezone: true }),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('webhook_deliveries_due_idx').on(t.availableAt).where(sql`refused_at is null`)],
);
