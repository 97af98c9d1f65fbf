import { createRoute, z } from '@hono/zod-openapi';
import { and, desc, isNull, or, sql } from 'drizzle-orm';
import { notices } from '../../../db/schema/index.ts';
import { CATEGORIES } from '../../../rules/index.ts';
import { audit } from '../../audit.ts';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { currentUser, requireRole } from '../auth.ts';
import { router } from '../router.ts';
import { jsonify } from '../serialize.ts';
import { body, DateTime, errorResponses, json } from '../schemas.ts';

const Notice = z
  .object({ id: z.number(), kind: z.enum(['known_issue', 'promotion']), title: z.string(), body: z.string(), keywords: z.array(z.string()), categories: z.array(z.string()), startsAt: DateTime, endsAt: DateTime.nullable(), createdAt: DateTime, createdBy: z.number().nullable() })
  .openapi('Notice');

const NewNotice = z
  .object({
    kind: z.enum(['known_issue', 'promotion'], { error: 'expected known_issue or promotion' }),
    title: z.string({ error: 'expected a title' }).trim().min(1, { error: 'expected a title' }).max(200),
    body: z.string().max(2000).default(''),
    keywords: z.array(z.string().trim().min(1).max(80)).max(50).default([]),
    categories: z.array(z.enum(CATEGORIES, { error: `expected one of ${CATEGORIES.join(', ')}` })).max(11).default([]),
    startsAt: z.iso.datetime({ error: 'expected an ISO date-time' }).optional(),
    endsAt: z.iso.datetime({ error: 'expected an ISO date-time' }).optional(),
  })
  .openapi('NewNotice');

const list = createRoute({
  method: 'get',
  path: '/api/notices',
  tags: ['notices'],
  summary: 'Known issues and promotions in force (what marketing is promising)',
  security: [{ Bearer: [] }],
  middleware: [requireRole('responder', 'community_manager', 'marketing')] as const,
  responses: { 200: json(z.object({ notices: z.array(Notice) }), 'Active notices'), ...errorResponses(401, 403) },
});

const create = createRoute({
  method: 'post',
  path: '/api/notices',
  tags: ['notices'],
  summary: 'Publish a known issue or a promotion; it shows on every related case while active',
  security: [{ Bearer: [] }],
  middleware: [requireRole('community_manager', 'marketing')] as const,
  request: { body: body(NewNotice) },
  responses: { 201: json(Notice, 'Published'), ...errorResponses(400, 401, 403) },
});

export function noticeRoutes(deps: Deps) {
  return router()
    .openapi(list, async (c) => {
      const rows = await deps.database.db.select().from(notices).where(and(sql`${notices.startsAt} <= now()`, or(isNull(notices.endsAt), sql`${notices.endsAt} > now()`))).orderBy(desc(notices.id));
      return c.json({ notices: jsonify(rows) }, 200);
    })
    .openapi(create, async (c) => {
      const n = c.req.valid('json');
      if (n.startsAt && n.endsAt && Date.parse(n.endsAt) <= Date.parse(n.startsAt)) throw new AppError('BAD_REQUEST', 'endsAt: must be after startsAt');
      if (!n.keywords.length && !n.categories.length) throw new AppError('BAD_REQUEST', 'keywords: give keywords or categories, so odziv knows which cases it relates to');
      const user = currentUser(c);
      const [row] = await deps.database.db
        .insert(notices)
        .values({ kind: n.kind, title: n.title, body: n.body, keywords: n.keywords, categories: n.categories, startsAt: n.startsAt ? new Date(n.startsAt) : undefined, endsAt: n.endsAt ? new Date(n.endsAt) : null, createdBy: user.id })
        .returning();
      await audit(deps.database.db, { actorUserId: user.id, action: 'notice.create', subjectType: 'notice', subjectId: row!.id, details: { kind: n.kind, title: n.title } });
      return c.json(jsonify(row!), 201);
    });
}
