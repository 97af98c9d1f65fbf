import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { sessions, users } from '../../db/schema/index.ts';
import type { AuthUser } from './users.ts';

export const SESSION_COOKIE = 'odziv_session';
export const SESSION_HOURS = 12;
const hash = (token: string) => createHash('sha256').update(token).digest('hex');

/** A new browser session; only the token's hash is stored. */
export async function createSession(database: Database, userId: number): Promise<{ token: string; csrfToken: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const expiresAt = new Date(Date.now() + SESSION_HOURS * 3_600_000);
  await database.db.insert(sessions).values({ userId, tokenHash: hash(token), csrfToken, expiresAt });
  return { token, csrfToken, expiresAt };
}

export async function sessionUser(
  database: Database,
  token: string,
): Promise<{ user: AuthUser; csrfToken: string; prefs: { locale: 'en' | 'hr' | 'sr'; timeZone: string } } | undefined> {
  if (token.length > 100) return undefined;
  const [row] = await database.db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
      csrfToken: sessions.csrfToken,
      locale: users.locale,
      timeZone: users.timeZone,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, hash(token)), gt(sessions.expiresAt, sql`now()`), eq(users.disabled, false)));
  if (!row) return undefined;
  const { csrfToken, locale, timeZone, ...user } = row;
  return { user, csrfToken, prefs: { locale, timeZone } };
}

export async function endSession(database: Database, token: string): Promise<void> {
  await database.db.delete(sessions).where(eq(sessions.tokenHash, hash(token)));
}
