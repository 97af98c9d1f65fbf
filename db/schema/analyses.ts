import { bigint, boolean, doublePrecision, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { posts } from './posts.ts';

/** The analyzer's reading of one post (one row per post; re-analysis replaces it). */
export const analyses = pgTable('analyses', {
  postId: bigint('post_id', { mode: 'number' })
    .primaryKey()
    .references(() => posts.id, { onDelete: 'cascade' }),
  analyzerVersion: text('analyzer_version').notNull(),
  language: text('language').notNull(),
  languageConfidence: doublePrecision('language_confidence').notNull(),
  /** With language "other": the language it is written in, one odziv does not read ("sl", "de"…). */
  languageGuess: text('language_guess'),
  sentiment: doublePrecision('sentiment').notNull(),
  negative: boolean('negative').notNull(),
  complaint: doublePrecision('complaint').notNull(),
  isComplaint: boolean('is_complaint').notNull(),
  isQuestion: boolean('is_question').notNull().default(false),
  categories: jsonb('categories').$type<string[]>().notNull(),
  evidence: jsonb('evidence').$type<Record<string, string[]>>().notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export type Analysis = typeof analyses.$inferSelect;
