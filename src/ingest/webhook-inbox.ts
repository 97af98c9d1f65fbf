import { and, eq, inArray, isNull, lt, lte, sql } from 'drizzle-orm';
import { isAdapterError } from '../../adapters/errors.ts';
import { type AdapterSet, moderatingPlatforms } from '../../adapters/registry.ts';
import type { NormalizedPost, WebhookCapability } from '../../adapters/types.ts';
import type { Database } from '../../db/client.ts';
import { streams, webhookDeliveries } from '../../db/schema/index.ts';
import type { BusinessHours } from '../calendar/business-hours.ts';
import type { Logger } from '../logger.ts';
import { storedError } from '../outbox.ts';
import { markGone } from '../privacy/gone.ts';
import { backoffMs } from '../retry.ts';
import type { Rulebook } from '../rulebook.ts';
import { type IngestSummary, ingest } from './ingest.ts';

export interface WebhookDeps {
  database: Database;
  adapters: AdapterSet;
  rulebook: Rulebook;
  log: Logger;
  businessHours?: BusinessHours;
}

const LEASE_MS = 2 * 60_000;
const MAX_ATTEMPTS = 8;
/** Refused deliveries are kept this long for a person to look at, then forgotten (they hold customers' words). */
const KEEP_REFUSED_MS = 7 * 86_400_000;

/** The platform's `webhook` stream: where its deliveries land (never polled). */
async function webhookStream(database: Database, platform: string) {
  await database.db
    .insert(streams)
    .values({ platform, name: 'webhook', config: { kind: 'webhook' }, enabled: false })
    .onConflictDoNothing();
  const [stream] = await database.db
    .select()
    .from(streams)
    .where(and(eq(streams.platform, platform), eq(streams.name, 'webhook')));
  return stream!;
}

/** Stores a verified delivery's posts through the same ingest as polls, and marks what it says was deleted. */
export async function storeDelivery(
  deps: WebhookDeps,
  platform: string,
  delivery: { posts: NormalizedPost[]; gone: string[] },
): Promise<IngestSummary & { gone: number }> {
  const stream = await webhookStream(deps.database, platform);
  const summary = await ingest(deps.database, deps.rulebook.current(), stream, { posts: delivery.posts, cursor: stream.cursor }, new Date(), {
    businessHours: deps.businessHours,
    moderates: moderatingPlatforms(deps.adapters),
  });
  // A customer deleting a post: its case learns it now, not at the next metrics read.
  const gone = await markGone(deps.database, platform, delivery.gone, new Date());
  return { ...summary, gone };
}

/** Keeps a verified delivery to be worked after the platform has its answer (one statement). */
export async function acceptDelivery(database: Database, platform: string, body: unknown): Promise<number> {
  const [row] = await database.db.insert(webhookDeliveries).values({ platform, body }).returning({ id: webhookDeliveries.id });
  return row!.id;
}

/**
 * Works kept deliveries: each is leased, read by its adapter (which may ask the platform, as for
 * an Instagram mention), stored, and removed. A platform that cannot answer now backs off and is
 * asked again; a delivery the adapter refuses keeps its reason (a week) and is not retried.
 */
export async function processDeliveries(deps: WebhookDeps, opts: { ids?: number[]; limit?: number } = {}): Promise<number> {
  const now = new Date();
  const due = await deps.database.db.transaction(async (tx) => {
    const rows = await tx
      .select({ id: webhookDeliveries.id })
      .from(webhookDeliveries)
      .where(
        and(
          isNull(webhookDeliveries.refusedAt),
          lte(webhookDeliveries.availableAt, sql`now()`),
          opts.ids ? inArray(webhookDeliveries.id, opts.ids) : undefined,
        ),
      )
      .orderBy(webhookDeliveries.id)
      .limit(opts.limit ?? 50)
      .for('update', { skipLocked: true });
    if (!rows.length) return [];
    return tx
      .update(webhookDeliveries)
      .set({ attempts: sql`${webhookDeliveries.attempts} + 1`, availableAt: new Date(now.getTime() + LEASE_MS) })
      .where(
        inArray(
          webhookDeliveries.id,
          rows.map((r) => r.id),
        ),
      )
      .returning();
  });
  for (const d of due) {
    const log = deps.log.child({ job: 'webhooks', platform: d.platform, deliveryId: d.id });
    const held = and(eq(webhookDeliveries.id, d.id), eq(webhookDeliveries.attempts, d.attempts));
    const hook: WebhookCapability | undefined = deps.adapters[d.platform as keyof AdapterSet]?.webhook;
    try {
      if (!hook) throw Object.assign(new Error(`odziv takes no webhooks for ${d.platform} any more`), { refused: true });
      const delivery = await hook.deliver(d.body);
      if ('refused' in delivery) throw Object.assign(new Error(delivery.refused.message), { refused: true });
      const summary = await storeDelivery(deps, d.platform, delivery);
      await deps.database.db.delete(webhookDeliveries).where(held);
      log.info(
        { received: summary.received, stored: summary.stored, duplicates: summary.duplicates, rejected: summary.rejected, gone: summary.gone },
        'webhook delivery stored',
      );
    } catch (e) {
      const refused =
        (e as { refused?: boolean }).refused === true || (isAdapterError(e) && !e.retryable && e.kind !== 'credentials') || d.attempts >= MAX_ATTEMPTS;
      const message = isAdapterError(e) ? `${e.kind}: ${e.message}` : (e as Error).message;
      await deps.database.db
        .update(webhookDeliveries)
        .set({
          lastError: storedError(message, 1000),
          ...(refused
            ? { refusedAt: new Date() }
            : { availableAt: new Date(Date.now() + (isAdapterError(e) && e.retryAfterMs ? e.retryAfterMs : backoffMs(d.attempts))) }),
        })
        .where(held);
      log.warn({ attempts: d.attempts, refused, error: message }, refused ? 'webhook delivery refused' : 'webhook delivery not stored yet; tried again later');
    }
  }
  await deps.database.db.delete(webhookDeliveries).where(lt(webhookDeliveries.refusedAt, new Date(now.getTime() - KEEP_REFUSED_MS)));
  return due.length;
}
