import { createRoute, z } from '@hono/zod-openapi';
import { CATEGORIES } from '../../../rules/index.ts';
import type { Deps } from '../../deps.ts';
import { activeNotices, publishNotice } from '../../queue/notices.ts';
import { currentUser, requirePermission } from '../auth.ts';
import { router } from '../router.ts';
import { body, DateTime, errorResponses, json } from '../schemas.ts';
import { jsonify } from '../serialize.ts';

const Notice = z
  .object({
    id: z.number(),
    kind: z.enum(['known_issue', 'promotion']),
    title: z.string(),
    body: z.string(),
    keywords: z.array(z.string()),
    categories: z.array(z.string()),
    startsAt: DateTime,
    endsAt: DateTime.nullable(),
    createdAt: DateTime,
    createdBy: z.number().nullable(),
  })
  .openapi('Notice');

const NewNotice = z
  .object({
    kind: z.enum(['known_issue', 'promotion'], { error: 'expected known_issue or promotion' }),
    title: z.string({ error: 'expected a title' }).trim().min(1, { error: 'expected a title' }).max(200),
    body: z.string().max(2000).default(''),
    keywords: z.array(z.string().trim().min(1).max(80)).max(50).default([]),
    categories: z
      .array(z.enum(CATEGORIES, { error: `expected one of ${CATEGORIES.join(', ')}` }))
      .max(11)
      .default([]),
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
  middleware: [requirePermission('cases.read')] as const,
  responses: { 200: json(z.object({ notices: z.array(Notice) }), 'Active notices'), ...errorResponses(401, 403) },
});

const create = createRoute({
  method: 'post',
  path: '/api/notices',
  tags: ['notices'],
  summary: 'Publish a known issue or a promotion; it shows on every related case while active',
  security: [{ Bearer: [] }],
  middleware: [requirePermission('notices.publish')] as const,
  request: { body: body(NewNotice) },
  responses: { 201: json(Notice, 'Published'), ...errorResponses(400, 401, 403) },
});

export function noticeRoutes(deps: Deps) {
  return router()
    .openapi(list, async (c) => c.json({ notices: jsonify(await activeNotices(deps.database)) }, 200))
    .openapi(create, async (c) => c.json(jsonify(await publishNotice(deps.database, currentUser(c), c.req.valid('json'))), 201));
}
