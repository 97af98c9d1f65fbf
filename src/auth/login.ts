import { sql } from 'drizzle-orm';
import { textSet } from '../../db/bulk.ts';
import type { Database } from '../../db/client.ts';
import { audit } from '../audit.ts';
import { AppError } from '../errors.ts';
import { type AuthUser, verifyLogin } from './users.ts';

/** Failures allowed before each further attempt waits: per account, and per client address (shared by an office's NAT). */
const FREE = { email: 5, ip: 20 };
/** The longest wait between attempts, and how long a failure counts. */
const MAX_WAIT_MS = 15 * 60_000;
const FORGET_AFTER_MS = 24 * 3_600_000;

/** How long after the last failure the next attempt may come: none for the free ones, then 1 s, 2 s, 4 s …, at most 15 minutes. */
export function waitAfter(failures: number, free: number): number {
  return failures <= free ? 0 : Math.min(MAX_WAIT_MS, 1_000 * 2 ** (failures - free - 1));
}

/**
 * The one way to log in, for the inbox and the API alike: e-mail and password under back-off,
 * counted in the database (every instance sees the same counts) per e-mail and per client
 * address, so nobody is locked out for good by someone who knows their address, and one address
 * cannot guess at many accounts. A success clears the account's count, not the address's (a valid
 * account of their own must not reset an attacker's). Every attempt is audited.
 */
export async function logIn(
  database: Database,
  attempt: { email: string; password: string; client?: string; via: 'api' | 'session' | 'web' },
  now = new Date(),
): Promise<AuthUser> {
  const email = attempt.email.trim().toLowerCase();
  const keys = [`email:${email}`, ...(attempt.client ? [`ip:${attempt.client}`] : [])];
  const rows = await database.rows<{ key: string; failures: number; last_at: Date | string }>(
    sql`select key, failures, last_at from login_failures where key in ${textSet(keys)}`,
  );
  const waitMs = Math.max(
    0,
    ...rows.map((r) => {
      const since = now.getTime() - new Date(r.last_at).getTime();
      if (since > FORGET_AFTER_MS) return 0;
      return waitAfter(r.failures, r.key.startsWith('ip:') ? FREE.ip : FREE.email) - since;
    }),
  );
  if (waitMs > 0) {
    const seconds = Math.ceil(waitMs / 1000);
    throw new AppError('TOO_MANY_REQUESTS', `too many failed logins; try again in ${seconds} s`, { retryAfterSeconds: seconds });
  }
  const user = email ? await verifyLogin(database, email, attempt.password) : undefined;
  if (!user) {
    await database.db.execute(sql`
      insert into login_failures (key, failures, last_at) select value, 1, ${now} from json_array_elements_text(${JSON.stringify(keys)}::json)
      on conflict (key) do update set failures = case when login_failures.last_at < ${new Date(now.getTime() - FORGET_AFTER_MS)} then 1 else login_failures.failures + 1 end, last_at = excluded.last_at`);
    await audit(database.db, {
      actorUserId: null,
      action: 'login.failed',
      subjectType: 'user',
      details: { email, via: attempt.via, ...(attempt.client ? { client: attempt.client } : {}) },
    });
    throw new AppError('UNAUTHORIZED', 'wrong e-mail or password');
  }
  await database.db.execute(sql`delete from login_failures where key = ${keys[0]!}`);
  await audit(database.db, { actorUserId: user.id, action: 'login', subjectType: 'user', subjectId: user.id, details: { via: attempt.via } });
  return user;
}

/** Each address's failed logins and, while they must wait, until when: what the People page shows admins. */
export async function loginLocks(
  database: Database,
  emails: readonly string[],
  now = new Date(),
): Promise<Map<string, { failures: number; waitUntil: Date | null }>> {
  const out = new Map<string, { failures: number; waitUntil: Date | null }>();
  if (!emails.length) return out;
  const rows = await database.rows<{ key: string; failures: number; last_at: Date | string }>(
    sql`select key, failures, last_at from login_failures where key in ${textSet(emails.map((e) => `email:${e.toLowerCase()}`))}`,
  );
  for (const r of rows) {
    const last = new Date(r.last_at).getTime();
    if (now.getTime() - last > FORGET_AFTER_MS) continue;
    const until = last + waitAfter(r.failures, FREE.email);
    out.set(r.key.slice('email:'.length), { failures: r.failures, waitUntil: until > now.getTime() ? new Date(until) : null });
  }
  return out;
}
