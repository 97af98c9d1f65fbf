import { and, desc, eq, lt, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { backtests } from '../../db/schema/index.ts';
import type { CompiledPack } from '../../rules/index.ts';
import { audit } from '../audit.ts';
import { type Actor, authorize } from '../auth/permissions.ts';
import { AppError, notFound } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { runBacktest, withCandidate } from './backtest.ts';
import { type Budget, DEFAULT_BUDGET } from './thread.ts';

/** A running backtest's heartbeat older than this means the process running it is gone. */
const STALE_MS = 60_000;
const INTERRUPTED = 'interrupted: odziv stopped before the backtest finished; start it again';

/** Backtests this process runs, and why one must stop (shutdown) if it must. */
const running = new Map<number, { job: Promise<void>; stop?: string }>();

/**
 * Starts a backtest in the background and returns its id at once; progress, heartbeat and result
 * are written to its row, so any instance can answer "how far is it" or cancel it.
 */
export async function startBacktest(
  database: Database,
  log: Logger,
  req: { live: readonly CompiledPack[]; candidate: CompiledPack; packText: string; since: Date; actor: Actor },
  budget: Budget = DEFAULT_BUDGET,
): Promise<number> {
  authorize(req.actor, 'rules.backtest');
  const [row] = await database.db
    .insert(backtests)
    .values({ requestedBy: req.actor.id, packName: req.candidate.name, packText: req.packText, since: req.since, heartbeatAt: sql`now()` })
    .returning({ id: backtests.id });
  const id = row!.id;
  await audit(database.db, {
    actorUserId: req.actor.id,
    action: 'rules.backtest',
    subjectType: 'backtest',
    subjectId: id,
    details: { pack: req.candidate.name, since: req.since.toISOString() },
  });
  const started = Date.now();
  const entry: { job: Promise<void>; stop?: string } = { job: Promise.resolve() };
  // Each page's progress is written only while the row still says running: a cancel (from any instance) stops it.
  const progress = async (processed: number, total: number) => {
    if (entry.stop) return false;
    const kept = await database.db
      .update(backtests)
      .set({ processed, total, heartbeatAt: sql`now()` })
      .where(and(eq(backtests.id, id), eq(backtests.status, 'running')))
      .returning({ id: backtests.id });
    return kept.length > 0;
  };
  entry.job = runBacktest(database, req.live, withCandidate(req.live, req.candidate), req.since, progress, budget)
    .then(async (result) => {
      await database.db
        .update(backtests)
        .set({ status: 'done', result, processed: result.posts, total: result.posts, finishedAt: sql`now()` })
        .where(and(eq(backtests.id, id), eq(backtests.status, 'running')));
      log.info(
        {
          job: 'backtest',
          backtestId: id,
          ms: Date.now() - started,
          posts: result.posts,
          newlyFlagged: result.newlyFlagged,
          noLongerFlagged: result.noLongerFlagged,
        },
        'backtest',
      );
    })
    .catch(async (err: unknown) => {
      const reason = entry.stop ?? (err as Error).message;
      log.warn({ job: 'backtest', backtestId: id, reason }, 'backtest stopped');
      // A cancelled row keeps the reason the canceller wrote.
      await database.db
        .update(backtests)
        .set({ status: 'failed', error: reason.slice(0, 500), finishedAt: sql`now()` })
        .where(and(eq(backtests.id, id), eq(backtests.status, 'running')))
        .catch(() => {});
    })
    .finally(() => running.delete(id));
  running.set(id, entry);
  return id;
}

/** Cancels a running backtest, whichever instance runs it (it stops after the page in hand). */
export async function cancelBacktest(database: Database, actor: Actor & { name?: string }, id: number): Promise<void> {
  authorize(actor, 'rules.backtest');
  const [row] = await database.db
    .update(backtests)
    .set({ status: 'failed', error: `cancelled by ${actor.name ?? `user ${actor.id}`}`, finishedAt: sql`now()` })
    .where(and(eq(backtests.id, id), eq(backtests.status, 'running')))
    .returning({ id: backtests.id });
  if (!row) {
    const [b] = await database.db.select({ status: backtests.status }).from(backtests).where(eq(backtests.id, id));
    if (!b) throw notFound(`backtest ${id}`);
    throw new AppError('CONFLICT', `backtest ${id} is ${b.status}: only a running one can be cancelled`);
  }
  await audit(database.db, { actorUserId: actor.id, action: 'rules.backtest_cancel', subjectType: 'backtest', subjectId: id });
}

/** Ends as failed: interrupted every running backtest whose process stopped beating (a crash, a restart). */
export async function endInterruptedBacktests(database: Database, staleMs = STALE_MS): Promise<number> {
  const ended = await database.db
    .update(backtests)
    .set({ status: 'failed', error: INTERRUPTED, finishedAt: sql`now()` })
    .where(
      and(
        eq(backtests.status, 'running'),
        lt(sql`coalesce(${backtests.heartbeatAt}, ${backtests.createdAt})`, sql`now() - make_interval(secs => ${staleMs / 1000})`),
      ),
    )
    .returning({ id: backtests.id });
  return ended.length;
}

/** A backtest as its page and the API show it (interrupted ones first ended as such); undefined when there is none. */
export async function getBacktest(database: Database, id: number) {
  await endInterruptedBacktests(database);
  const [row] = await database.db.select().from(backtests).where(eq(backtests.id, id));
  return row;
}

/** The last few backtests, newest first, for the rules page. */
export async function recentBacktests(database: Database, limit = 5) {
  return database.db.select().from(backtests).orderBy(desc(backtests.id)).limit(limit);
}

/** Graceful shutdown: this process's backtests stop after their page and are recorded as interrupted. */
export async function drainBacktests(): Promise<void> {
  for (const entry of running.values()) entry.stop = INTERRUPTED;
  await Promise.allSettled([...running.values()].map((e) => e.job));
}
