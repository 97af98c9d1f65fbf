import { and, asc, eq, gt, inArray, isNull, lte, ne, sql } from 'drizzle-orm';
import { recordset } from '../../db/bulk.ts';
import type { Database } from '../../db/client.ts';
import { type Alert, alertDeliveries, alerts } from '../../db/schema/index.ts';
import { type QuietHours, quietUntil } from '../calendar/quiet-hours.ts';
import type { Logger } from '../logger.ts';
import { afterFailure, storedError } from '../outbox.ts';
import type { ChannelSet } from './channels/registry.ts';
import { type AlertMessage, ChannelError, type ChannelName, type Round } from './channels/types.ts';

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

/** The deliveries of these alerts for this round, one per alert and serving channel, in one statement. */
async function addDeliveries(database: Database, channels: ChannelSet, list: Alert[], round: Round, policy: DeliveryPolicy, now: Date): Promise<Set<number>> {
  const rows = list.flatMap((a) =>
    (Object.keys(channels) as ChannelName[])
      .filter((c) => channels[c]!.serves(a.audience, round))
      .map((channel) => ({ alert_id: a.id, channel, round, available_at: sendableAt(a, policy, now) })),
  );
  if (!rows.length) return new Set();
  const added = await database.rows<{ alert_id: number | string }>(sql`
    insert into alert_deliveries (alert_id, channel, round, available_at)
    select alert_id, channel, round, available_at from ${recordset(rows, 'alert_id bigint, channel text, round text, available_at timestamptz')}
    on conflict do nothing
    returning alert_id`);
  return new Set(added.map((r) => Number(r.alert_id)));
}

/** Creates the deliveries of new alerts (one per alert and channel; the unique key dedups). */
export async function enqueueDeliveries(database: Database, channels: ChannelSet, now = new Date(), policy: DeliveryPolicy = {}): Promise<number> {
  if (!Object.keys(channels).length) return 0;
  // The last day's alerts of the kinds that are pushed (see pushes) that have no delivery yet.
  const recent = await database.db
    .select()
    .from(alerts)
    .where(
      and(
        gt(alerts.createdAt, new Date(now.getTime() - 86_400_000)),
        sql`((${alerts.audience} = 'marketing' and ${alerts.kind} in ('viral', 'spike', 'digest')) or (${alerts.audience} = 'community_manager' and ${alerts.kind} in ('sla', 'stream')))`,
        sql`not exists (select 1 from alert_deliveries d where d.alert_id = ${alerts.id} and d.round = 'initial')`,
      ),
    );
  return (await addDeliveries(database, channels, recent.filter(pushes), 'initial', policy, now)).size;
}

/**
 * Escalates open alerts nobody acknowledged within `afterMs` of their first delivery: they go out
 * again, marked as escalated, to the escalation contacts where set (else the same people). Once.
 * Digests need no acknowledgement. Read from the deliveries sent in the day before `afterMs` ago
 * (an index on sent_at), not from every open alert.
 */
export async function escalateUnacknowledged(
  database: Database,
  channels: ChannelSet,
  afterMs: number,
  now = new Date(),
  policy: DeliveryPolicy = {},
): Promise<number> {
  if (!Object.keys(channels).length || afterMs <= 0) return 0;
  const cutoff = new Date(now.getTime() - afterMs);
  // Claimed by this update so two instances never escalate the same alert twice.
  const claimed = await database.db
    .update(alerts)
    .set({ escalatedAt: now })
    .where(
      and(
        eq(alerts.status, 'open'),
        isNull(alerts.escalatedAt),
        ne(alerts.kind, 'digest'),
        sql`${alerts.id} in (select d.alert_id from alert_deliveries d where d.round = 'initial' and d.status = 'sent' and d.sent_at <= ${cutoff} and d.sent_at > ${new Date(cutoff.getTime() - 86_400_000)})`,
      ),
    )
    .returning();
  const pushed = claimed.filter(pushes);
  return (await addDeliveries(database, channels, pushed, 'escalation', policy, now)).size;
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
      // Ten a run (every 5 s by default): each is marked sent right after its send, so a crash re-sends at most the one in flight.
      .limit(10)
      .for('update', { skipLocked: true });
    if (!rows.length) return [];
    // Leased for two minutes while this worker sends them.
    return tx
      .update(alertDeliveries)
      .set({ attempts: sql`${alertDeliveries.attempts} + 1`, availableAt: new Date(leaseFrom.getTime() + 120_000) })
      .where(
        inArray(
          alertDeliveries.id,
          rows.map((r) => r.id),
        ),
      )
      .returning();
  });
  const byId = new Map(
    (due.length
      ? await database.db
          .select()
          .from(alerts)
          .where(inArray(alerts.id, [...new Set(due.map((d) => d.alertId))]))
      : []
    ).map((a) => [a.id, a]),
  );
  for (const d of due) {
    const a = byId.get(d.alertId);
    const channel = channels[d.channel as ChannelName];
    const dlog = log.child({ job: 'alerts', alertId: d.alertId, channel: d.channel, round: d.round });
    try {
      if (!a || !channel) throw new ChannelError(`channel ${d.channel} is not configured any more`, false);
      // An escalation that was acknowledged while it waited (quiet hours, back-off) is not sent.
      if (d.round === 'escalation' && a.status !== 'open') {
        await database.db
          .update(alertDeliveries)
          .set({ status: 'cancelled', lastError: `not sent: ${a.status} before it was due` })
          .where(eq(alertDeliveries.id, d.id));
        continue;
      }
      const caseId = a.caseId ?? (typeof a.details.caseId === 'number' ? a.details.caseId : undefined);
      const caseUrl = publicUrl && caseId !== undefined ? `${publicUrl}/cases/${caseId}` : undefined;
      const message: AlertMessage = {
        id: a.id,
        kind: a.kind,
        audience: a.audience,
        severity: a.severity,
        round: d.round,
        title: a.title,
        details: a.details,
        createdAt: a.createdAt,
        ...(caseUrl ? { caseUrl } : {}),
      };
      await channel.send(message);
      await database.db.update(alertDeliveries).set({ status: 'sent', sentAt: leaseFrom, lastError: null }).where(eq(alertDeliveries.id, d.id));
      dlog.info({ attempts: d.attempts, kind: a.kind }, 'alert delivered');
    } catch (e) {
      const retryable = e instanceof ChannelError ? e.retryable : true;
      const { status, availableAt } = afterFailure(
        { retryable, attempts: d.attempts, maxAttempts: MAX_DELIVERY_ATTEMPTS, refused: 'dead' },
        leaseFrom.getTime(),
      );
      await database.db
        .update(alertDeliveries)
        .set({ status, lastError: storedError((e as Error).message, 500), availableAt })
        .where(eq(alertDeliveries.id, d.id));
      dlog.warn({ attempts: d.attempts, dead: status === 'dead', error: (e as Error).message }, 'alert not delivered');
    }
  }
  return due.length;
}
