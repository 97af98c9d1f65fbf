import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from '../logger.ts';

export interface Job {
  name: string;
  /** node-cron expression (six fields allows seconds). */
  schedule: string;
  /** IANA time zone the schedule is read in (default: the machine's). */
  timeZone?: string;
  run: () => Promise<unknown>;
}

/**
 * Runs jobs on node-cron schedules. A job never overlaps itself; `stop()` stops scheduling and
 * waits for the runs in flight to finish (drain) before resolving.
 */
export class Scheduler {
  private readonly tasks: ScheduledTask[] = [];
  private readonly inFlight = new Set<Promise<unknown>>();
  private stopping = false;

  constructor(private readonly log: Logger) {}

  add(job: Job): void {
    if (!cron.validate(job.schedule)) throw new Error(`job "${job.name}": invalid cron expression "${job.schedule}"`);
    const jlog = this.log.child({ job: job.name });
    const cronLogger = {
      info: (m: string) => jlog.debug(m),
      warn: (m: string) => jlog.debug(m),
      error: (m: string | Error) => jlog.error({ err: m }, 'scheduler error'),
      debug: (m: string | Error) => jlog.debug(String(m)),
    };
    const task = cron.schedule(
      job.schedule,
      async () => {
        if (this.stopping) return;
        const run = job.run().catch((err: unknown) => jlog.error({ err }, 'job failed'));
        this.inFlight.add(run);
        try {
          await run;
        } finally {
          this.inFlight.delete(run);
        }
      },
      { name: job.name, noOverlap: true, ...(job.timeZone ? { timezone: job.timeZone } : {}), logger: cronLogger, suppressMissedWarning: true },
    );
    this.tasks.push(task);
  }

  /** Stops every schedule, then waits for running jobs (at most `timeoutMs`). */
  async stop(timeoutMs = 10_000): Promise<void> {
    this.stopping = true;
    await Promise.all(this.tasks.map((t) => t.destroy()));
    const drained = Promise.allSettled([...this.inFlight]);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const outcome = await Promise.race([drained, timeout]);
    clearTimeout(timer);
    if (outcome === 'timeout') this.log.warn({ running: this.inFlight.size }, 'jobs still running after the drain timeout');
  }
}
