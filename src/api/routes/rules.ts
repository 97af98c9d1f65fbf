import { createRoute, z } from '@hono/zod-openapi';
import { formatPackError, loadPackText } from '../../../rules/index.ts';
import { parseSince } from '../../backtest/backtest.ts';
import { cancelBacktest, getBacktest, startBacktest } from '../../backtest/jobs.ts';
import type { Deps } from '../../deps.ts';
import { AppError, notFound } from '../../errors.ts';
import { currentUser, requirePermission } from '../auth.ts';
import { router } from '../router.ts';
import { body, DateTime, errorResponses, IdParam, json } from '../schemas.ts';
import { jsonify } from '../serialize.ts';

const RulesStatus = z
  .object({
    version: z.number(),
    loadedAt: DateTime,
    packs: z.array(z.object({ name: z.string(), file: z.string(), rules: z.number() })),
    errors: z.array(z.string()).openapi({ description: 'Errors of the last rejected edit; the packs above keep running' }),
  })
  .openapi('RulesStatus');

const BacktestRequest = z
  .object({
    pack: z
      .string({ error: 'expected the candidate pack as YAML or JSON text' })
      .min(1, { error: 'expected the candidate pack as YAML or JSON text' })
      .max(200_000, { error: 'at most 200,000 characters' }),
    format: z.enum(['yaml', 'json'], { error: 'expected yaml or json' }).default('yaml'),
    since: z.string().default('7d').openapi({ example: '7d', description: '7d, 24h, 90m or an ISO date' }),
  })
  .openapi('BacktestRequest');

const BacktestStatus = z
  .object({
    id: z.number(),
    status: z.enum(['running', 'done', 'failed']),
    packName: z.string(),
    since: DateTime,
    processed: z.number(),
    total: z.number(),
    result: z.record(z.string(), z.unknown()).nullable(),
    error: z.string().nullable(),
    createdAt: DateTime,
    finishedAt: DateTime.nullable(),
  })
  .openapi('BacktestStatus');

const status = createRoute({
  method: 'get',
  path: '/api/rules',
  tags: ['rules'],
  summary: 'The rule packs in force and the errors of a rejected edit',
  security: [{ Bearer: [] }],
  middleware: [requirePermission('cases.read')] as const,
  responses: { 200: json(RulesStatus, 'Packs'), ...errorResponses(401, 403) },
});

const start = createRoute({
  method: 'post',
  path: '/api/rules/backtest',
  tags: ['rules'],
  summary: 'Backtest a candidate pack on stored posts (read-only); poll the returned id for progress',
  security: [{ Bearer: [] }],
  middleware: [requirePermission('rules.backtest')] as const,
  request: { body: body(BacktestRequest) },
  responses: { 202: json(BacktestStatus, 'Started'), ...errorResponses(400, 401, 403) },
});

const get = createRoute({
  method: 'get',
  path: '/api/rules/backtest/{id}',
  tags: ['rules'],
  summary: 'Progress and result of a backtest',
  security: [{ Bearer: [] }],
  middleware: [requirePermission('rules.backtest')] as const,
  request: { params: IdParam },
  responses: { 200: json(BacktestStatus, 'The backtest'), ...errorResponses(400, 401, 403, 404) },
});

const cancel = createRoute({
  method: 'post',
  path: '/api/rules/backtest/{id}/cancel',
  tags: ['rules'],
  summary: 'Cancel a running backtest (any instance running it stops after the page in hand)',
  security: [{ Bearer: [] }],
  middleware: [requirePermission('rules.backtest')] as const,
  request: { params: IdParam },
  responses: { 200: json(BacktestStatus, 'The backtest, failed: cancelled'), ...errorResponses(400, 401, 403, 404, 409) },
});

async function backtestRow(deps: Deps, wanted: number) {
  const row = await getBacktest(deps.database, wanted);
  if (!row) throw notFound(`backtest ${wanted}`);
  const { id, status, packName, since, processed, total, result, error, createdAt, finishedAt } = row;
  return jsonify({ id, status, packName, since, processed, total, result: (result ?? null) as Record<string, unknown> | null, error, createdAt, finishedAt });
}

export function ruleRoutes(deps: Deps) {
  return router()
    .openapi(status, (c) => c.json(jsonify(deps.rulebook.status()), 200))
    .openapi(start, async (c) => {
      const req = c.req.valid('json');
      let since: Date;
      try {
        since = parseSince(req.since);
      } catch (e) {
        throw new AppError('BAD_REQUEST', (e as Error).message);
      }
      const loaded = loadPackText(req.pack, `candidate.${req.format}`);
      if (!loaded.pack) {
        const issues = loaded.errors.map((e) => ({ path: ['pack', e.rule ? `rule "${e.rule}"` : '', e.path].filter(Boolean).join(': '), message: e.message }));
        throw new AppError('BAD_REQUEST', `pack: ${loaded.errors.map(formatPackError).join('; ')}`, undefined, issues);
      }
      const id = await startBacktest(deps.database, deps.log, {
        live: deps.rulebook.current(),
        candidate: loaded.pack,
        packText: req.pack,
        since,
        actor: currentUser(c),
      });
      return c.json(await backtestRow(deps, id), 202);
    })
    .openapi(get, async (c) => c.json(await backtestRow(deps, c.req.valid('param').id), 200))
    .openapi(cancel, async (c) => {
      await cancelBacktest(deps.database, currentUser(c), c.req.valid('param').id);
      return c.json(await backtestRow(deps, c.req.valid('param').id), 200);
    });
}
