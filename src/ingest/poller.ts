import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import { isAdapterError } from '../../adapters/errors.ts';
import { type AdapterSet, moderatingPlatforms } from '../../adapters/registry.ts';
import type { Database } from '../../db/client.ts';
import { alerts, type Stream, streams } from '../../db/schema/index.ts';
import type { BusinessHours } from '../calendar/business-hours.ts';
import { releaseOrphanedLeases } from '../leases.ts';
import type { Logger } from '../logger.ts';
import { backoffMs, MAX_BACKOFF_MS } from '../retry.ts';
import type { Rulebook } from '../rulebook.ts';
import { scrub } from '../scrub.ts';
import { storable } from '../storable.ts';
import { type IngestSummary, ingest, recordPollFailure } from './ingest.ts';

export interface PollerDeps {
  database: Database;
  adapters: AdapterSet;
  rulebook: Rulebook;
  log: Logger;
  /** Identifies this process in stream leases. */
  instanceId: string;
  /** Normal pause between polls of a quiet stream. */
  intervalMs?: number;
  onIngested?: (stream: Stream, summary: IngestSummary) => void | Promise<void>;
  /** A stream failing for longer than this raises an alert to community managers. */
  alertAfterMs?: number;
  /** SLA clocks run only in these hours (always, when absent). */
  businessHours?: BusinessHours;
  /** How long a stream stays leased without renewal (LEASE_MS); renewed every quarter of it. */
  leaseMs?: number;
}

/** A poll renews its lease while it runs, so a poller that died holds its stream this long at most. */
const LEASE_MS = 20_000;
/** Pages, and time, one tick spends on a stream that is behind before it moves on. */
const CATCH_UP_PAGES = 25;
const CATCH_UP_MS = 15_000;

/** Takes the stream's lease unless another instance holds it; true when this process may poll. */
async function takeLease(database: Database, streamId: number, owner: string, now: Date, leaseMs: number): Promise<boolean> {
  const rows = await database.db
    .update(streams)
    .set({ leaseOwner: owner, leaseUntil: new Date(now.getTime() + leaseMs) })
    .where(and(eq(streams.id, streamId), or(isNull(streams.leaseUntil), lt(streams.leaseUntil, now), eq(streams.leaseOwner, owner))))
    .returning({ id: streams.id });
  return rows.length === 1;
}

async function renewLease(database: Database, streamId: number, owner: string, leaseMs: number): Promise<void> {
  await database.db
    .update(streams)
    .set({ leaseUntil: new Date(Date.now() + leaseMs) })
    .where(and(eq(streams.id, streamId), eq(streams.leaseOwner, owner)));
}

async function releaseLease(database: Database, streamId: number, owner: string, nextPollAt: Date): Promise<void> {
  await database.db
    .update(streams)
    .set({ leaseOwner: null, leaseUntil: null, nextPollAt })
    .where(and(eq(streams.id, streamId), eq(streams.leaseOwner, owner)));
}

/**
 * Polls one stream once: fetch since the cursor, ingest in one transaction, schedule the next
 * poll. Failures are recorded on the stream (its health) and back off; they never throw.
 */
export async function pollStream(deps: PollerDeps, stream: Stream, now = new Date()): Promise<(IngestSummary & { more: boolean }) | undefined> {
  const log = deps.log.child({ job: 'poll', stream: stream.name, platform: stream.platform });
  const adapter = deps.adapters[stream.platform as keyof AdapterSet];
  if (!adapter) {
    await recordPollFailure(deps.database, stream.id, `odziv has no adapter for platform "${stream.platform}" in this deployment`, now);
    await deps.database.db
      .update(streams)
      .set({ nextPollAt: new Date(now.getTime() + MAX_BACKOFF_MS) })
      .where(eq(streams.id, stream.id));
    return undefined;
  }
  const leaseMs = deps.leaseMs ?? LEASE_MS;
  if (!(await takeLease(deps.database, stream.id, deps.instanceId, now, leaseMs))) return undefined;
  const renewal = setInterval(() => {
    renewLease(deps.database, stream.id, deps.instanceId, leaseMs).catch((err) => log.error({ err }, 'renewing the stream lease failed'));
  }, leaseMs / 4);
  renewal.unref();
  const started = Date.now();
  let next = new Date(now.getTime() + (deps.intervalMs ?? 2_000));
  try {
    const result = await adapter.poll({ id: stream.id, name: stream.name, config: stream.config, createdAt: stream.createdAt }, stream.cursor);
    const summary = await ingest(deps.database, deps.rulebook.current(), stream, result, new Date(), {
      businessHours: deps.businessHours,
      moderates: moderatingPlatforms(deps.adapters),
    });
    await deps.database.db.update(streams).set({ consecutiveFailures: 0 }).where(eq(streams.id, stream.id));
    if (result.gap) log.warn({ gap: result.gap }, 'poll: a span of the stream could not be read; recorded on the stream and alerted');
    if (result.nextPollInMs !== undefined) next = new Date(Date.now() + Math.max(0, result.nextPollInMs));
    else if (result.more) next = new Date();
    // One line per run: info when something arrived, debug for the quiet runs every few seconds.
    const line = { ms: Date.now() - started, ...summary, caseIds: undefined, alerts: summary.alerts.length };
    if (summary.rejected) log.warn(line, 'poll: posts of a shape odziv cannot store were set aside (audit log, action post.rejected)');
    else if (summary.received) log.info(line, 'poll');
    else log.debug(line, 'poll');
    await deps.onIngested?.(stream, summary);
    return { ...summary, more: Boolean(result.more) };
  } catch (e) {
    const failures = stream.consecutiveFailures + 1;
    const wait = isAdapterError(e) && e.retryAfterMs !== undefined ? e.retryAfterMs : backoffMs(failures);
    next = new Date(Date.now() + wait);
    const message = isAdapterError(e) ? `${e.kind}: ${e.message}` : (e as Error).message;
    log.warn({ ms: Date.now() - started, failures, retryInMs: wait, error: message }, 'poll failed');
    await recordPollFailure(deps.database, stream.id, message, now).catch(() => {});
    await alertIfFailingTooLong(deps, stream, message, now, isAdapterError(e) && e.kind === 'credentials').catch((err) =>
      log.error({ err }, 'raising the stream alert failed'),
    );
    await deps.database.db
      .update(streams)
      .set({ consecutiveFailures: sql`${streams.consecutiveFailures} + 1` })
      .where(eq(streams.id, stream.id))
      .catch(() => {});
    return undefined;
  } finally {
    clearInterval(renewal);
    await releaseLease(deps.database, stream.id, deps.instanceId, next).catch((err) => log.error({ err }, 'releasing the stream lease failed'));
  }
}

/**
 * Users must never learn from a customer that monitoring stopped: a stream failing for longer
 * than `alertAfterMs`, or at once when its credentials are dead, raises one alert per failure
 * episode (the dedup key names when it began).
 */
async function alertIfFailingTooLong(deps: PollerDeps, stream: Stream, message: string, now: Date, deadCredentials: boolean): Promise<void> {
  const since = stream.failingSince ?? now;
  // A dead token will not come back by waiting: say so at once.
  if (!deadCredentials && now.getTime() - since.getTime() < (deps.alertAfterMs ?? 10 * 60_000)) return;
  // The platform's words, cut to size: a NUL or half an emoji would make the alert's JSON unstorable.
  const lastError = storable(scrub(message).slice(0, 500));
  await deps.database.db
    .insert(alerts)
    .values({
      kind: 'stream',
      audience: 'community_manager',
      dedupKey: `stream:${stream.id}:${since.toISOString()}`,
      title: `Stream ${stream.platform}/${stream.name} has been failing since ${since.toISOString()}`,
      details: { streamId: stream.id, lastError, failingSince: since.toISOString() },
    })
    .onConflictDoUpdate({ target: alerts.dedupKey, set: { details: { streamId: stream.id, lastError, failingSince: since.toISOString() }, updatedAt: now } });
}

/** Polls every enabled stream that is due. */
export async function pollDueStreams(deps: PollerDeps, now = new Date()): Promise<void> {
  // Named sessions tell live instances from dead ones (a database opened without a name, as in tests, cannot tell).
  if (deps.database.kind === 'postgres' && deps.database.name) await releaseOrphanedLeases(deps.database);
  const due = await deps.database.db
    .select()
    .from(streams)
    .where(and(eq(streams.enabled, true), or(isNull(streams.nextPollAt), lt(streams.nextPollAt, new Date(now.getTime() + 50)))));
  for (const stream of due) {
    // A stream that is behind reads page after page while its pacing (the platform's rate budget)
    // says the next is due now, instead of one page per tick; bounded, so other streams get their turn.
    const until = Date.now() + CATCH_UP_MS;
    let current: Stream | undefined = stream;
    for (let page = 0; current && page < CATCH_UP_PAGES; page++) {
      const summary = await pollStream(deps, current, page ? new Date() : now);
      if (!summary?.more || Date.now() > until) break;
      [current] = await deps.database.db
        .select()
        .from(streams)
        .where(and(eq(streams.id, stream.id), eq(streams.enabled, true), lt(streams.nextPollAt, new Date(Date.now() + 50))));
    }
  }
}
