import { createRoute, z } from '@hono/zod-openapi';
import { ROLES } from '../../../db/schema/index.ts';
import { randomPassword } from '../../auth/passwords.ts';
import { getPerson, listPeople, NewPersonInput, PersonChangeInput, resetPassword, updatePerson } from '../../auth/people.ts';
import { createUser } from '../../auth/users.ts';
import type { Deps } from '../../deps.ts';
import { currentUser, requirePermission } from '../auth.ts';
import { router } from '../router.ts';
import { body, DateTime, errorResponses, IdParam, json } from '../schemas.ts';
import { jsonify } from '../serialize.ts';

const Person = z
  .object({ id: z.number(), email: z.string(), name: z.string(), role: z.enum(ROLES), teams: z.array(z.string()), disabled: z.boolean(), createdAt: DateTime })
  .openapi('Person');

const NewPerson = NewPersonInput.openapi('NewPerson');
const PersonChange = PersonChangeInput.openapi('PersonChange');

const list = createRoute({
  method: 'get',
  path: '/api/users',
  tags: ['admin'],
  summary: 'The people who work in odziv (admins and community managers, who assign and escalate)',
  security: [{ Bearer: [] }],
  middleware: [requirePermission('cases.manage')] as const,
  responses: { 200: json(z.object({ users: z.array(Person) }), 'People'), ...errorResponses(401, 403) },
});

const create = createRoute({
  method: 'post',
  path: '/api/users',
  tags: ['admin'],
  summary: 'Add a person (admins); without a password, one is made and shown once',
  security: [{ Bearer: [] }],
  middleware: [requirePermission('people.manage')] as const,
  request: { body: body(NewPerson) },
  responses: { 201: json(z.object({ user: Person, password: z.string().optional() }), 'Added'), ...errorResponses(400, 401, 403, 409) },
});

const update = createRoute({
  method: 'patch',
  path: '/api/users/{id}',
  tags: ['admin'],
  summary: 'Change a person’s name, role, teams, or disable them (admins); disabling returns their cases to the queue',
  security: [{ Bearer: [] }],
  middleware: [requirePermission('people.manage')] as const,
  request: { params: IdParam, body: body(PersonChange) },
  responses: { 200: json(z.object({ user: Person }), 'Changed'), ...errorResponses(400, 401, 403, 404, 409) },
});

const reset = createRoute({
  method: 'post',
  path: '/api/users/{id}/password',
  tags: ['admin'],
  summary: 'Give a person a new random password, shown once, and end their sessions (admins)',
  security: [{ Bearer: [] }],
  middleware: [requirePermission('people.manage')] as const,
  request: { params: IdParam },
  responses: { 200: json(z.object({ password: z.string() }), 'The new password, shown once'), ...errorResponses(400, 401, 403, 404) },
});

export function userRoutes(deps: Deps) {
  return router()
    .openapi(list, async (c) => c.json({ users: jsonify(await listPeople(deps.database)) }, 200))
    .openapi(create, async (c) => {
      const input = c.req.valid('json');
      const password = input.password ?? randomPassword();
      const created = await createUser(deps.database, { ...input, password }, currentUser(c));
      return c.json({ user: jsonify(await getPerson(deps.database, created.id)), ...(input.password ? {} : { password }) }, 201);
    })
    .openapi(update, async (c) =>
      c.json({ user: jsonify(await updatePerson(deps.database, c.req.valid('param').id, c.req.valid('json'), currentUser(c))) }, 200),
    )
    .openapi(reset, async (c) => c.json({ password: await resetPassword(deps.database, c.req.valid('param').id, currentUser(c)) }, 200));
}
