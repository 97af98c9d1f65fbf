import { createRoute, z } from '@hono/zod-openapi';
import { acknowledgeAlert, audiencesOf } from '../../alerts/acknowledge.ts';
import { listAlerts } from '../../alerts/list.ts';
import type { Deps } from '../../deps.ts';
import { currentUser, requirePermission } from '../auth.ts';
import { router } from '../router.ts';
import { DateTime, errorResponses, IdParam, json } from '../schemas.ts';
import { jsonify } from '../serialize.ts';

const AlertSchema = z
  .object({
    id: z.number(),
    kind: z.string(),
    audience: z.string(),
    caseId: z.number().nullable(),
    title: z.string(),
    details: z.record(z.string(), z.unknown()),
    status: z.string(),
    severity: z.enum(['normal', 'urgent']),
    escalatedAt: DateTime.nullable(),
    createdAt: DateTime,
    updatedAt: DateTime,
    deliveries: z.array(z.object({ channel: z.string(), status: z.string(), attempts: z.number(), lastError: z.string().nullable() })),
  })
  .openapi('Alert');

const list = createRoute({
  method: 'get',
  path: '/api/alerts',
  tags: ['alerts'],
  summary: 'The in-app alert list for my audience (marketing or community managers; admins all), newest first',
  security: [{ Bearer: [] }],
  middleware: [requirePermission('alerts.read')] as const,
  request: { query: z.object({ status: z.enum(['open', 'acknowledged', 'closed'], { error: 'expected open, acknowledged or closed' }).optional() }) },
  responses: { 200: json(z.object({ alerts: z.array(AlertSchema) }), 'Alerts'), ...errorResponses(400, 401, 403) },
});

const ack = createRoute({
  method: 'post',
  path: '/api/alerts/{id}/ack',
  tags: ['alerts'],
  summary: 'Acknowledge an alert',
  security: [{ Bearer: [] }],
  middleware: [requirePermission('alerts.read')] as const,
  request: { params: IdParam },
  responses: { 200: json(z.object({ id: z.number(), status: z.string() }), 'Acknowledged'), ...errorResponses(400, 401, 403, 404) },
});

export function alertRoutes(deps: Deps) {
  return router()
    .openapi(list, async (c) => {
      const user = currentUser(c);
      const audiences = audiencesOf(user);
      const q = c.req.valid('query');
      const listed = await listAlerts(deps.database, audiences, { status: q.status, limit: 200 });
      const out = listed.map(({ alert, deliveries }) => ({
        ...alert,
        deliveries: deliveries.map((d) => ({ channel: d.channel, status: d.status, attempts: d.attempts, lastError: d.lastError })),
      }));
      return c.json({ alerts: jsonify(out) }, 200);
    })
    .openapi(ack, async (c) => {
      const id = c.req.valid('param').id;
      await acknowledgeAlert(deps.database, currentUser(c), id);
      return c.json({ id, status: 'acknowledged' }, 200);
    });
}
