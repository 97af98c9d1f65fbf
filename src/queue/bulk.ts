import { z } from 'zod';
import type { Database } from '../../db/client.ts';
import { type Actor, authorize } from '../auth/permissions.ts';
import { EscalationNote, TeamName } from '../auth/teams.ts';
import { AppError } from '../errors.ts';
import { assignCase, escalateCase, resolveCase, snoozeCase } from './lifecycle.ts';

/** At most this many cases per request: a wave of one outage fits, a whole queue by mistake does not. */
export const MAX_BULK = 200;

const ids = z
  .array(
    z
      .number({ error: 'expected case ids' })
      .int({ error: 'expected case ids' })
      .positive({ error: 'expected case ids' })
      .max(Number.MAX_SAFE_INTEGER, { error: 'expected case ids' }),
    { error: 'expected a list of case ids' },
  )
  .min(1, { error: 'choose at least one case' })
  .max(MAX_BULK, { error: `at most ${MAX_BULK} cases at a time` })
  .transform((list) => [...new Set(list)]);

/** One action for many cases: what a community manager does to a wave of posts about one thing. */
export const BulkInput = z.discriminatedUnion(
  'action',
  [
    z.object({ action: z.literal('resolve'), ids }),
    z.object({ action: z.literal('false_alarm'), ids }),
    z.object({ action: z.literal('escalate'), ids, team: TeamName, note: EscalationNote }),
    z.object({ action: z.literal('assign'), ids, assigneeId: z.number({ error: 'expected a user id' }).int().positive({ error: 'expected a user id' }) }),
    z.object({ action: z.literal('snooze'), ids, until: z.iso.datetime({ error: 'expected an ISO date-time such as 2026-11-23T09:00:00Z' }).optional() }),
  ],
  { error: 'action: expected one of resolve, false_alarm, escalate, assign, snooze' },
);
export type BulkInput = z.infer<typeof BulkInput>;

export type BulkResult = { id: number; ok: true; status: string } | { id: number; ok: false; code: string; message: string };

/**
 * Applies the action to each case on its own, by the same rules as one case at a time (a responder
 * acts on what they hold; an answered case is no false alarm): one case refused does not stop the
 * rest, and each gets its own answer.
 */
export async function bulkAct(database: Database, actor: Actor, input: BulkInput): Promise<BulkResult[]> {
  authorize(actor, input.action === 'assign' ? 'cases.manage' : 'cases.work');
  const one = (id: number) => {
    switch (input.action) {
      case 'resolve':
        return resolveCase(database, id, actor);
      case 'false_alarm':
        return resolveCase(database, id, actor, { falseAlarm: true });
      case 'escalate':
        return escalateCase(database, id, actor, input.team, input.note);
      case 'assign':
        return assignCase(database, id, actor, input.assigneeId);
      case 'snooze':
        return snoozeCase(database, id, actor, input.until ? new Date(input.until) : null);
    }
  };
  const results: BulkResult[] = [];
  for (const id of input.ids) {
    try {
      const c = await one(id);
      results.push({ id, ok: true, status: c.status });
    } catch (e) {
      if (!(e instanceof AppError) || e.status >= 500) throw e;
      results.push({ id, ok: false, code: e.code, message: e.message });
    }
  }
  return results;
}
