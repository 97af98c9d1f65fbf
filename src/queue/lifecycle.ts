import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Database, Tx } from '../../db/client.ts';
import { type CaseStatus, caseNotes, cases, users, WAITING_STATUSES } from '../../db/schema/index.ts';
import { audit } from '../audit.ts';
import { type Actor, authorize, can } from '../auth/permissions.ts';
import { AppError, notFound } from '../errors.ts';

/** Statuses in which the customer is waiting for us: the SLA clock runs. */
export const WAITING = WAITING_STATUSES as CaseStatus[];

async function lockCase(tx: Tx, caseId: number) {
  const [c] = await tx.select().from(cases).where(eq(cases.id, caseId)).for('update');
  if (!c) throw notFound(`case ${caseId}`);
  return c;
}

/** Responders act on cases they hold; community managers and admins on any. */
export function mayAct(actor: Actor, c: { assigneeId: number | null }, what: string): void {
  if (can(actor, 'cases.manage') || c.assigneeId === actor.id) return;
  throw new AppError(
    'FORBIDDEN',
    c.assigneeId === null ? `claim the case before you ${what} it` : `only the person holding the case or a community manager can ${what} it`,
  );
}

export async function resolveCase(database: Database, caseId: number, actor: Actor, opts: { falseAlarm?: boolean } = {}) {
  authorize(actor, 'cases.work');
  const falseAlarm = opts.falseAlarm ?? false;
  return database.db.transaction(async (tx) => {
    const c = await lockCase(tx, caseId);
    if (c.status === 'resolved') throw new AppError('CONFLICT', `case ${caseId} is already resolved`);
    mayAct(actor, c, 'resolve');
    // A reply went out: the post did need someone, whatever is said now.
    if (falseAlarm && c.firstResponseAt) throw new AppError('CONFLICT', `case ${caseId} was answered, so it was no false alarm; resolve it without`);
    const [row] = await tx
      .update(cases)
      .set({ status: 'resolved', resolvedAt: sql`now()`, snoozedUntil: null, falseAlarm, updatedAt: sql`now()` })
      .where(eq(cases.id, caseId))
      .returning();
    await audit(tx, {
      actorUserId: actor.id,
      action: 'case.resolve',
      subjectType: 'case',
      subjectId: caseId,
      details: { from: c.status, ...(falseAlarm ? { falseAlarm } : {}) },
    });
    return row!;
  });
}

/** Snoozes until a time, or (no time) until the customer writes again. */
export async function snoozeCase(database: Database, caseId: number, actor: Actor, until: Date | null) {
  authorize(actor, 'cases.work');
  if (until && until.getTime() <= Date.now()) throw new AppError('BAD_REQUEST', 'until: must be in the future');
  return database.db.transaction(async (tx) => {
    const c = await lockCase(tx, caseId);
    if (c.status === 'resolved') throw new AppError('CONFLICT', `case ${caseId} is resolved`);
    mayAct(actor, c, 'snooze');
    const [row] = await tx.update(cases).set({ status: 'snoozed', snoozedUntil: until, updatedAt: sql`now()` }).where(eq(cases.id, caseId)).returning();
    await audit(tx, {
      actorUserId: actor.id,
      action: 'case.snooze',
      subjectType: 'case',
      subjectId: caseId,
      details: { from: c.status, until: until?.toISOString() ?? 'customer writes again' },
    });
    return row!;
  });
}

/** Hands the case to another team with a note; anyone on that team may claim it. */
export async function escalateCase(database: Database, caseId: number, actor: Actor, team: string, note: string) {
  authorize(actor, 'cases.work');
  return database.db.transaction(async (tx) => {
    const c = await lockCase(tx, caseId);
    if (c.status === 'resolved') throw new AppError('CONFLICT', `case ${caseId} is resolved`);
    mayAct(actor, c, 'escalate');
    const [row] = await tx
      .update(cases)
      .set({ status: 'escalated', team, assigneeId: null, claimedAt: null, updatedAt: sql`now()` })
      .where(eq(cases.id, caseId))
      .returning();
    await tx.insert(caseNotes).values({ caseId, userId: actor.id, text: `Escalated to ${team}: ${note}` });
    await audit(tx, {
      actorUserId: actor.id,
      action: 'case.escalate',
      subjectType: 'case',
      subjectId: caseId,
      details: { from: c.status, fromTeam: c.team, toTeam: team },
    });
    return row!;
  });
}

/** A community manager assigns (or reassigns) a case to a person. */
export async function assignCase(database: Database, caseId: number, actor: Actor, assigneeId: number) {
  authorize(actor, 'cases.manage');
  return database.db.transaction(async (tx) => {
    const c = await lockCase(tx, caseId);
    if (c.status === 'resolved') throw new AppError('CONFLICT', `case ${caseId} is resolved`);
    const [assignee] = await tx.select({ id: users.id, role: users.role, disabled: users.disabled }).from(users).where(eq(users.id, assigneeId));
    if (!assignee || assignee.disabled) throw new AppError('UNPROCESSABLE', `assigneeId: no active user ${assigneeId}`);
    if (assignee.role === 'marketing') throw new AppError('UNPROCESSABLE', 'assigneeId: marketing users do not work the queue');
    const status: CaseStatus = c.status === 'replied' || c.status === 'snoozed' ? c.status : 'claimed';
    const [row] = await tx.update(cases).set({ status, assigneeId, claimedAt: sql`now()`, updatedAt: sql`now()` }).where(eq(cases.id, caseId)).returning();
    await audit(tx, { actorUserId: actor.id, action: 'case.assign', subjectType: 'case', subjectId: caseId, details: { from: c.assigneeId, to: assigneeId } });
    return row!;
  });
}

/** Hands a responder the top waiting case of their teams, claimed atomically (SKIP LOCKED). */
export async function nextCase(database: Database, actor: Actor) {
  authorize(actor, 'cases.work');
  return database.db.transaction(async (tx) => {
    const [me] = await tx.select({ teams: users.teams }).from(users).where(eq(users.id, actor.id));
    const teams = me?.teams.length ? me.teams : ['care'];
    const [top] = await tx
      .select({ id: cases.id, status: cases.status })
      .from(cases)
      .where(and(inArray(cases.status, ['open', 'escalated']), inArray(cases.team, teams)))
      .orderBy(sql`-${cases.priority}`, asc(cases.dueAt), asc(cases.id))
      .limit(1)
      .for('update', { skipLocked: true });
    if (!top) return undefined;
    const [row] = await tx
      .update(cases)
      .set({ status: 'claimed', assigneeId: actor.id, claimedAt: sql`now()`, updatedAt: sql`now()` })
      .where(eq(cases.id, top.id))
      .returning();
    await audit(tx, { actorUserId: actor.id, action: 'case.claim', subjectType: 'case', subjectId: top.id, details: { via: 'next' } });
    return row!;
  });
}

/** The longest note a case takes, from the API and from the case page alike. */
export const MAX_NOTE_LENGTH = 5000;

export async function addNote(database: Database, caseId: number, actor: Actor, text: string) {
  authorize(actor, 'cases.note');
  return database.db.transaction(async (tx) => {
    await lockCase(tx, caseId);
    const [note] = await tx.insert(caseNotes).values({ caseId, userId: actor.id, text }).returning();
    await audit(tx, { actorUserId: actor.id, action: 'case.note', subjectType: 'case', subjectId: caseId, details: { noteId: note!.id } });
    return note!;
  });
}
