import { sql } from 'drizzle-orm';
import { idSet, recordset } from '../../db/bulk.ts';
import type { Database, Tx } from '../../db/client.ts';
import { runJob } from '../job-runs.ts';
import { forgetWords } from './forget.ts';

export const PAST_RETENTION = '(past the retention period)';
/**
 * Posts read a run at most: a run stays well under a second at a year's size, and at the default
 * cadence (every 5 minutes) retention forgets ~576,000 posts a day, a year's backlog in two days.
 */
const PER_RUN = 2_000;

/**
 * Of these posts, those whose case, or the case of their thread, is still worked: their words stay
 * until it is resolved. Two joins over exactly these posts and threads (as one predicate per post
 * the planner hashed every open case and read every post).
 */
async function stillWorkedAmong(
  database: Database,
  tx: Tx,
  list: Array<{ id: number | string; platform: string; conversation_id: string | null }>,
): Promise<Set<number>> {
  if (!list.length) return new Set();
  const own = await database.rows<{ id: number | string }>(
    sql`select post_id as id from cases where status <> 'resolved' and post_id in ${idSet(list.map((p) => Number(p.id)))}`,
    tx,
  );
  const threads = [
    ...new Map(
      list
        .filter((p) => p.conversation_id !== null)
        .map((p) => [`${p.platform}\u0000${p.conversation_id}`, { platform: p.platform, conversation_id: p.conversation_id }]),
    ).values(),
  ];
  const open = threads.length
    ? await database.rows<{ platform: string; conversation_id: string }>(
        sql`select distinct f.platform, f.conversation_id from ${recordset(threads, 'platform text, conversation_id text', 't')}
            join posts f on f.platform = t.platform and f.conversation_id = t.conversation_id
            join cases c on c.post_id = f.id where c.status <> 'resolved'`,
        tx,
      )
    : [];
  const openThreads = new Set(open.map((t) => `${t.platform}\u0000${t.conversation_id}`));
  const out = new Set(own.map((r) => Number(r.id)));
  for (const p of list) if (p.conversation_id !== null && openThreads.has(`${p.platform}\u0000${p.conversation_id}`)) out.add(Number(p.id));
  return out;
}

/**
 * Keeps customers' words no longer than the brand decided (ODZIV_RETENTION_DAYS): posts older
 * than that lose their words as a deleted post does (see forgetWords); the numbers stay, so the
 * dashboards and response times still add up. A post whose case someone still works is kept until
 * the case is resolved, and so is the rest of its conversation.
 *
 * Each run reads forward from where the last one stopped (job_runs keeps the place), at most
 * PER_RUN posts, and revisits only the threads of cases resolved since the last run: the forgotten
 * past is never read again. Returns how many posts it forgot.
 */
export async function forgetPastRetention(database: Database, days: number, opts: { now?: Date; owner?: string } = {}): Promise<number> {
  const now = opts.now ?? new Date();
  const cutoff = new Date(now.getTime() - days * 86_400_000);
  const done = await runJob(
    database,
    'retention',
    opts.owner ?? 'retention',
    async ({ since, state }) => {
      const place = state.place as { at: string; id: number } | undefined;
      return database.db.transaction(async (tx) => {
        const candidates = await database.rows<{ id: number | string; at: Date | string; platform: string; conversation_id: string | null }>(
          sql`select p.id, p.posted_at as at, p.platform, p.conversation_id from posts p
              where (p.text <> '' or p.raw <> '{}'::jsonb) and p.posted_at < ${cutoff}
                ${place ? sql`and (p.posted_at, p.id) > (${new Date(place.at)}::timestamptz, ${place.id}::bigint)` : sql``}
              order by p.posted_at, p.id limit ${PER_RUN}
              for update of p skip locked`,
          tx,
        );
        const worked = await stillWorkedAmong(database, tx, candidates);
        const scanned = candidates.map((c) => ({ ...c, worked: worked.has(Number(c.id)) }));
        const last = scanned.at(-1);
        // Read to the cut-off: the next run starts there (the cut-off moves on with time).
        const next = scanned.length < PER_RUN ? { at: cutoff.toISOString(), id: 0 } : { at: new Date(last!.at).toISOString(), id: Number(last!.id) };
        // Threads kept while their case was worked, whose case was resolved since the last run.
        const resolvedThreads = since
          ? await database.rows<{ id: number | string; platform: string; conversation_id: string | null }>(
              sql`select distinct p.id, p.platform, p.conversation_id from cases c join posts cp on cp.id = c.post_id
                  join posts p on p.id = cp.id or (cp.conversation_id is not null and p.platform = cp.platform and p.conversation_id = cp.conversation_id)
                  where c.status = 'resolved' and c.resolved_at > ${since} and p.posted_at < ${cutoff} and (p.text <> '' or p.raw <> '{}'::jsonb)`,
              tx,
            )
          : [];
        const stillHeld = await stillWorkedAmong(database, tx, resolvedThreads);
        const released = resolvedThreads.filter((p) => !stillHeld.has(Number(p.id)));
        const ids = [...new Set([...scanned.filter((r) => !r.worked).map((r) => Number(r.id)), ...released.map((r) => Number(r.id))])];
        if (ids.length) {
          const caseIds = (await database.rows<{ id: number | string }>(sql`select id from cases where post_id in ${idSet(ids)}`, tx)).map((c) => Number(c.id));
          await forgetWords(tx, ids, caseIds, PAST_RETENTION);
        }
        return { result: ids.length, state: { ...state, place: next } };
      });
    },
    { now },
  );
  return done ?? 0;
}
