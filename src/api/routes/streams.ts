import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../deps.ts';
import { streamHealth } from '../../ingest/stream-health.ts';
import { requirePermission } from '../auth.ts';
import { router } from '../router.ts';
import { DateTime, errorResponses, json } from '../schemas.ts';
import { jsonify } from '../serialize.ts';

const StreamHealth = z
  .object({
    id: z.number(),
    platform: z.string(),
    name: z.string(),
    enabled: z.boolean(),
    status: z.enum(['ok', 'failing', 'waiting', 'disabled']),
    lastPollAt: DateTime.nullable(),
    lastSuccessAt: DateTime.nullable(),
    lagSec: z.number().nullable().openapi({ description: 'Seconds since the last successful poll' }),
    lastError: z.string().nullable(),
    failingSince: DateTime.nullable(),
    consecutiveFailures: z.number(),
    posts: z.number().openapi({ description: 'Posts stored from this stream' }),
    nextPollAt: DateTime.nullable(),
    rateLimit: z.object({ remaining: z.number().optional(), resetAt: z.string().optional() }).nullable(),
    gaps: z
      .array(z.object({ from: z.string(), to: z.string(), reason: z.string(), recordedAt: z.string() }))
      .openapi({ description: 'Spans the platform could no longer serve when odziv read it: posts there were missed (the last 20)' }),
  })
  .openapi('StreamHealth');

const route = createRoute({
  method: 'get',
  path: '/api/streams',
  tags: ['streams'],
  summary: 'Every watched stream and its health',
  security: [{ Bearer: [] }],
  middleware: [requirePermission('cases.read')] as const,
  responses: { 200: json(z.object({ streams: z.array(StreamHealth) }), 'Streams'), ...errorResponses(401, 403) },
});

export function streamRoutes(deps: Deps) {
  return router().openapi(route, async (c) => {
    const out = await streamHealth(deps.database);
    return c.json({ streams: jsonify(out) }, 200);
  });
}
