import { sql } from 'drizzle-orm';
import { recordset } from '../db/bulk.ts';
import type { Executor } from '../db/client.ts';
import { auditLog } from '../db/schema/index.ts';

/** Records who did what; written in the same transaction as the change it describes. */
export async function audit(
  exec: Executor,
  entry: { actorUserId: number | null; action: string; subjectType: string; subjectId?: string | number | null; details?: Record<string, unknown> },
): Promise<void> {
  await exec.insert(auditLog).values({
    actorUserId: entry.actorUserId,
    action: entry.action,
    subjectType: entry.subjectType,
    subjectId: entry.subjectId === undefined || entry.subjectId === null ? null : String(entry.subjectId),
    details: entry.details ?? {},
  });
}

/** Many audit entries in one statement (a batch's reopened cases, a job's releases). */
export async function auditMany(exec: Executor, entries: ReadonlyArray<Parameters<typeof audit>[1]>): Promise<void> {
  if (!entries.length) return;
  const rows = entries.map((e) => ({
    actor_user_id: e.actorUserId,
    action: e.action,
    subject_type: e.subjectType,
    subject_id: e.subjectId === undefined || e.subjectId === null ? null : String(e.subjectId),
    details: e.details ?? {},
  }));
  await exec.execute(sql`
    insert into audit_log (actor_user_id, action, subject_type, subject_id, details)
    select actor_user_id, action, subject_type, subject_id, details from ${recordset(rows, 'actor_user_id bigint, action text, subject_type text, subject_id text, details jsonb')}`);
}
