import type { AdapterSet } from '../../adapters/registry.ts';
import type { Database } from '../../db/client.ts';
import { brandBaseline } from '../alerts/baseline.ts';
import type { ChannelSet } from '../alerts/channels/registry.ts';
import { raiseDigest } from '../alerts/digest.ts';
import { deliverAlerts, enqueueDeliveries, escalateUnacknowledged } from '../alerts/outbox.ts';
import { detectSpikes } from '../alerts/spikes.ts';
import { detectViral } from '../alerts/viral-detect.ts';
import type { Config } from '../config.ts';
import { refreshEngagement } from '../ingest/metrics.ts';
import { pollDueStreams } from '../ingest/poller.ts';
import { processDeliveries } from '../ingest/webhook-inbox.ts';
import { type JobRun, runJob } from '../job-runs.ts';
import type { Logger } from '../logger.ts';
import { forgetPastRetention } from '../privacy/retention.ts';
import { deliverModerations } from '../queue/moderation.ts';
import { deliverDueReplies } from '../queue/replies.ts';
import { releaseIdleClaims, slaAlerts, wakeSnoozed } from '../queue/sla-watch.ts';
import type { Rulebook } from '../rulebook.ts';
import type { Job } from './index.ts';

export interface JobContext {
  config: Config;
  database: Database;
  adapters: AdapterSet;
  rulebook: Rulebook;
  channels: ChannelSet;
  log: Logger;
  /** Names this process in stream and job leases. */
  instanceId: string;
}

/**
 * Every background job of a worker, on its schedule. Polling and the replies outbox share their
 * work across instances by stream leases and SKIP LOCKED; the rest take their lease in job_runs,
 * and the SLA and viral jobs read only what came due since their last run (its watermark).
 * bench:jobs runs these same jobs.
 */
export function backgroundJobs(ctx: JobContext): Job[] {
  const { config, database, adapters, rulebook, channels, log, instanceId } = ctx;
  const jobs: Job[] = [];
  jobs.push({
    name: 'poll',
    schedule: config.ODZIV_POLL_CRON,
    run: () =>
      pollDueStreams({
        database,
        adapters,
        rulebook,
        log,
        instanceId,
        alertAfterMs: config.ODZIV_STREAM_ALERT_AFTER_MIN * 60_000,
        businessHours: config.businessHours,
      }),
  });
  const job =
    <T>(name: string, fn: (run: JobRun) => Promise<T>) =>
    () =>
      runJob(database, name, instanceId, async (run) => ({ result: await fn(run) }), { leaseMs: 60_000 });
  jobs.push({
    name: 'metrics',
    schedule: config.ODZIV_METRICS_CRON,
    run: job('metrics', async ({ since, now }) => {
      // One brand baseline per run serves the refresh schedule and the viral score.
      const baseline = await brandBaseline(database, now);
      await refreshEngagement(database, adapters, log, now, baseline);
      const viral = await detectViral(database, config.ODZIV_VIRAL_THRESHOLD, new Date(), baseline, since);
      if (viral) log.warn({ job: 'metrics', viral }, 'viral complaints detected');
    }),
  });
  jobs.push({
    name: 'alerts',
    schedule: config.ODZIV_ALERTS_CRON,
    run: job('alerts', async () => {
      const policy = { quietHours: config.quietHours };
      await enqueueDeliveries(database, channels, new Date(), policy);
      const escalated = await escalateUnacknowledged(database, channels, config.ALERT_ESCALATE_AFTER_MIN * 60_000, new Date(), policy);
      if (escalated) log.warn({ job: 'alerts', escalated }, 'alerts escalated: not acknowledged in time');
      await deliverAlerts(database, channels, log, undefined, config.ODZIV_PUBLIC_URL);
    }),
  });
  jobs.push({
    name: 'spikes',
    schedule: config.ODZIV_SPIKES_CRON,
    run: job('spikes', async () => {
      const spikes = await detectSpikes(database);
      if (spikes) log.warn({ job: 'spikes', spikes }, 'complaint spikes detected');
    }),
  });
  jobs.push({
    name: 'digest',
    schedule: config.ODZIV_DIGEST_CRON,
    timeZone: config.ODZIV_TIME_ZONE,
    run: job('digest', async () => {
      if (await raiseDigest(database, config.ODZIV_TIME_ZONE)) log.info({ job: 'digest' }, 'daily digest raised');
    }),
  });
  jobs.push({
    name: 'sla',
    schedule: config.ODZIV_SLA_CRON,
    run: job('sla', async ({ since, now }) => {
      const woken = await wakeSnoozed(database, now);
      const released = await releaseIdleClaims(database, config.ODZIV_CLAIM_IDLE_MIN * 60_000, now);
      const titles: string[] = [];
      const raised = await slaAlerts(database, now, (title) => titles.push(title), since);
      // One line a run, with the first few alerts: a backlog that comes due at once is one line, not thousands.
      if (woken || released || raised) log.info({ job: 'sla', woken, released, alerts: raised, first: titles.slice(0, 5) }, 'sla');
    }),
  });
  // Replies and moderations (hides, deletes) go out to the platforms from the outbox run.
  jobs.push({
    name: 'outbox',
    schedule: config.ODZIV_OUTBOX_CRON,
    run: async () => {
      await deliverDueReplies(database, adapters, log);
      if (Object.values(adapters).some((a) => a?.moderation)) await deliverModerations(database, adapters, log);
      // Webhook deliveries answered first and not worked yet (the web instance died, the platform was down).
      if (Object.values(adapters).some((a) => a?.webhook?.answerFirst))
        await processDeliveries({ database, adapters, rulebook, log, businessHours: config.businessHours });
    },
  });
  const retentionDays = config.ODZIV_RETENTION_DAYS;
  if (retentionDays !== undefined) {
    jobs.push({
      name: 'retention',
      schedule: config.ODZIV_RETENTION_CRON,
      timeZone: config.ODZIV_TIME_ZONE,
      run: async () => {
        const forgotten = await forgetPastRetention(database, retentionDays, { owner: instanceId });
        if (forgotten) log.info({ job: 'retention', forgotten, days: retentionDays }, 'forgot the words of posts past the retention period');
      },
    });
  }

  return jobs;
}
