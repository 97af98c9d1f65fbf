import { createHash, randomBytes } from 'node:crypto';
import { and, count, eq, isNull, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { apiTokens, type Role, type User, users } from '../../db/schema/index.ts';
import { audit } from '../audit.ts';
import { isTimeZone } from '../calendar/zone.ts';
import { AppError } from '../errors.ts';
import { hashPassword, randomPassword, verifyPassword } from './passwords.ts';
import { type Actor, authorize } from './permissions.ts';

export type AuthUser = Pick<User, 'id' | 'email' | 'name' | 'role'>;

const TOKEN_PREFIX = 'odz_';
const TOKEN_USE_EVERY_MS = 5 * 60_000;
const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Adds a person: an admin through the API or the People page, or the operator at the machine (CLI, first start). */
export async function createUser(
  database: Database,
  u: { email: string; name: string; role: Role; teams?: string[]; password?: string },
  actor: Actor | 'operator',
): Promise<AuthUser> {
  if (actor !== 'operator') authorize(actor, 'people.manage');
  const actorUserId = actor === 'operator' ? null : actor.id;
  const passwordHash = u.password ? await hashPassword(u.password) : null;
  return database.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(users)
      .values({ email: u.email.toLowerCase(), name: u.name, role: u.role, passwordHash, ...(u.teams ? { teams: u.teams } : {}) })
      .onConflictDoNothing()
      .returning({ id: users.id, email: users.email, name: users.name, role: users.role });
    if (!row) throw new AppError('CONFLICT', `a user with e-mail ${u.email} already exists`);
    await audit(tx, { actorUserId, action: 'user.create', subjectType: 'user', subjectId: row.id, details: { email: row.email, role: row.role } });
    return row;
  });
}

/**
 * Issues an API token. Only its SHA-256 is stored (tokens are 256 random bits, so a slow hash
 * adds nothing); the token itself is returned once.
 */
export async function createToken(database: Database, userId: number, name: string): Promise<{ id: number; token: string }> {
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const [row] = await database.db
    .insert(apiTokens)
    .values({ userId, name, tokenHash: hashToken(token), prefix: token.slice(0, 10) })
    .returning({ id: apiTokens.id });
  await audit(database.db, { actorUserId: userId, action: 'token.create', subjectType: 'token', subjectId: row!.id, details: { name } });
  return { id: row!.id, token };
}

/** The user behind a bearer token, or undefined (unknown, revoked, or user disabled). */
export async function userForToken(database: Database, token: string): Promise<AuthUser | undefined> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 100) return undefined;
  const [row] = await database.db
    .select({ id: users.id, email: users.email, name: users.name, role: users.role, tokenId: apiTokens.id, lastUsedAt: apiTokens.lastUsedAt })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(and(eq(apiTokens.tokenHash, hashToken(token)), isNull(apiTokens.revokedAt), eq(users.disabled, false)));
  if (!row) return undefined;
  const { tokenId, lastUsedAt, ...user } = row;
  // A token's last use helps people spot stale ones: to the nearest few minutes is enough, so a
  // read writes at most once in TOKEN_USE_EVERY_MS (an automation's every request wrote before).
  // Best effort: never fail the request for it.
  if (!lastUsedAt || Date.now() - lastUsedAt.getTime() > TOKEN_USE_EVERY_MS) {
    void database.db
      .update(apiTokens)
      .set({ lastUsedAt: sql`now()` })
      .where(eq(apiTokens.id, tokenId))
      .catch(() => {});
  }
  return user;
}

/** Checks e-mail and password; the same answer for an unknown e-mail and a wrong password. */
export async function verifyLogin(database: Database, email: string, password: string): Promise<AuthUser | undefined> {
  const [row] = await database.db
    .select()
    .from(users)
    .where(and(eq(users.email, email.toLowerCase()), eq(users.disabled, false)));
  // Hash even for unknown users so timing does not reveal which e-mails exist.
  const ok = await verifyPassword(password, row?.passwordHash ?? 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
  if (!row?.passwordHash || !ok) return undefined;
  return { id: row.id, email: row.email, name: row.name, role: row.role };
}

/**
 * On the first start (no users at all) creates an admin, with ODZIV_ADMIN_PASSWORD or a random
 * password that the caller prints once. Never a fixed default password.
 */
export async function bootstrapAdmin(database: Database, email: string, password?: string): Promise<{ email: string; generatedPassword?: string } | undefined> {
  const [{ n }] = (await database.db.select({ n: count() }).from(users)) as [{ n: number }];
  if (Number(n) > 0) return undefined;
  const generated = password ? undefined : randomPassword();
  try {
    await createUser(database, { email, name: 'Admin', role: 'admin', password: password ?? generated }, 'operator');
  } catch (e) {
    // Another instance bootstrapped at the same moment.
    if (e instanceof AppError && e.code === 'CONFLICT') return undefined;
    throw e;
  }
  return { email, generatedPassword: generated };
}

/** A person's own language and time zone for the inbox (an unknown time zone keeps the one they had). */
export async function setPreferences(database: Database, userId: number, prefs: { locale: User['locale']; timeZone: string }): Promise<void> {
  const set = isTimeZone(prefs.timeZone) ? { locale: prefs.locale, timeZone: prefs.timeZone } : { locale: prefs.locale };
  await database.db.update(users).set(set).where(eq(users.id, userId));
}
