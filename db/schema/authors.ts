import { bigint, boolean, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/** A person or account that wrote a post, per platform. */
export const authors = pgTable(
  'authors',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    platform: text('platform').notNull(),
    platformUserId: text('platform_user_id').notNull(),
    handle: text('handle').notNull(),
    displayName: text('display_name'),
    followers: integer('followers'),
    verified: boolean('verified').notNull().default(false),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('authors_platform_user_uq').on(t.platform, t.platformUserId)],
);

export type Author = typeof authors.$inferSelect;
