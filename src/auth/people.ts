import { and, asc, count, eq, isNull, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database, Executor } from '../../db/client.ts';
import { apiTokens, cases, ROLES, type Role, sessions, users } from '../../db/schema/index.ts';
import { audit } from '../audit.ts';
import { AppError, notFound } from '../errors.ts';
import { hashPassword, randomPassword } from './passwords.ts';
import { type Actor, authorize } from './permissions.ts';
import { TeamName } from './teams.ts';

/**
 * Admins manage the people who work the queue while odziv runs: the embedded database lets no
 * second process in (db/data-dir-lock.ts), so the CLI is for the first steps and for scripts.
 */
export interface Person {
  id: number;
  email: string;
  name: string;
  role: Role;
  teams: string[];
  disabled: boolean;
  createdAt: Date;
}

const roleField = z.enum(ROLES, { error: `expected one of ${ROLES.join(', ')}` });
const nameField = z.string({ error: 'expected a name' }).trim().min(1, { error: 'expected a name' }).max(100, { error: 'at most 100 characters' });
/** The teams whose queue a person works. */
const teamsField = z
  .array(TeamName, { error: 'expected a list of team names' })
  .min(1, { error: 'at least one team' })
  .max(20, { error: 'at most 20 teams' })
  .transform((t) => [...new Set(t)]);

/** A person to add, as the API and the People page take it. */
export const NewPersonInput = z.object({
  email: z.string({ error: 'expected an e-mail address' }).trim().email({ error: 'expected an e-mail address' }).max(200, { error: 'at most 200 characters' }),
  name: nameField,
  role: roleField,
  teams: teamsField.optional(),
  password: z.string({ error: 'expected a password' }).min(12, { error: 'at least 12 characters' }).max(200, { error: 'at most 200 characters' }).optional(),
});

export const PersonChangeInput = z
  .object({
    name: nameField.optional(),
    role: roleField.optional(),
    teams: teamsField.optional(),
    disabled: z.boolean({ error: 'expected true or false' }).optional(),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, { error: 'nothing to change: send name, role, teams or disabled' });

const PERSON = {
  id: users.id,
  email: users.email,
  name: users.name,
  role: users.role,
  teams: users.teams,
  disabled: users.disabled,
  createdAt: users.createdAt,
};

export async function listPeople(database: Database): Promise<Person[]> {
  return database.db.select(PERSON).from(users).orderBy(asc(users.disabled), asc(users.name), asc(users.id));
}

export async function getPerson(database: Database, id: number): Promise<Person> {
  const [row] = await database.db.select(PERSON).from(users).where(eq(users.id, id));
  if (!row) throw notFound(`user ${id}`);
  return row;
}

export type PersonChange = z.infer<typeof PersonChangeInput>;

/** Ends every session and revokes every API token of a person: a stolen password minted neither for good. */
async function endAccess(tx: Executor, userId: number): Promise<void> {
  await tx.delete(sessions).where(eq(sessions.userId, userId));
  await tx
    .update(apiTokens)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)));
}

/** Nobody may lock everyone out: the last active admin can be neither demoted nor disabled. */
async function assertAnotherAdmin(tx: Executor, id: number): Promise<void> {
  const [row] = await tx
    .select({ n: count() })
    .from(users)
    .where(and(eq(users.role, 'admin'), eq(users.disabled, false), ne(users.id, id)));
  if (Number(row?.n ?? 0) === 0) throw new AppError('CONFLICT', 'this is the last active admin: make someone else an admin first');
}

/**
 * Changes a person. Disabling ends their sessions and puts the cases they held back in the queue,
 * so a customer is not left waiting on someone who has left.
 */
export async function updatePerson(database: Database, id: number, change: PersonChange, actor: Actor): Promise<Person> {
  authorize(actor, 'people.manage');
  return database.db.transaction(async (tx) => {
    // Locked, so two admins demoting each other at once cannot both pass the last-admin check.
    const [before] = await tx.select(PERSON).from(users).where(eq(users.id, id)).for('update');
    if (!before) throw notFound(`user ${id}`);
    const demoted = before.role === 'admin' && change.role !== undefined && change.role !== 'admin';
    const disabling = change.disabled === true && !before.disabled;
    if (before.role === 'admin' && !before.disabled && (demoted || disabling)) {
      await tx.select({ id: users.id }).from(users).where(eq(users.role, 'admin')).for('update');
      await assertAnotherAdmin(tx, id);
    }
    const [after] = await tx.update(users).set(change).where(eq(users.id, id)).returning(PERSON);
    let released = 0;
    // What a person could do changes: whatever they were signed in with goes, the robots' tokens too.
    const roleChanged = change.role !== undefined && change.role !== before.role;
    if (disabling || roleChanged) await endAccess(tx, id);
    if (disabling) {
      // A claimed case goes back to the queue; an escalated or replied one keeps its status and only loses the person.
      const freed = await tx
        .update(cases)
        .set({
          assigneeId: null,
          claimedAt: null,
          status: sql`case when ${cases.status} = 'claimed' then 'open' else ${cases.status} end`,
          updatedAt: new Date(),
        })
        .where(and(eq(cases.assigneeId, id), ne(cases.status, 'resolved')))
        .returning({ id: cases.id });
      for (const c of freed)
        await audit(tx, {
          actorUserId: actor.id,
          action: 'case.release',
          subjectType: 'case',
          subjectId: c.id,
          details: { reason: 'person disabled', userId: id },
        });
      released = freed.length;
    }
    const changed = Object.fromEntries(Object.entries(change).filter(([k, v]) => JSON.stringify(before[k as keyof Person]) !== JSON.stringify(v)));
    await audit(tx, {
      actorUserId: actor.id,
      action: 'user.update',
      subjectType: 'user',
      subjectId: id,
      details: { changed, ...(disabling ? { casesReleased: released } : {}) },
    });
    return after!;
  });
}

/** A new random password, shown once; the person's sessions end and their API tokens are revoked (the old password may be known). */
export async function resetPassword(database: Database, id: number, actor: Actor): Promise<string> {
  authorize(actor, 'people.manage');
  const password = randomPassword();
  const passwordHash = await hashPassword(password);
  await database.db.transaction(async (tx) => {
    const [row] = await tx.update(users).set({ passwordHash }).where(eq(users.id, id)).returning({ id: users.id, email: users.email });
    if (!row) throw notFound(`user ${id}`);
    await endAccess(tx, id);
    // The person may sign in with the new password at once, whatever someone tried before.
    await tx.execute(sql`delete from login_failures where key = 'email:' || ${row.email}`);
    await audit(tx, { actorUserId: actor.id, action: 'user.password_reset', subjectType: 'user', subjectId: id });
  });
  return password;
}
