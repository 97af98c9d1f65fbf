import type { Role } from '../../db/schema/index.ts';
import { AppError } from '../errors.ts';

/**
 * Who may do what: the one table the services check before they change anything, and the API
 * routes and inbox pages consult before they show or accept a form. Admins may do everything.
 * Ownership (a responder acts on the cases they hold) is checked by the service that knows the case.
 */
export const PERMISSIONS = {
  /** Read the queue, cases, dashboards, streams, rules in force and notices. */
  'cases.read': ['responder', 'community_manager', 'marketing'],
  /** Claim, take the next case, reply, resolve, snooze, escalate, retry a failed reply, act in bulk. */
  'cases.work': ['responder', 'community_manager'],
  /** Give a case to someone else, or act on a case someone else holds. */
  'cases.manage': ['community_manager'],
  /** Hide, show again or delete a customer's post on its platform (spam, abuse, what they should not have posted). */
  'cases.moderate': ['community_manager'],
  /** Internal notes: marketing may add context too. */
  'cases.note': ['responder', 'community_manager', 'marketing'],
  /** Publish a known issue or a promotion. */
  'notices.publish': ['community_manager', 'marketing'],
  /** See and acknowledge alerts (each person their audience's). */
  'alerts.read': ['community_manager', 'marketing'],
  /** Backtest a candidate pack on stored posts. */
  'rules.backtest': ['community_manager'],
  /** Feed the demo replay stream. */
  'replay.run': ['responder', 'community_manager'],
  /** Add people, change roles and teams, disable leavers, reset passwords, read the audit log. */
  'people.manage': [],
  /** Erase a customer's data (GDPR). */
  'customers.erase': [],
  /** Run the analyzer on a text; one's own tokens and preferences. */
  'self.use': ['responder', 'community_manager', 'marketing'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

/** The acting person as the services see them. */
export interface Actor {
  id: number;
  role: Role;
}

export const can = (actor: Pick<Actor, 'role'> | undefined, permission: Permission): boolean =>
  !!actor && (actor.role === 'admin' || (PERMISSIONS[permission] as readonly Role[]).includes(actor.role));

/** The roles that hold a permission, admins included: for messages and the API description. */
export const rolesWith = (permission: Permission): Role[] => [...(PERMISSIONS[permission] as readonly Role[]), 'admin'];

/** Throws 403 unless the actor holds the permission; no actor is a 401. */
export function authorize(actor: Pick<Actor, 'role'> | undefined, permission: Permission): void {
  if (!actor) throw new AppError('UNAUTHORIZED', 'missing credentials: log in, or send Authorization: Bearer <API token>');
  if (!can(actor, permission))
    throw new AppError('FORBIDDEN', `your role (${actor.role}) cannot do this; it needs one of the roles: ${rolesWith(permission).join(', ')}`);
}
