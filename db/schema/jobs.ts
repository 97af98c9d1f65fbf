import { jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * One row per background job: the lease that lets one instance at a time run it, and the
 * watermark (when its last run started) from which the next run takes only what came due since.
 */
export const jobRuns = pgTable('job_runs', {
  job: text('job').primaryKey(),
  lastRunAt: timestamp('last_run_at', { withTimezone: true }),
  /** What else a job keeps between runs (retention: how far back it has read). */
  state: jsonb('state').$type<Record<string, unknown>>().notNull().default({}),
  leaseOwner: text('lease_owner'),
  leaseUntil: timestamp('lease_until', { withTimezone: true }),
});
