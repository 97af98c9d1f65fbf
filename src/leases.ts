import { sql } from 'drizzle-orm';
import { APPLICATION_PREFIX, type Database } from '../db/client.ts';
import { replies, streams } from '../db/schema/index.ts';

/**
 * Work a dead instance held passes on now instead of when its lease would run out: stream polls
 * and reply sends. On the embedded database this process is the only one (db/data-dir-lock.ts), so
 * whatever is held at start-up was left by a process that died. On PostgreSQL every instance's
 * sessions carry its name (application_name): an owner with no session left has died. A reply
 * passed on is sent with the lookup for an earlier copy first (its attempt count says it may have
 * gone out), so it still reaches the customer once.
 */
export async function releaseOrphanedLeases(database: Database): Promise<void> {
  if (database.kind === 'pglite') {
    await database.db.update(streams).set({ leaseOwner: null, leaseUntil: null }).where(sql`${streams.leaseOwner} is not null`);
    await database.db.update(replies).set({ lockedUntil: sql`now()`, lockedBy: null }).where(sql`${replies.status} = 'sending'`);
    return;
  }
  const dead = (owner: unknown) => sql`not exists (select 1 from pg_stat_activity a where a.application_name = ${APPLICATION_PREFIX} || ${owner})`;
  await database.db
    .update(streams)
    .set({ leaseOwner: null, leaseUntil: null })
    .where(sql`${streams.leaseOwner} is not null and ${streams.leaseUntil} > now() and ${dead(streams.leaseOwner)}`);
  await database.db
    .update(replies)
    .set({ lockedUntil: sql`now()`, lockedBy: null })
    .where(sql`${replies.status} = 'sending' and ${replies.lockedBy} is not null and ${replies.lockedUntil} > now() and ${dead(replies.lockedBy)}`);
}
