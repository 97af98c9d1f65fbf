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
