import { authorize, type Actor } from '../auth/permissions.ts';
import { eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { backtests } from '../../db/schema/index.ts';
import type { CompiledPack } from '../../rules/index.ts';
import { audit } from '../audit.ts';
import type { Logger } from '../logger.ts';
import { runBacktest, withCandidate } from './backtest.ts';

const running = new Set<Promise<void>>();

/**
 * Starts a backtest in the background and returns its id at once; progress and result are
 * written to its row, so any instance can answer "how far is it".
 */
export async function startBacktest(
  database: Database,
  log: Logger,
  req: { live: readonly CompiledPack[]; candidate: CompiledPack; packText: string; since: Date; actor: Actor },
): Promise<number> {
  authorize(req.actor, 'rules.backtest');
  const [row] = await database.db
    .insert(backtests)
    .values({ requestedBy: req.actor.id, packName: req.candidate.name, packText: req.packText, since: req.since })
    .returning({ id: backtests.id });
  const id = row!.id;
  await audit(database.db, { actorUserId: req.actor.id, action: 'rules.backtest', subjectType: 'backtest', subjectId: id, details: { pack: req.candidate.name, since: req.since.toISOString() } });
  const started = Date.now();
  const job = runBacktest(database, req.live, withCandidate(req.live, req.candidate), req.since, async (processed, total) => {
    await database.db.update(backtests).set({ processed, total }).where(eq(backtests.id, id));
  })
    .then(async (result) => {
      await database.db.update(backtests).set({ status: 'done', result, processed: result.posts, total: result.posts, finishedAt: sql`now()` }).where(eq(backtests.id, id));
      log.info({ job: 'backtest', backtestId: id, ms: Date.now() - started, posts: result.posts, newlyFlagged: result.newlyFlagged, noLongerFlagged: result.noLongerFlagged }, 'backtest');
    })
    .catch(async (err: unknown) => {
      log.error({ job: 'backtest', backtestId: id, err }, 'backtest failed');
      await database.db.update(backtests).set({ status: 'failed', error: (err as Error).message.slice(0, 500), finishedAt: sql`now()` }).where(eq(backtests.id, id)).catch(() => {});
    });
  running.add(job);
  void job.finally(() => running.delete(job));
  return id;
}

/** Waits for running backtests (graceful shutdown). */
export async function drainBacktests(): Promise<void> {
  await Promise.allSettled([...running]);
}
