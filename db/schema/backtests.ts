import { bigint, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { users } from './users.ts';

/** A backtest of a candidate rule pack over stored posts: its progress and its result. */
export const backtests = pgTable('backtests', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  requestedBy: bigint('requested_by', { mode: 'number' }).references(() => users.id),
  packName: text('pack_name').notNull(),
  packText: text('pack_text').notNull(),
  since: timestamp('since', { withTimezone: true }).notNull(),
  status: text('status').$type<'running' | 'done' | 'failed'>().notNull().default('running'),
  total: integer('total').notNull().default(0),
  processed: integer('processed').notNull().default(0),
  result: jsonb('result'),
  error: text('error'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  /** Written with every page: a running backtest whose heartbeat stopped was interrupted (its process ended). */
  heartbeatAt: timestamp('heartbeat_at', { withTimezone: true }),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
});

export type Backtest = typeof backtests.$inferSelect;
