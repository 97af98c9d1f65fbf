import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';

export interface JobRun {
  /** When the last successful run started (null: never ran). */
  since: Date | null;
  /** When this run started: the next run's `since`. */
  now: Date;
  /** What the job kept from its last run. */
  state: Record<string, unknown>;
}

/**
 * Runs a job on at most one instance at a time: takes the job's lease in job_runs (one statement),
 * hands the job its watermark (when the last successful run started) so it reads only what came
 * due since, then records this run's start and releases the lease (one statement). A failed run
 * releases the lease and keeps the old watermark, so nothing due is skipped. Returns undefined
 * when another instance holds the job.
 */
export async function runJob<T>(
  database: Database,
  job: string,
  owner: string,
  fn: (run: JobRun) => Promise<{ result: T; state?: Record<string, unknown> }>,
  opts: { now?: Date; leaseMs?: number } = {},
): Promise<T | undefined> {
  const now = opts.now ?? new Date();
  const leaseUntil = new Date(now.getTime() + (opts.leaseMs ?? 120_000));
  const [held] = await database.rows<{ last_run_at: Date | string | null; state: Record<string, unknown> }>(sql`
    insert into job_runs (job, lease_owner, lease_until) values (${job}, ${owner}, ${leaseUntil})
    on conflict (job) do update set lease_owner = excluded.lease_owner, lease_until = excluded.lease_until
    where job_runs.lease_until is null or job_runs.lease_until < ${now} or job_runs.lease_owner = excluded.lease_owner
    returning last_run_at, state`);
  if (!held) return undefined;
  let outcome: { result: T; state?: Record<string, unknown> } | undefined;
  try {
    outcome = await fn({ since: held.last_run_at === null ? null : new Date(held.last_run_at), now, state: held.state ?? {} });
    return outcome.result;
  } finally {
    await database.db.execute(
      outcome
        ? sql`update job_runs set last_run_at = ${now}, state = ${JSON.stringify(outcome.state ?? held.state ?? {})}::jsonb, lease_owner = null, lease_until = null where job = ${job} and lease_owner = ${owner}`
        : sql`update job_runs set lease_owner = null, lease_until = null where job = ${job} and lease_owner = ${owner}`,
    );
  }
}
