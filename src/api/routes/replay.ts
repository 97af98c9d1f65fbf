import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../deps.ts';
import { requirePermission } from '../auth.ts';
import { router } from '../router.ts';
import { errorResponses, json } from '../schemas.ts';

const Recorded = z
  .object({ platformReplyId: z.string(), inReplyTo: z.string(), to: z.string(), text: z.string(), at: z.string() })
  .openapi('ReplayRecordedReply');

const route = createRoute({
  method: 'get',
  path: '/api/replay/replies',
  tags: ['replay'],
  summary: 'Replies "posted" to the replay platform (the demo stream), newest last',
  security: [{ Bearer: [] }],
  middleware: [requirePermission('replay.run')] as const,
  responses: { 200: json(z.object({ replies: z.array(Recorded) }), 'Recorded replies'), ...errorResponses(401, 403) },
});

export function replayRoutes(deps: Deps) {
  return router().openapi(route, (c) => {
    const adapter = deps.adapters.replay as
      | (typeof deps.adapters.replay & { recordedReplies?: () => Array<z.infer<typeof Recorded> & { idempotencyKey: string }> })
      | undefined;
    const replies = (adapter?.recordedReplies?.() ?? []).map(({ idempotencyKey: _k, ...r }) => r);
    return c.json({ replies }, 200);
  });
}
