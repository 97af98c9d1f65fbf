import { bigint, boolean, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/** What to watch on which platform, with its cursor and health. */
export const streams = pgTable(
  'streams',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    platform: text('platform').notNull(),
    name: text('name').notNull(),
    /** Platform-specific settings (query, account id …), validated by the adapter. */
    config: jsonb('config').$type<Record<string, unknown>>().notNull().default({}),
    cursor: text('cursor'),
    enabled: boolean('enabled').notNull().default(true),
    lastPollAt: timestamp('last_poll_at', { withTimezone: true }),
    lastSuccessAt: timestamp('last_success_at', { withTimezone: true }),
    lastError: text('last_error'),
    failingSince: timestamp('failing_since', { withTimezone: true }),
    /** Spans the platform could no longer serve when odziv read it (newest last, the last 20): posts there were missed. */
    gaps: jsonb('gaps').$type<Array<{ from: string; to: string; reason: string; recordedAt: string }>>().notNull().default([]),
    consecutiveFailures: integer('consecutive_failures').notNull().default(0),
    /** Posts this stream has stored, counted by ingest in the transaction that stores them (counting a year of posts per page view took ~1 s). */
    postsStored: bigint('posts_stored', { mode: 'number' }).notNull().default(0),
    /** One poller at a time per stream, across instances: a lease taken by a conditional update. */
    leaseOwner: text('lease_owner'),
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    nextPollAt: timestamp('next_poll_at', { withTimezone: true }),
    rateLimit: jsonb('rate_limit').$type<{ remaining?: number; resetAt?: string } | null>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('streams_platform_name_uq').on(t.platform, t.name)],
);

export type Stream = typeof streams.$inferSelect;
