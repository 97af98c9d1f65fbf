import { sql } from 'drizzle-orm';
import { idSet } from '../../db/bulk.ts';
import type { Database } from '../../db/client.ts';
import { runJob } from '../scheduler/job-runs.ts';
import { forgetWords } from './forget.ts';

export const PAST_RETENTION = '(past the retention period)';
/** Posts read a run at most: a year's backlog, when retention is first turned on, takes a day of runs. */
const PER_RUN = 5_000;

/** A post whose case, or the case of its thread, is still worked: its words stay until it is resolved. */
const stillWorked = sql`(exists (select 1 from cases c where c.post_id = p.id and c.status <> 'resolved')
  or (p.conversation_id is not null and exists (select 1 from posts f join cases c on c.post_id = f.id where f.platform = p.platform and f.conversation_id = p.conversation_id and c.status <> 'resolved')))`;

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
        const scanned = await database.rows<{ id: number | string; at: Date | string; worked: boolean }>(
          sql`select p.id, p.posted_at as at, ${stillWorked} as worked from posts p
              where (p.text <> '' or p.raw <> '{}'::jsonb) and p.posted_at < ${cutoff}
                ${place ? sql`and (p.posted_at, p.id) > (${new Date(place.at)}::timestamptz, ${place.id}::bigint)` : sql``}
              order by p.posted_at, p.id limit ${PER_RUN}
              for update of p skip locked`,
          tx,
        );
        const last = scanned.at(-1);
        // Read to the cut-off: the next run starts there (the cut-off moves on with time).
        const next = scanned.length < PER_RUN ? { at: cutoff.toISOString(), id: 0 } : { at: new Date(last!.at).toISOString(), id: Number(last!.id) };
        // Threads kept while their case was worked, whose case was resolved since the last run.
        const released = since
          ? await database.rows<{ id: number | string }>(
              sql`select distinct p.id from cases c join posts cp on cp.id = c.post_id
                  join posts p on p.id = cp.id or (cp.conversation_id is not null and p.platform = cp.platform and p.conversation_id = cp.conversation_id)
                  where c.status = 'resolved' and c.resolved_at > ${since} and p.posted_at < ${cutoff} and (p.text <> '' or p.raw <> '{}'::jsonb)
                    and not ${stillWorked}`,
              tx,
            )
          : [];
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
