import { createHmac, timingSafeEqual } from 'node:crypto';
import type { NormalizedPost, WebhookCapability } from '../types.ts';
import { editOf, unescapeTweetText } from './map.ts';

/** Answer to X's CRC check: `sha256=` + base64 HMAC-SHA256 of the token with the consumer secret. */
export function crcResponse(crcToken: string, consumerSecret: string): { response_token: string } {
  return { response_token: `sha256=${createHmac('sha256', consumerSecret).update(crcToken).digest('base64')}` };
}

/** Checks `x-twitter-webhooks-signature` over the raw body, in constant time. */
export function validSignature(rawBody: Buffer | string, header: string | undefined, consumerSecret: string): boolean {
  if (!header?.startsWith('sha256=')) return false;
  const expected = Buffer.from(`sha256=${createHmac('sha256', consumerSecret).update(rawBody).digest('base64')}`);
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Account Activity payload: tweets as v1.1 objects. */
interface TweetV1 {
  id_str: string;
  text?: string;
  full_text?: string;
  extended_tweet?: { full_text?: string };
  created_at?: string;
  in_reply_to_status_id_str?: string | null;
  retweeted_status?: unknown;
  retweet_count?: number;
  favorite_count?: number;
  reply_count?: number;
  quote_count?: number;
  /** Edit metadata: the chain of versions, oldest first. */
  edit_history?: { initial_tweet_id?: string; edit_tweet_ids?: string[] };
  user: { id_str: string; screen_name: string; name?: string; followers_count?: number; verified?: boolean };
}

/** The tweets of an Account Activity delivery, except the brand's own and plain retweets. */
export function postsFromActivity(body: unknown): NormalizedPost[] {
  const b = body as { for_user_id?: string; tweet_create_events?: TweetV1[] } | null;
  if (!b || typeof b !== 'object' || !Array.isArray(b.tweet_create_events)) return [];
  const out: NormalizedPost[] = [];
  for (const t of b.tweet_create_events) {
    if (!t?.id_str || !t.user?.id_str) continue;
    if (t.user.id_str === b.for_user_id || t.retweeted_status) continue;
    out.push({
      platform: 'x',
      platformPostId: t.id_str,
      url: `https://x.com/${t.user.screen_name}/status/${t.id_str}`,
      author: {
        platformUserId: t.user.id_str,
        handle: t.user.screen_name,
        displayName: t.user.name,
        followers: t.user.followers_count,
        verified: t.user.verified ?? false,
      },
      text: unescapeTweetText(t.extended_tweet?.full_text ?? t.full_text ?? t.text ?? ''),
      postedAt: t.created_at && !Number.isNaN(Date.parse(t.created_at)) ? new Date(t.created_at) : new Date(),
      inReplyToId: t.in_reply_to_status_id_str ?? undefined,
      ...editOf(t.id_str, t.edit_history?.edit_tweet_ids),
      isOwn: false,
      isRepost: false,
      metrics: { likes: t.favorite_count ?? 0, reposts: t.retweet_count ?? 0, replies: t.reply_count ?? 0, quotes: t.quote_count ?? 0 },
      raw: t,
    });
  }
  return out;
}

/** The posts an Account Activity delivery says were deleted (`tweet_delete_events`). */
export function deletedInActivity(body: unknown): string[] {
  const b = body as { tweet_delete_events?: Array<{ status?: { id?: unknown } }> } | null;
  if (!b || typeof b !== 'object' || !Array.isArray(b.tweet_delete_events)) return [];
  return b.tweet_delete_events.map((e) => e?.status?.id).filter((id): id is string => typeof id === 'string' && /^\d+$/.test(id));
}

/**
 * X Account Activity webhooks: the CRC check, and deliveries verified with the
 * `x-twitter-webhooks-signature` over the raw body. X sends one app's deliveries for every account
 * subscribed to it: only the brand's (`for_user_id`) are taken.
 */
export function xWebhook(consumerSecret: string, brandId: () => Promise<string | undefined>): WebhookCapability {
  return {
    signatureHeader: 'x-twitter-webhooks-signature',
    challenge(query) {
      if (!query.crc_token) return { status: 400, message: 'query.crc_token: required' };
      return { status: 200, body: JSON.stringify(crcResponse(query.crc_token, consumerSecret)), contentType: 'application/json' };
    },
    verify: (raw, header) => validSignature(raw, header('x-twitter-webhooks-signature'), consumerSecret),
    async deliver(body) {
      const brand = await brandId();
      if (!brand)
        return {
          refused: { status: 409, message: 'the brand account is not verified yet (X_BRAND_USERNAME could not be looked up): X will send the delivery again' },
        };
      const forUser = (body as { for_user_id?: unknown } | null)?.for_user_id;
      if (forUser !== brand)
        return {
          refused: {
            status: 403,
            message: `for_user_id: this delivery is for account ${typeof forUser === 'string' ? forUser.slice(0, 30) : 'none'}, not the brand's (${brand}); nothing was stored`,
          },
        };
      return { posts: postsFromActivity(body), gone: deletedInActivity(body) };
    },
  };
}
