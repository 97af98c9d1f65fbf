import { createRoute, z } from '@hono/zod-openapi';
import { and, desc, eq, isNull, lt, type SQL } from 'drizzle-orm';
import { apiTokens, auditLog, users } from '../../../db/schema/index.ts';
import { audit } from '../../audit.ts';
import { createToken } from '../../auth/users.ts';
import type { Deps } from '../../deps.ts';
import { AppError, notFound } from '../../errors.ts';
import { currentUser, requirePermission } from '../auth.ts';
import { router } from '../router.ts';
import { body, DateTime, errorResponses, IdParam, json } from '../schemas.ts';
import { jsonify } from '../serialize.ts';

const AuditEntry = z
  .object({
    id: z.number(),
    at: DateTime,
    actorUserId: z.number().nullable(),
    actor: z.string().nullable(),
    action: z.string(),
    subjectType: z.string(),
    subjectId: z.string().nullable(),
    details: z.record(z.string(), z.unknown()),
  })
  .openapi('AuditEntry');

const auditList = createRoute({
  method: 'get',
  path: '/api/audit',
  tags: ['admin'],
  summary: 'Who did what, newest first (admins); page with `before`',
  security: [{ Bearer: [] }],
  middleware: [requirePermission('people.manage')] as const,
  request: {
    query: z.object({
      subjectType: z.string().max(40).optional(),
      subjectId: z.string().max(40).optional(),
      action: z.string().max(60).optional(),
      before: z.coerce.number({ error: 'expected an audit entry id' }).int().positive().optional(),
      limit: z.coerce
        .number({ error: 'expected a number from 1 to 500' })
        .int()
        .min(1, { error: 'expected a number from 1 to 500' })
        .max(500, { error: 'expected a number from 1 to 500' })
        .default(100),
    }),
  },
  responses: { 200: json(z.object({ entries: z.array(AuditEntry) }), 'Entries'), ...errorResponses(400, 401, 403) },
});

const Token = z
  .object({ id: z.number(), name: z.string(), prefix: z.string(), createdAt: DateTime, lastUsedAt: DateTime.nullable(), revokedAt: DateTime.nullable() })
  .openapi('Token');

const tokenList = createRoute({
  method: 'get',
  path: '/api/tokens',
  tags: ['auth'],
  summary: 'My API tokens (never the secret part)',
  security: [{ Bearer: [] }],
  middleware: [requirePermission('self.use')] as const,
  responses: { 200: json(z.object({ tokens: z.array(Token) }), 'Tokens'), ...errorResponses(401) },
});

const tokenCreate = createRoute({
  method: 'post',
  path: '/api/tokens',
  tags: ['auth'],
  summary: 'Create an API token for automation (shown once)',
  security: [{ Bearer: [] }],
  middleware: [requirePermission('self.use')] as const,
  request: { body: body(z.object({ name: z.string({ error: 'expected a name' }).trim().min(1, { error: 'expected a name' }).max(100) })) },
  responses: { 201: json(z.object({ id: z.number(), token: z.string() }), 'The token, shown once'), ...errorResponses(400, 401) },
});

const tokenRevoke = createRoute({
  method: 'delete',
  path: '/api/tokens/{id}',
  tags: ['auth'],
  summary: 'Revoke a token (your own; admins any)',
  security: [{ Bearer: [] }],
  middleware: [requirePermission('self.use')] as const,
  request: { params: IdParam },
  responses: { 204: { description: 'Revoked' }, ...errorResponses(400, 401, 403, 404) },
});

export function adminRoutes(deps: Deps) {
  return router()
    .openapi(auditList, async (c) => {
      const q = c.req.valid('query');
      const where: SQL[] = [];
      if (q.subjectType) where.push(eq(auditLog.subjectType, q.subjectType));
      if (q.subjectId) where.push(eq(auditLog.subjectId, q.subjectId));
      if (q.action) where.push(eq(auditLog.action, q.action));
      if (q.before) where.push(lt(auditLog.id, q.before));
      const rows = await deps.database.db
        .select({
          id: auditLog.id,
          at: auditLog.at,
          actorUserId: auditLog.actorUserId,
          actor: users.name,
          action: auditLog.action,
          subjectType: auditLog.subjectType,
          subjectId: auditLog.subjectId,
          details: auditLog.details,
        })
        .from(auditLog)
        .leftJoin(users, eq(users.id, auditLog.actorUserId))
        .where(where.length ? and(...where) : undefined)
        .orderBy(desc(auditLog.id))
        .limit(q.limit);
      return c.json({ entries: jsonify(rows) }, 200);
    })
    .openapi(tokenList, async (c) => {
      const rows = await deps.database.db
        .select({
          id: apiTokens.id,
          name: apiTokens.name,
          prefix: apiTokens.prefix,
          createdAt: apiTokens.createdAt,
          lastUsedAt: apiTokens.lastUsedAt,
          revokedAt: apiTokens.revokedAt,
        })
        .from(apiTokens)
        .where(eq(apiTokens.userId, currentUser(c).id))
        .orderBy(desc(apiTokens.id));
      return c.json({ tokens: jsonify(rows) }, 200);
    })
    .openapi(tokenCreate, async (c) => c.json(await createToken(deps.database, currentUser(c).id, c.req.valid('json').name), 201))
    .openapi(tokenRevoke, async (c) => {
      const user = currentUser(c);
      const id = c.req.valid('param').id;
      const [t] = await deps.database.db.select({ userId: apiTokens.userId }).from(apiTokens).where(eq(apiTokens.id, id));
      if (!t) throw notFound(`token ${id}`);
      if (t.userId !== user.id && user.role !== 'admin') throw new AppError('FORBIDDEN', 'you can revoke only your own tokens');
      await deps.database.db
        .update(apiTokens)
        .set({ revokedAt: new Date() })
        .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)));
      await audit(deps.database.db, { actorUserId: user.id, action: 'token.revoke', subjectType: 'token', subjectId: id });
      return c.body(null, 204);
    });
}
