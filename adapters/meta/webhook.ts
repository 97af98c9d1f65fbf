import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { NormalizedPost, WebhookCapability } from '../types.ts';

/** `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body with the app secret>`, in constant time. */
export function validHubSignature(raw: Buffer | string, header: string | undefined, appSecret: string): boolean {
  if (!header?.startsWith('sha256=')) return false;
  const expected = Buffer.from(`sha256=${createHmac('sha256', appSecret).update(raw).digest('hex')}`);
  const given = Buffer.from(header.toLowerCase());
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** A delivery as Meta sends it: `object`, and entries of changes (developers.facebook.com/docs/graph-api/webhooks). */
export const Delivery = z.object({
  object: z.string(),
  entry: z.array(z.object({ id: z.string(), time: z.number().optional(), changes: z.array(z.object({ field: z.string(), value: z.unknown() })).optional() })),
});
export type Delivery = z.infer<typeof Delivery>;

/**
 * Meta's webhook contract, the same for Pages and Instagram: the GET subscription check echoes
 * `hub.challenge` when `hub.verify_token` is ours, and deliveries are signed with the app secret.
 * `read` turns a verified delivery of the expected `object` into posts and deleted ids.
 */
export function metaWebhook(o: {
  appSecret: string;
  verifyToken: string;
  object: 'page' | 'instagram';
  accountId: string;
  read(d: Delivery): Promise<{ posts: NormalizedPost[]; gone: string[] }>;
}): WebhookCapability {
  const check = (body: unknown): { d: Delivery; refused?: undefined } | { d?: undefined; refused: { refused: { status: 400; message: string } } } => {
    const d = Delivery.safeParse(body);
    if (!d.success)
      return {
        refused: {
          refused: {
            status: 400,
            message: `body: not a Meta webhook delivery (${d.error.issues
              .slice(0, 2)
              .map((i) => `${i.path.join('.') || 'body'}: ${i.message}`)
              .join('; ')})`,
          },
        },
      };
    if (d.data.object !== o.object)
      return { refused: { refused: { status: 400, message: `object: "${d.data.object.slice(0, 30)}" is not "${o.object}"; nothing was stored` } } };
    return { d: d.data };
  };
  return {
    signatureHeader: 'x-hub-signature-256',
    challenge(q) {
      if (q['hub.mode'] !== 'subscribe' || !q['hub.challenge'])
        return { status: 400, message: 'query: expected hub.mode=subscribe with hub.challenge and hub.verify_token' };
      const given = Buffer.from(q['hub.verify_token'] ?? '');
      const ours = Buffer.from(o.verifyToken);
      if (given.length !== ours.length || !timingSafeEqual(given, ours)) return { status: 403, message: 'hub.verify_token: does not match META_VERIFY_TOKEN' };
      return { status: 200, body: q['hub.challenge'], contentType: 'text/plain' };
    },
    verify: (raw, header) => validHubSignature(raw, header('x-hub-signature-256'), o.appSecret),
    answerFirst: (body) => check(body).refused,
    async deliver(body) {
      const { d, refused } = check(body);
      if (refused) return refused;
      // One app can serve several Pages: only this deployment's account is taken, the rest are
      // acknowledged and left (a refusal would make Meta send them again, then turn the webhook off).
      return o.read({ ...d, entry: d.entry.filter((e) => e.id === o.accountId) });
    },
  };
}
