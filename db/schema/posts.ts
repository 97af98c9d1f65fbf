import { sql } from 'drizzle-orm';
import { type AnyPgColumn, bigint, boolean, index, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { authors } from './authors.ts';
import type { EngagementMetrics } from './platforms.ts';
import { streams } from './streams.ts';

/** A post as the platform sent it (raw kept for audit and re-analysis), stored once per platform id. */
export const posts = pgTable(
  'posts',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    platform: text('platform').notNull(),
    platformPostId: text('platform_post_id').notNull(),
    streamId: bigint('stream_id', { mode: 'number' }).references(() => streams.id),
    authorId: bigint('author_id', { mode: 'number' })
      .notNull()
      .references(() => authors.id),
    url: text('url'),
    text: text('text').notNull(),
    postedAt: timestamp('posted_at', { withTimezone: true }).notNull(),
    conversationId: text('conversation_id'),
    inReplyToId: text('in_reply_to_id'),
    /** The first stored version when this post is an edit of it (X gives every edit a new id). */
    editOfPostId: bigint('edit_of_post_id', { mode: 'number' }).references((): AnyPgColumn => posts.id),
    isOwn: boolean('is_own').notNull().default(false),
    isRepost: boolean('is_repost').notNull().default(false),
    metrics: jsonb('metrics').$type<EngagementMetrics>(),
    metricsAt: timestamp('metrics_at', { withTimezone: true }),
    /** When the engagement is next worth refreshing (sooner while the post is young and hot). */
    metricsDueAt: timestamp('metrics_due_at', { withTimezone: true }),
    /** When the platform first said the post is gone (deleted, or hidden from the brand): no reply reaches it. */
    goneAt: timestamp('gone_at', { withTimezone: true }),
    raw: jsonb('raw').notNull(),
    ingestedAt: timestamp('ingested_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('posts_platform_post_uq').on(t.platform, t.platformPostId),
    index('posts_author_idx').on(t.authorId, t.postedAt),
    index('posts_conversation_idx').on(t.platform, t.conversationId),
    index('posts_posted_at_idx').on(t.postedAt),
    index('posts_edit_of_idx').on(t.editOfPostId).where(sql`edit_of_post_id is not null`),
    // Posts whose words are still kept: the retention job reads only these, never the forgotten past.
    index('posts_kept_idx').on(t.postedAt).where(sql`text <> '' or raw <> '{}'::jsonb`),
  ],
);

export type Post = typeof posts.$inferSelect;
