import { createRoute, z } from '@hono/zod-openapi';
import { analyze } from '../../../rules/index.ts';
import type { Deps } from '../../deps.ts';
import { requirePermission } from '../auth.ts';
import { router } from '../router.ts';
import { AnalysisSchema, body, errorResponses, json } from '../schemas.ts';

const AnalyzeRequest = z
  .object({
    text: z
      .string({ error: 'expected the post text as a string' })
      .min(1, { error: 'expected non-empty text' })
      .max(10_000, { error: 'at most 10,000 characters' }),
    toBrand: z
      .boolean({ error: 'expected true or false' })
      .optional()
      .openapi({ description: 'read it as odziv reads a post from the brand’s streams: written to the brand even without an @handle' }),
  })
  .openapi('AnalyzeRequest');

const route = createRoute({
  method: 'post',
  path: '/api/analyze',
  tags: ['analysis'],
  summary: 'Analyze a text: language, sentiment, complaint probability, categories and evidence',
  security: [{ Bearer: [] }],
  middleware: [requirePermission('self.use')] as const,
  request: { body: body(AnalyzeRequest) },
  responses: { 200: json(AnalysisSchema, 'The analysis'), ...errorResponses(400, 401) },
});

export function analyzeRoutes(_deps: Deps) {
  return router().openapi(route, (c) => {
    const { text, toBrand } = c.req.valid('json');
    return c.json(analyze(text, { toBrand }), 200);
  });
}
