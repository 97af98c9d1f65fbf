import { Hono } from 'hono';
import { and, eq } from 'drizzle-orm';
import { isAdapterError } from '../../../adapters/errors.ts';
import { isPlatform, moderatingPlatforms } from '../../../adapters/registry.ts';
import { streams } from '../../../db/schema/index.ts';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { ingest } from '../../ingest/ingest.ts';
import { markGone } from '../../privacy/gone.ts';
import type { ApiEnv } from '../env.ts';

/**
 * Webhooks of every adapter that takes them, at `/webhooks/<platform>`: GET answers the platform's
 * subscription check; POST hands the raw body to the adapter, which checks its signature before
 * anything is parsed (a bad one is a 401 and nothing is stored). Deliveries land in the platform's
 * stream `webhook` (never polled), through the same ingest as polls.
 */
export function webhookRoutes(deps: Deps) {
  const app = new Hono<ApiEnv>();
  const webhookOf = (platform: string) => {
    const hook = isPlatform(platform) ? deps.adapters[platform]?.webhook : undefined;
    if (!hook) throw new AppError('NOT_FOUND', `platform: odziv takes no webhooks for "${platform.slice(0, 40)}" in this deployment`);
    return hook;
  };

  app.get('/webhooks/:platform', (c) => {
    const answer = webhookOf(c.req.param('platform')).challenge(c.req.query());
    if (answer.status !== 200) throw new AppError(answer.status === 400 ? 'BAD_REQUEST' : 'FORBIDDEN', answer.message);
    return c.body(answer.body, 200, { 'content-type': answer.contentType });
  });

  app.post('/webhooks/:platform', async (c) => {
    const platform = c.req.param('platform');
    const hook = webhookOf(platform);
    const raw = Buffer.from(await c.req.arrayBuffer());
    if (!hook.verify(raw, (name) => c.req.header(name))) throw new AppError('UNAUTHORIZED', `${hook.signatureHeader}: missing or does not match the body`);
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new AppError('BAD_REQUEST', 'body: not valid JSON');
    }
    let delivery;
    try {
      delivery = await hook.deliver(body);
    } catch (e) {
      // The platform sends a delivery again when it is not taken: say so rather than lose it.
      if (isAdapterError(e)) throw new AppError('UNAVAILABLE', `${platform} could not be asked about this delivery now (${e.message}); it will be sent again`);
      throw e;
    }
    if ('refused' in delivery) throw new AppError(delivery.refused.status === 400 ? 'BAD_REQUEST' : delivery.refused.status === 403 ? 'FORBIDDEN' : 'CONFLICT', delivery.refused.message);
    await deps.database.db.insert(streams).values({ platform, name: 'webhook', config: { kind: 'webhook' }, enabled: false }).onConflictDoNothing();
    const [stream] = await deps.database.db.select().from(streams).where(and(eq(streams.platform, platform), eq(streams.name, 'webhook')));
    const summary = await ingest(deps.database, deps.rulebook.current(), stream!, { posts: delivery.posts, cursor: stream!.cursor }, new Date(), { businessHours: deps.config.businessHours, moderates: moderatingPlatforms(deps.adapters) });
    // A customer deleting a post: its case learns it now, not at the next metrics read.
    const gone = await markGone(deps.database, platform, delivery.gone, new Date());
    return c.json({ received: summary.received, stored: summary.stored, duplicates: summary.duplicates, rejected: summary.rejected, gone });
  });
  return app;
}
