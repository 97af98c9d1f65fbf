import { bigint, index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { posts } from './posts.ts';

/** One rule that fired on one post, with the evidence a person reads to see why. */
export const flags = pgTable(
  'flags',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    postId: bigint('post_id', { mode: 'number' })
      .notNull()
      .references(() => posts.id, { onDelete: 'cascade' }),
    pack: text('pack').notNull(),
    ruleId: text('rule_id').notNull(),
    category: text('category'),
    reason: text('reason').notNull(),
    evidence: jsonb('evidence').$type<string[]>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('flags_post_idx').on(t.postId)],
);

export type Flag = typeof flags.$inferSelect;
