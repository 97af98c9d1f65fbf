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
    // X sends one app's deliveries for every account subscribed to it: only the brand's are ours.
    const [mentions] = await deps.database.db.select({ config: streams.config }).from(streams).where(and(eq(streams.platform, 'x'), eq(streams.name, 'mentions')));
    const brandId = (mentions?.config as { userId?: string } | undefined)?.userId;
    if (!brandId) throw new AppError('CONFLICT', 'the brand account is not verified yet (odziv checks it at start-up): X will send the delivery again');
    const forUser = (body as { for_user_id?: unknown } | null)?.for_user_id;
    if (forUser !== brandId) throw new AppError('FORBIDDEN', `for_user_id: this delivery is for account ${typeof forUser === 'string' ? forUser.slice(0, 30) : 'none'}, not the brand's (${brandId}); nothing was stored`);
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
