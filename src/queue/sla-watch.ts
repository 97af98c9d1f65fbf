import { sql } from 'drizzle-orm';
import { recordset } from '../../db/bulk.ts';
import type { Database } from '../../db/client.ts';

/**
 * The SLA watcher's work, each part a bounded number of statements whatever the number of cases,
 * and each reading only what came due, or changed, since `since` (the last run's start; null: the
 * last hour, so the first run after an upgrade does not read the backlog again: the version
 * before it raised those alerts). Partial indexes serve every question (migration 0013).
 */

/** Released or woken at most this many cases a run; the rest are next run's. */
const PER_RUN = 1_000;

const lowerBound = (since: Date | null | undefined, now: Date) => since ?? new Date(now.getTime() - 3_600_000);

/** Snoozed-until-a-time cases whose time has come are waiting again (one statement, audited in it). */
export async function wakeSnoozed(database: Database, now = new Date()): Promise<number> {
  const rows = await database.rows<{ id: string }>(sql`
    with woken as (
      update cases set status = 'open', assignee_id = null, claimed_at = null, snoozed_until = null, updated_at = ${now}
      where id in (select id from cases where status = 'snoozed' and snoozed_until is not null and snoozed_until <= ${now} order by snoozed_until limit ${PER_RUN} for update skip locked)
      returning id)
    insert into audit_log (action, subject_type, subject_id, details) select 'case.wake', 'case', id::text, '{}'::jsonb from woken
    returning subject_id as id`);
  return rows.length;
}

/** A claim nobody acted on for `idleMs` goes back to the queue (one statement, audited in it). */
export async function releaseIdleClaims(database: Database, idleMs: number, now = new Date()): Promise<number> {
  const rows = await database.rows<{ id: string }>(sql`
    with released as (
      update cases set status = 'open', assignee_id = null, claimed_at = null, updated_at = ${now}
      where id in (select id from cases where status = 'claimed' and updated_at < ${new Date(now.getTime() - idleMs)} order by updated_at limit ${PER_RUN} for update skip locked)
      returning id)
    insert into audit_log (action, subject_type, subject_id, details) select 'case.release', 'case', id::text, '{"reason":"idle claim"}'::jsonb from released
    returning subject_id as id`);
  return rows.length;
}

interface Due {
  id: number | string;
  due: Date | string;
  priority: number;
  team: string;
}

/**
 * SLA alerts for community managers: one when a waiting case's first response is due within five
 * minutes, one when it is breached, and one when a case misses its resolution target. Each is
 * raised once per due time (the dedup key names it). A case counts when its due time passed since
 * the last run, or when it changed since (reopened with a new due time, opened already overdue).
 */
export async function slaAlerts(database: Database, now = new Date(), onRaised?: (title: string) => void, since?: Date | null): Promise<number> {
  const from = lowerBound(since, now);
  const soon = new Date(now.getTime() + 5 * 60_000);
  const waiting = sql`status in ('open', 'claimed', 'escalated') and status <> 'resolved' and first_response_at is null`;
  const [breached, near, resolution] = await Promise.all([
    database.rows<Due>(sql`
      select id, due_at as due, priority, team from cases
      where ${waiting} and due_at <= ${now} and (due_at > ${from} or updated_at > ${from})`),
    database.rows<Due>(sql`
      select id, due_at as due, priority, team from cases
      where ${waiting} and due_at > ${now} and due_at <= ${soon} and (due_at > ${new Date(from.getTime() + 5 * 60_000)} or updated_at > ${from})`),
    database.rows<Due>(sql`
      select id, resolve_due_at as due, priority, team from cases
      where status <> 'resolved' and resolve_due_at <= ${now} and (resolve_due_at > ${from} or updated_at > ${from})`),
  ]);
  const rows: Array<{ case_id: number; dedup_key: string; title: string; details: Record<string, unknown> }> = [];
  const add = (list: Due[], kind: 'breach' | 'near' | 'resolution') => {
    for (const c of list) {
      const id = Number(c.id);
      const due = new Date(c.due).toISOString();
      const title =
        kind === 'breach'
          ? `SLA breached: case ${id} (priority ${c.priority}, team ${c.team}) was due ${due}`
          : kind === 'near'
            ? `SLA due soon: case ${id} (priority ${c.priority}) is due ${due}`
            : `Resolution SLA breached: case ${id} (priority ${c.priority}, team ${c.team}) was to be resolved by ${due}`;
      rows.push({
        case_id: id,
        dedup_key: `sla:${id}:${kind}:${due}`,
        title,
        details: { [kind === 'resolution' ? 'resolveDueAt' : 'dueAt']: due, priority: c.priority, team: c.team },
      });
    }
  };
  add(resolution, 'resolution');
  add(breached, 'breach');
  add(near, 'near');
  if (!rows.length) return 0;
  const raised = await database.rows<{ title: string }>(sql`
    insert into alerts (kind, audience, case_id, dedup_key, title, details)
    select 'sla', 'community_manager', case_id, dedup_key, title, details from ${recordset(rows, 'case_id bigint, dedup_key text, title text, details jsonb')}
    on conflict (dedup_key) do nothing
    returning title`);
  for (const r of raised) onRaised?.(r.title);
  return raised.length;
}
