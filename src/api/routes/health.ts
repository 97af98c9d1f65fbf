import { createRoute, z } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import type { Deps } from '../../deps.ts';
import { router } from '../router.ts';
import { json } from '../schemas.ts';

const HealthSchema = z
  .object({ status: z.enum(['ok', 'degraded']), database: z.enum(['ok', 'down']), db: z.enum(['pglite', 'postgres']), uptimeSec: z.number() })
  .openapi('Health');

const health = createRoute({
  method: 'get',
  path: '/health',
  tags: ['system'],
  summary: 'Liveness and database reachability (no auth)',
  responses: { 200: json(HealthSchema, 'Up'), 503: json(HealthSchema, 'The database does not answer') },
});

export function healthRoutes(deps: Deps) {
  const started = Date.now();
  return router().openapi(health, async (c) => {
    let database: 'ok' | 'down' = 'ok';
    try {
      await deps.database.db.execute(sql`select 1`);
    } catch {
      database = 'down';
    }
    const body = {
      status: database === 'ok' ? ('ok' as const) : ('degraded' as const),
      database,
      db: deps.database.kind,
      uptimeSec: Math.round((Date.now() - started) / 1000),
    };
    return database === 'ok' ? c.json(body, 200) : c.json(body, 503);
  });
}
