import { and, asc, desc, eq, gt, inArray, isNull, lte, ne, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { alertDeliveries, alerts, analyses, authors, cases, metricSnapshots, posts, type Alert } from '../../db/schema/index.ts';
import { backoffMs } from '../ingest/poller.ts';
import type { Logger } from '../logger.ts';
import type { ChannelSet } from './channels/registry.ts';
import { ChannelError, type AlertMessage, type ChannelName } from './channels/types.ts';
import { viralScore, weighted } from './viral.ts';

export const MAX_DELIVERY_ATTEMPTS = 6;

/**
 * Who gets what outside the app: marketing hears of viral and spike alerts, community managers
 * of SLA breaches and failing streams. Rule alerts stay in the in-app list (no flood).
 */
export function pushes(alert: Pick<Alert, 'kind' | 'audience'>): boolean {
  if (alert.audience === 'marketing') return alert.kind === 'viral' || alert.kind === 'spike';
  return alert.kind === 'sla' || alert.kind === 'stream';
}

/** Creates the deliveries of new alerts (one per alert and channel; the unique key dedups). */
export async function enqueueDeliveries(database: Database, channels: ChannelSet, now = new Date()): Promise<number> {
  const names = Object.keys(channels) as ChannelName[];
  if (!names.length) return 0;
  const recent = await database.db
    .select()
    .from(alerts)
    .leftJoin(alertDeliveries, eq(alertDeliveries.alertId, alerts.id))
    .where(and(gt(alerts.createdAt, new Date(now.getTime() - 86_400_000)), isNull(alertDeliveries.id)));
  let n = 0;
  for (const { alerts: a } of recent) {
    if (!pushes(a)) continue;
    const targets = names.filter((c) => channels[c]!.serves(a.audience));
    if (!targets.length) continue;
    const rows = await database.db.insert(alertDeliveries).values(targets.map((channel) => ({ alertId: a.id, channel }))).onConflictDoNothing().returning({ id: alertDeliveries.id });
    n += rows.length;
  }
  return n;
}

/** Sends due deliveries; retryable failures back off, others and the last attempt are dead-lettered. */
export async function deliverAlerts(database: Database, channels: ChannelSet, log: Logger, now?: Date): Promise<number> {
  // The database's clock decides what is due (its timestamps have microseconds; a JS Date does not).
  const dueBy = now ?? sql`now()`;
  const leaseFrom = now ?? new Date();
  const due = await database.db.transaction(async (tx) => {
    const rows = await tx
      .select({ id: alertDeliveries.id })
      .from(alertDeliveries)
      .where(and(eq(alertDeliveries.status, 'pending'), lte(alertDeliveries.availableAt, dueBy)))
      .orderBy(asc(alertDeliveries.id))
      .limit(20)
      .for('update', { skipLocked: true });
    if (!rows.length) return [];
    // Leased for two minutes while this worker sends them.
    return tx
      .update(alertDeliveries)
      .set({ attempts: sql`${alertDeliveries.attempts} + 1`, availableAt: new Date(leaseFrom.getTime() + 120_000) })
      .where(inArray(alertDeliveries.id, rows.map((r) => r.id)))
      .returning();
  });
  for (const d of due) {
    const [a] = await database.db.select().from(alerts).where(eq(alerts.id, d.alertId));
    const channel = channels[d.channel as ChannelName];
    const dlog = log.child({ job: 'alerts', alertId: d.alertId, channel: d.channel });
    try {
      if (!a || !channel) throw new ChannelError(`channel ${d.channel} is not configured any more`, false);
      const message: AlertMessage = { id: a.id, kind: a.kind, audience: a.audience, title: a.title, details: a.details, createdAt: a.createdAt };
      await channel.send(message);
      await database.db.update(alertDeliveries).set({ status: 'sent', sentAt: new Date(), lastError: null }).where(eq(alertDeliveries.id, d.id));
      dlog.info({ attempts: d.attempts, kind: a.kind }, 'alert delivered');
    } catch (e) {
      const retryable = e instanceof ChannelError ? e.retryable : true;
      const dead = !retryable || d.attempts >= MAX_DELIVERY_ATTEMPTS;
      await database.db
        .update(alertDeliveries)
        .set({ status: dead ? 'dead' : 'pending', lastError: (e as Error).message.slice(0, 500), availableAt: new Date(Date.now() + backoffMs(d.attempts)) })
        .where(eq(alertDeliveries.id, d.id));
      dlog.warn({ attempts: d.attempts, dead, error: (e as Error).message }, 'alert not delivered');
    }
  }
  return due.length;
}

/**
 * Scores the posts of unresolved cases from their two latest engagement snapshots and raises one
 * viral alert per post (for marketing) when the score reaches the threshold; later growth updates
 * that alert instead of raising another.
 */
export async function detectViral(database: Database, threshold: number, now = new Date()): Promise<number> {
  const candidates = await database.db
    .select({ postId: posts.id, postedAt: posts.postedAt, followers: authors.followers, handle: authors.handle, url: posts.url, text: posts.text, complaint: analyses.complaint, caseId: cases.id })
    .from(cases)
    .innerJoin(posts, eq(posts.id, cases.postId))
    .innerJoin(authors, eq(authors.id, posts.authorId))
    .innerJoin(analyses, eq(analyses.postId, posts.id))
    .where(and(ne(cases.status, 'resolved'), gt(posts.metricsAt, new Date(now.getTime() - 3_600_000))));
  if (!candidates.length) return 0;
  const baseline = await brandBaseline(database);
  let raised = 0;
  for (const c of candidates) {
    const snaps = await database.db.select().from(metricSnapshots).where(eq(metricSnapshots.postId, c.postId)).orderBy(desc(metricSnapshots.at)).limit(2);
    if (!snaps.length) continue;
    const v = viralScore({ postedAt: c.postedAt, snapshots: snaps.reverse().map((s) => ({ at: s.at, metrics: s.metrics })), followers: c.followers, complaint: c.complaint, baselinePerMinute: baseline });
    if (v.score < threshold || c.complaint < 0.5) continue;
    const details = { score: v.score, velocityPerMinute: v.velocity, vsReach: v.vsReach, vsBrand: v.vsBrand, caseId: c.caseId, url: c.url, text: c.text.slice(0, 280), metrics: snaps[snaps.length - 1]!.metrics };
    const rows = await database.db
      .insert(alerts)
      .values({ kind: 'viral', audience: 'marketing', caseId: c.caseId, dedupKey: `viral:${c.postId}`, title: `Complaint going viral (score ${v.score}) from @${c.handle}: ${c.text.slice(0, 120)}`, details })
      .onConflictDoUpdate({ target: alerts.dedupKey, set: { details, updatedAt: now } })
      .returning({ id: alerts.id, createdAt: alerts.createdAt, updatedAt: alerts.updatedAt });
    if (rows[0] && rows[0].createdAt.getTime() === rows[0].updatedAt.getTime()) raised++;
  }
  return raised;
}

/** The brand's usual weighted interactions per minute on a post, from recent snapshots (median). */
async function brandBaseline(database: Database): Promise<number> {
  const rows = await database.db
    .select({ metrics: posts.metrics, postedAt: posts.postedAt, metricsAt: posts.metricsAt })
    .from(posts)
    .where(gt(posts.postedAt, new Date(Date.now() - 7 * 86_400_000)))
    .orderBy(desc(posts.id))
    .limit(500);
  const rates = rows
    .filter((r) => r.metrics && r.metricsAt)
    .map((r) => weighted(r.metrics!) / Math.max(1, (r.metricsAt!.getTime() - r.postedAt.getTime()) / 60_000))
    .sort((a, b) => a - b);
  return rates.length ? Math.max(0.1, rates[Math.floor(rates.length / 2)]!) : 0.5;
}
