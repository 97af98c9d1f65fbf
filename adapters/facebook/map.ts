import { z } from 'zod';
import type { EngagementMetrics, NormalizedPost } from '../types.ts';

/** Graph ids: digits, a post's or comment's two parts joined by "_". */
const Id = z.string().regex(/^\d{1,30}(_\d{1,30})?$/, { error: 'expected a Graph id' });
const From = z.object({ id: z.string(), name: z.string().optional() });
/** Graph's times: "2026-12-01T10:00:00+0000". */
const Time = z.string().refine((t) => !Number.isNaN(Date.parse(t)), { error: 'expected a time' });

/** A Page post, as `/{page-id}/feed` and `/{page-id}/ads_posts` give it. */
export const PagePost = z.object({
  id: Id,
  message: z.string().optional(),
  created_time: Time,
  updated_time: Time.optional(),
  permalink_url: z.string().optional(),
  from: From.optional(),
});
export type PagePost = z.infer<typeof PagePost>;

/** A comment, as `/{object-id}/comments` gives it. */
export const Comment = z.object({
  id: Id,
  message: z.string().optional(),
  created_time: Time,
  from: From.optional(),
  parent: z.object({ id: Id }).optional(),
  permalink_url: z.string().optional(),
  like_count: z.number().int().nonnegative().optional(),
  comment_count: z.number().int().nonnegative().optional(),
  is_hidden: z.boolean().optional(),
});
export type Comment = z.infer<typeof Comment>;

/** A `feed` change of a Page webhook delivery (developers.facebook.com/docs/graph-api/webhooks/reference/page#feed). */
export const FeedChange = z.object({
  item: z.string(),
  verb: z.string(),
  post_id: Id.optional(),
  comment_id: Id.optional(),
  parent_id: Id.optional(),
  from: From.optional(),
  message: z.string().optional(),
  created_time: z.number().optional(),
  permalink_url: z.string().optional(),
});

const facebookUrl = (postId: string, commentId?: string) =>
  `https://www.facebook.com/${postId}${commentId ? `?comment_id=${commentId.split('_').at(-1)}` : ''}`;

/** Who wrote it; Graph leaves `from` out for people whose privacy hides them: each such comment is its own unknown author. */
const authorOf = (from: z.infer<typeof From> | undefined, id: string) =>
  from ? { platformUserId: from.id, handle: from.name ?? from.id, displayName: from.name } : { platformUserId: `unknown:${id}`, handle: 'Facebook user' };

/**
 * A comment as every stage after the adapter sees it. Its thread is the top-level comment (Facebook
 * nests one level): a brand post's hundreds of commenters are hundreds of conversations, not one.
 */
export function normalizeComment(c: Comment, postId: string, pageId: string): NormalizedPost {
  const parent = c.parent?.id;
  return {
    platform: 'facebook',
    platformPostId: c.id,
    url: c.permalink_url ?? facebookUrl(postId, c.id),
    author: authorOf(c.from, c.id),
    text: c.message ?? '',
    postedAt: new Date(c.created_time),
    conversationId: parent ?? c.id,
    inReplyToId: parent ?? postId,
    isOwn: c.from?.id === pageId,
    isRepost: false,
    metrics: { likes: c.like_count ?? 0, reposts: 0, replies: c.comment_count ?? 0, quotes: 0 },
    raw: c,
  };
}

/** A post on the Page: the brand's own (stored as own, the comments' context), or a visitor's. */
export function normalizePagePost(p: PagePost, pageId: string): NormalizedPost {
  return {
    platform: 'facebook',
    platformPostId: p.id,
    url: p.permalink_url ?? facebookUrl(p.id),
    author: authorOf(p.from, p.id),
    text: p.message ?? '',
    postedAt: new Date(p.created_time),
    conversationId: p.id,
    isOwn: !p.from || p.from.id === pageId,
    isRepost: false,
    raw: p,
  };
}

/** A webhook's comment or visitor post; `undefined` for what is no post (reactions, likes, shares of the brand's). */
export function normalizeFeedChange(v: z.infer<typeof FeedChange>, pageId: string, entryTime: number | undefined): NormalizedPost | undefined {
  const id = v.item === 'comment' ? v.comment_id : v.post_id;
  if (!id || !['comment', 'status', 'post', 'photo', 'video', 'share'].includes(v.item)) return undefined;
  const postId = v.post_id ?? id;
  const topLevel = v.item !== 'comment' || !v.parent_id || v.parent_id === postId;
  const at = (v.created_time ?? entryTime ?? Date.now() / 1000) * 1000;
  return {
    platform: 'facebook',
    platformPostId: id,
    url: v.permalink_url ?? (v.item === 'comment' ? facebookUrl(postId, id) : facebookUrl(id)),
    author: authorOf(v.from, id),
    text: v.message ?? '',
    postedAt: new Date(at),
    conversationId: topLevel ? id : v.parent_id!,
    ...(v.item === 'comment' ? { inReplyToId: v.parent_id ?? postId } : {}),
    ...(v.verb === 'edited' ? { editedInPlace: true } : {}),
    isOwn: v.from?.id === pageId,
    isRepost: false,
    raw: v,
  };
}

/** Reactions and comments of a post or comment, as `reactions.summary` / `comments.summary` count them. */
export const Engagement = z.object({
  id: z.string(),
  reactions: z.object({ summary: z.object({ total_count: z.number().int().nonnegative() }) }).optional(),
  comments: z.object({ summary: z.object({ total_count: z.number().int().nonnegative() }) }).optional(),
  shares: z.object({ count: z.number().int().nonnegative() }).optional(),
});

export const engagementOf = (e: z.infer<typeof Engagement>): EngagementMetrics => ({
  likes: e.reactions?.summary.total_count ?? 0,
  reposts: e.shares?.count ?? 0,
  replies: e.comments?.summary.total_count ?? 0,
  quotes: 0,
});
