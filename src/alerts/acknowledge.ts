import { eq } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { alerts } from '../../db/schema/index.ts';
import { audit } from '../audit.ts';
import { type Actor, authorize } from '../auth/permissions.ts';
import type { AuthUser } from '../auth/users.ts';
import { AppError, notFound } from '../errors.ts';

/** The audiences a user's alert list shows: their own, or every one for admins. */
export const audiencesOf = (user: Pick<AuthUser, 'role'>): Array<'marketing' | 'community_manager'> =>
  user.role === 'admin' ? ['marketing', 'community_manager'] : user.role === 'marketing' || user.role === 'community_manager' ? [user.role] : [];

/** Acknowledges an alert of the user's audience (which also stops its escalation), audited. */
export async function acknowledgeAlert(database: Database, user: Actor, id: number): Promise<void> {
  authorize(user, 'alerts.read');
  const [a] = await database.db.select().from(alerts).where(eq(alerts.id, id));
  if (!a) throw notFound(`alert ${id}`);
  if (!audiencesOf(user).includes(a.audience)) throw new AppError('FORBIDDEN', 'this alert is for another audience');
  await database.db.update(alerts).set({ status: 'acknowledged', updatedAt: new Date() }).where(eq(alerts.id, id));
  await audit(database.db, { actorUserId: user.id, action: 'alert.ack', subjectType: 'alert', subjectId: id });
}
