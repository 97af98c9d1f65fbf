import { decodeHTML } from 'entities';
import { z } from 'zod';
import type { EngagementMetrics, NormalizedPost } from '../types.ts';

/** The fields of Mastodon's Account and Status entities odziv reads (docs.joinmastodon.org/entities). */
/** Ids as servers make them (Mastodon: digits; others: letters and digits); anything else is no id. */
const Id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, { error: 'expected an id of letters and digits' });

export const Account = z.object({
  id: Id,
  username: z.string(),
  acct: z.string(),
  display_name: z.string().nullish(),
  followers_count: z.number().int().nonnegative().nullish(),
  bot: z.boolean().nullish(),
});
export type Account = z.infer<typeof Account>;

export const Status = z.object({
  id: Id,
  created_at: z.string(),
  in_reply_to_id: Id.nullish(),
  visibility: z.enum(['public', 'unlisted', 'private', 'direct']).catch('public'),
  spoiler_text: z.string().nullish(),
  content: z.string(),
  url: z.string().nullish(),
  uri: z.string().nullish(),
  account: Account,
  reblogs_count: z.number().int().nonnegative().nullish(),
  favourites_count: z.number().int().nonnegative().nullish(),
  replies_count: z.number().int().nonnegative().nullish(),
  reblog: z.unknown().nullish(),
});
export type Status = z.infer<typeof Status>;

export const Notification = z.object({ id: z.string(), type: z.string(), status: z.unknown().nullish() });

/**
 * A status's HTML as the words a person reads. Mastodon sends sanitised HTML (p, br, a, span and
 * a few more): paragraphs and line breaks become new lines, a link its full address (Mastodon
 * splits it into visible and "invisible" spans), a mention "@name", entities their characters.
 */
export function htmlToText(html: string): string {
  const text = html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/p>\s*<p[^>]*>/gi, '\n\n')
    .replace(/<[^>]*>/g, '');
  return decodeHTML(text).trim();
}

export const metricsOf = (s: Status): EngagementMetrics => ({
  likes: s.favourites_count ?? 0,
  reposts: s.reblogs_count ?? 0,
  replies: s.replies_count ?? 0,
  quotes: 0,
});

/** A status as every stage after the adapter sees it; a content warning is read as part of the post. */
export function normalizeStatus(s: Status, brandId: string | undefined, conversationId: string): NormalizedPost {
  const body = htmlToText(s.content);
  return {
    platform: 'mastodon',
    platformPostId: s.id,
    url: s.url ?? s.uri ?? undefined,
    author: {
      platformUserId: s.account.id,
      handle: s.account.acct,
      displayName: s.account.display_name || s.account.username,
      followers: s.account.followers_count ?? undefined,
      verified: false,
    },
    text: s.spoiler_text ? `${s.spoiler_text}\n\n${body}` : body,
    postedAt: new Date(s.created_at),
    conversationId,
    inReplyToId: s.in_reply_to_id ?? undefined,
    isOwn: brandId !== undefined && s.account.id === brandId,
    isRepost: !!s.reblog,
    metrics: metricsOf(s),
    raw: s,
  };
}

/**
 * A reply's length as Mastodon counts it against the server's limit: every link is 23 characters,
 * a mention counts its local part only ("@ana@example.social" is "@ana"), the rest by character.
 */
export function mastodonLength(text: string): number {
  const rest = text.replace(/https?:\/\/\S+/g, 'x'.repeat(23)).replace(/(^|[^\w])@(\w+)@[\w.-]+\w/g, '$1@$2');
  return [...rest].length;
}
