import { Hono } from 'hono';
import { and, eq } from 'drizzle-orm';
import { crcResponse, deletedInActivity, postsFromActivity, validSignature } from '../../../adapters/x/webhook.ts';
import { streams } from '../../../db/schema/index.ts';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { ingest } from '../../ingest/ingest.ts';
import { markGone } from '../../ingest/gone.ts';
import type { ApiEnv } from '../env.ts';

/**
 * X Account Activity webhooks: the CRC check, and deliveries verified with the
 * `x-twitter-webhooks-signature` over the raw body. A bad signature is a 401 and nothing is
 * stored. Deliveries land in the stream x/webhook (not polled), through the same ingest.
 */
export function webhookRoutes(deps: Deps) {
  const app = new Hono<ApiEnv>();
  const secret = deps.config.x?.user?.appSecret;
  if (!secret) return app;

  app.get('/webhooks/x', (c) => {
    const token = c.req.query('crc_token');
    if (!token) throw new AppError('BAD_REQUEST', 'query.crc_token: required');
    return c.json(crcResponse(token, secret));
  });

  app.post('/webhooks/x', async (c) => {
    const raw = Buffer.from(await c.req.arrayBuffer());
    if (!validSignature(raw, c.req.header('x-twitter-webhooks-signature'), secret)) {
      throw new AppError('UNAUTHORIZED', 'x-twitter-webhooks-signature: missing or does not match the body');
    }
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new AppError('BAD_REQUEST', 'body: not valid JSON');
    }
    const posts = postsFromActivity(body);
    await deps.database.db.insert(streams).values({ platform: 'x', name: 'webhook', config: { kind: 'webhook' }, enabled: false }).onConflictDoNothing();
    const [stream] = await deps.database.db.select().from(streams).where(and(eq(streams.platform, 'x'), eq(streams.name, 'webhook')));
    const summary = await ingest(deps.database, deps.rulebook.current(), stream!, { posts, cursor: stream!.cursor }, new Date(), { businessHours: deps.config.businessHours });
    // A customer deleting a post: its case learns it now, not at the next metrics read.
    const gone = await markGone(deps.database, 'x', deletedInActivity(body), new Date());
    return c.json({ received: summary.received, stored: summary.stored, duplicates: summary.duplicates, rejected: summary.rejected, gone });
  });
  return app;
}
