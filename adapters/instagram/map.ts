import { z } from 'zod';
import type { NormalizedPost } from '../types.ts';

const Id = z.string().regex(/^\d{1,30}$/, { error: 'expected a Graph id' });
const Time = z.string().refine((t) => !Number.isNaN(Date.parse(t)), { error: 'expected a time' });

/** An IG Media, as `/{ig-user-id}/media` gives it. */
export const Media = z.object({
  id: Id,
  caption: z.string().optional(),
  timestamp: Time,
  permalink: z.string().optional(),
  comments_count: z.number().int().nonnegative().optional(),
  like_count: z.number().int().nonnegative().optional(),
});
export type Media = z.infer<typeof Media>;

const CommentBase = z.object({
  id: Id,
  text: z.string().optional(),
  timestamp: Time,
  username: z.string().optional(),
  from: z.object({ id: z.string(), username: z.string().optional() }).optional(),
  like_count: z.number().int().nonnegative().optional(),
  hidden: z.boolean().optional(),
  parent_id: Id.optional(),
  media: z.object({ id: Id, permalink: z.string().optional() }).optional(),
});
/** An IG Comment; top-level ones carry their first page of replies (field expansion). */
export const Comment = CommentBase.extend({
  replies: z.object({ data: z.array(z.unknown()), paging: z.object({ next: z.string().nullish() }).nullish() }).optional(),
});
export type Comment = z.infer<typeof Comment>;

/** A `comments` change of an Instagram webhook delivery. */
export const CommentChange = z.object({
  id: Id,
  text: z.string().optional(),
  from: z.object({ id: z.string(), username: z.string().optional() }),
  media: z.object({ id: Id }).optional(),
  parent_id: Id.optional(),
});
/** A `mentions` change: the brand was @mentioned in a comment (comment_id) or a caption (media_id only). */
export const MentionChange = z.object({ media_id: Id, comment_id: Id.optional() });

/** The thread of an IG comment: its top-level comment (Instagram nests one level). Mentions elsewhere are their own. */
export const MENTION_PREFIX = 'mention:';

export function normalizeComment(
  c: z.infer<typeof CommentBase>,
  mediaId: string,
  permalink: string | undefined,
  igUserId: string,
  brandUsername: string | undefined,
  mention = false,
): NormalizedPost {
  const username = c.from?.username ?? c.username ?? '';
  return {
    platform: 'instagram',
    platformPostId: c.id,
    url: permalink ?? c.media?.permalink,
    author: { platformUserId: c.from?.id ?? `user:${username || c.id}`, handle: username || 'instagram user' },
    text: c.text ?? '',
    postedAt: new Date(c.timestamp),
    // A mention on someone else's media is answered through /{ig-user-id}/mentions, which needs both ids.
    conversationId: mention ? `${MENTION_PREFIX}${mediaId}:${c.id}` : (c.parent_id ?? c.id),
    inReplyToId: c.parent_id ?? mediaId,
    isOwn: c.from?.id === igUserId || (!!brandUsername && username.toLowerCase() === brandUsername.toLowerCase()),
    isRepost: false,
    metrics: { likes: c.like_count ?? 0, reposts: 0, replies: 0, quotes: 0 },
    raw: c,
  };
}
