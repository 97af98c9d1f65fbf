import { Hono } from 'hono';
import { isAdapterError } from '../../../adapters/errors.ts';
import { isPlatform } from '../../../adapters/registry.ts';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { acceptDelivery, processDeliveries, storeDelivery, type WebhookDeps } from '../../ingest/webhook-inbox.ts';
import { storable } from '../../storable.ts';
import type { ApiEnv } from '../env.ts';

/**
 * Webhooks of every adapter that takes them, at `/webhooks/<platform>`: GET answers the platform's
 * subscription check; POST hands the raw body to the adapter, which checks its signature before
 * anything is parsed (a bad one is a 401 and nothing is stored). Deliveries land in the platform's
 * stream `webhook` (never polled), through the same ingest as polls: at once, or, where the
 * platform wants its answer first (Meta), kept in the webhook inbox, answered, and worked after.
 */
export function webhookRoutes(deps: Deps) {
  const app = new Hono<ApiEnv>();
  const inbox: WebhookDeps = {
    database: deps.database,
    adapters: deps.adapters,
    rulebook: deps.rulebook,
    log: deps.log,
    businessHours: deps.config.businessHours,
  };
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
      // Mended as ingest mends posts: a platform's half emoji must not make its delivery unstorable.
      body = storable(JSON.parse(raw.toString('utf8')));
    } catch {
      throw new AppError('BAD_REQUEST', 'body: not valid JSON');
    }
    // The platform wants its answer at once: kept first (so nothing is lost after the 200), worked after.
    if (hook.answerFirst) {
      const refused = hook.answerFirst(body)?.refused;
      if (refused) throw new AppError('BAD_REQUEST', refused.message);
      const id = await acceptDelivery(deps.database, platform, body);
      setImmediate(
        () =>
          void processDeliveries(inbox, { ids: [id] }).catch((e: unknown) =>
            deps.log.error({ err: e, platform }, 'working a webhook delivery failed; the worker tries again'),
          ),
      );
      return c.json({ accepted: id }, 200);
    }
    let delivery;
    try {
      delivery = await hook.deliver(body);
    } catch (e) {
      // The platform sends a delivery again when it is not taken: say so rather than lose it.
      if (isAdapterError(e)) throw new AppError('UNAVAILABLE', `${platform} could not be asked about this delivery now (${e.message}); it will be sent again`);
      throw e;
    }
    if ('refused' in delivery)
      throw new AppError(
        delivery.refused.status === 400 ? 'BAD_REQUEST' : delivery.refused.status === 403 ? 'FORBIDDEN' : 'CONFLICT',
        delivery.refused.message,
      );
    const summary = await storeDelivery(inbox, platform, delivery);
    return c.json({ received: summary.received, stored: summary.stored, duplicates: summary.duplicates, rejected: summary.rejected, gone: summary.gone });
  });
  return app;
}
