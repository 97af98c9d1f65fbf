import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { type Alert, type AlertKind, alertDeliveries, alerts, cases, posts } from '../../db/schema/index.ts';

export interface AlertListing {
  alert: Alert;
  /** The words of the post the alert is about (rule and SLA alerts keep only the case's id). */
  postText: string | null;
  deliveries: Array<typeof alertDeliveries.$inferSelect>;
}

/** The alerts of these audiences, newest change first, each with its post's words and its deliveries: for the API and the alerts page. */
export async function listAlerts(
  database: Database,
  audiences: Array<Alert['audience']>,
  o: { status?: Alert['status']; kind?: AlertKind; limit?: number; order?: 'newest' | 'lastChanged' } = {},
): Promise<AlertListing[]> {
  if (!audiences.length) return [];
  const rows = await database.db
    .select({ alert: alerts, postText: posts.text })
    .from(alerts)
    .leftJoin(cases, eq(cases.id, alerts.caseId))
    .leftJoin(posts, eq(posts.id, cases.postId))
    .where(and(inArray(alerts.audience, audiences), o.status ? eq(alerts.status, o.status) : undefined, o.kind ? eq(alerts.kind, o.kind) : undefined))
    .orderBy(...(o.order === 'lastChanged' ? [desc(alerts.updatedAt), desc(alerts.id)] : [desc(alerts.id)]))
    .limit(o.limit ?? 100);
  const deliveries = rows.length
    ? await database.db
        .select()
        .from(alertDeliveries)
        .where(
          inArray(
            alertDeliveries.alertId,
            rows.map((r) => r.alert.id),
          ),
        )
    : [];
  return rows.map((r) => ({ ...r, deliveries: deliveries.filter((d) => d.alertId === r.alert.id) }));
}
