import { and, asc, eq, exists, gt, inArray, isNull, lte, ne, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { alertDeliveries, alerts, type Alert } from '../../db/schema/index.ts';
import { backoffMs } from '../ingest/poller.ts';
import type { Logger } from '../logger.ts';
import type { ChannelSet } from './channels/registry.ts';
import { ChannelError, type AlertMessage, type ChannelName, type Round } from './channels/types.ts';
import { quietUntil, type QuietHours } from './quiet-hours.ts';

export const MAX_DELIVERY_ATTEMPTS = 6;

/**
 * Who gets what outside the app: marketing hears of viral and spike alerts and the daily digest,
 * community managers of SLA breaches and failing streams. Rule alerts stay in the in-app list (no flood).
 */
export function pushes(alert: Pick<Alert, 'kind' | 'audience'>): boolean {
  if (alert.audience === 'marketing') return alert.kind === 'viral' || alert.kind === 'spike' || alert.kind === 'digest';
  return alert.kind === 'sla' || alert.kind === 'stream';
}

export interface DeliveryPolicy {
  quietHours?: QuietHours;
}

/** When a delivery may go: now, or after the quiet hours unless the alert is urgent. */
function sendableAt(a: Pick<Alert, 'severity' | 'kind'>, policy: DeliveryPolicy, now: Date): Date {
  if (a.severity === 'urgent') return now;
  return quietUntil(policy.quietHours, now) ?? now;
}

async function addDeliveries(database: Database, channels: ChannelSet, a: Alert, round: Round, policy: DeliveryPolicy, now: Date): Promise<number> {
  const targets = (Object.keys(channels) as ChannelName[]).filter((c) => channels[c]!.serves(a.audience, round));
  if (!targets.length) return 0;
  const availableAt = sendableAt(a, policy, now);
  const rows = await database.db
    .insert(alertDeliveries)
    .values(targets.map((channel) => ({ alertId: a.id, channel, round, availableAt })))
    .onConflictDoNothing()
    .returning({ id: alertDeliveries.id });
  return rows.length;
}

/** Creates the deliveries of new alerts (one per alert and channel; the unique key dedups). */
export async function enqueueDeliveries(database: Database, channels: ChannelSet, now = new Date(), policy: DeliveryPolicy = {}): Promise<number> {
  if (!Object.keys(channels).length) return 0;
  const recent = await database.db
    .select()
    .from(alerts)
    .leftJoin(alertDeliveries, and(eq(alertDeliveries.alertId, alerts.id), eq(alertDeliveries.round, 'initial')))
    .where(and(gt(alerts.createdAt, new Date(now.getTime() - 86_400_000)), isNull(alertDeliveries.id)));
  let n = 0;
  for (const { alerts: a } of recent) if (pushes(a)) n += await addDeliveries(database, channels, a, 'initial', policy, now);
  return n;
}

/**
 * Escalates open alerts nobody acknowledged within `afterMs` of their first delivery: they go out
 * again, marked as escalated, to the escalation contacts where set (else the same people). Once.
 * Digests need no acknowledgement.
 */
export async function escalateUnacknowledged(database: Database, channels: ChannelSet, afterMs: number, now = new Date(), policy: DeliveryPolicy = {}): Promise<number> {
  if (!Object.keys(channels).length || afterMs <= 0) return 0;
  const sentLongAgo = database.db
    .select({ id: alertDeliveries.id })
    .from(alertDeliveries)
    .where(and(eq(alertDeliveries.alertId, alerts.id), eq(alertDeliveries.round, 'initial'), eq(alertDeliveries.status, 'sent'), lte(alertDeliveries.sentAt, new Date(now.getTime() - afterMs))));
  const stale = await database.db
    .select()
    .from(alerts)
    .where(and(eq(alerts.status, 'open'), isNull(alerts.escalatedAt), ne(alerts.kind, 'digest'), exists(sentLongAgo)));
  let n = 0;
  for (const a of stale) {
    if (!pushes(a)) continue;
    // Claimed by this update so two instances never escalate the same alert twice.
    const [claimed] = await database.db.update(alerts).set({ escalatedAt: now }).where(and(eq(alerts.id, a.id), isNull(alerts.escalatedAt), eq(alerts.status, 'open'))).returning();
    if (claimed) n += (await addDeliveries(database, channels, claimed, 'escalation', policy, now)) > 0 ? 1 : 0;
  }
  return n;
}

/** Sends due deliveries; retryable failures back off, others and the last attempt are dead-lettered. */
export async function deliverAlerts(database: Database, channels: ChannelSet, log: Logger, now?: Date, publicUrl?: string): Promise<number> {
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
    const dlog = log.child({ job: 'alerts', alertId: d.alertId, channel: d.channel, round: d.round });
    try {
      if (!a || !channel) throw new ChannelError(`channel ${d.channel} is not configured any more`, false);
      // An escalation that was acknowledged while it waited (quiet hours, back-off) is not sent.
      if (d.round === 'escalation' && a.status !== 'open') {
        await database.db.update(alertDeliveries).set({ status: 'cancelled', lastError: `not sent: ${a.status} before it was due` }).where(eq(alertDeliveries.id, d.id));
        continue;
      }
      const caseId = a.caseId ?? (typeof a.details.caseId === 'number' ? a.details.caseId : undefined);
      const caseUrl = publicUrl && caseId !== undefined ? `${publicUrl}/cases/${caseId}` : undefined;
      const message: AlertMessage = { id: a.id, kind: a.kind, audience: a.audience, severity: a.severity, round: d.round, title: a.title, details: a.details, createdAt: a.createdAt, ...(caseUrl ? { caseUrl } : {}) };
      await channel.send(message);
      await database.db.update(alertDeliveries).set({ status: 'sent', sentAt: leaseFrom, lastError: null }).where(eq(alertDeliveries.id, d.id));
      dlog.info({ attempts: d.attempts, kind: a.kind }, 'alert delivered');
    } catch (e) {
      const retryable = e instanceof ChannelError ? e.retryable : true;
      const dead = !retryable || d.attempts >= MAX_DELIVERY_ATTEMPTS;
      await database.db
        .update(alertDeliveries)
        .set({ status: dead ? 'dead' : 'pending', lastError: (e as Error).message.slice(0, 500), availableAt: new Date(leaseFrom.getTime() + backoffMs(d.attempts)) })
        .where(eq(alertDeliveries.id, d.id));
      dlog.warn({ attempts: d.attempts, dead, error: (e as Error).message }, 'alert not delivered');
    }
  }
  return due.length;
}
