import type { NormalizedPost } from '../types.ts';

/** X API v2 shapes this adapter reads (only the fields it asks for). */
export interface TweetV2 {
  id: string;
  /** Cut short for a post over 280 characters; the whole text is then in `note_tweet`. */
  text: string;
  note_tweet?: { text?: string };
  /** A default field: this post's versions, oldest first (one id when never edited). */
  edit_history_tweet_ids?: string[];
  author_id?: string;
  created_at?: string;
  conversation_id?: string;
  referenced_tweets?: Array<{ type: string; id: string }>;
  public_metrics?: { retweet_count?: number; reply_count?: number; like_count?: number; quote_count?: number; impression_count?: number };
}
export interface UserV2 {
  id: string;
  username: string;
  name?: string;
  verified?: boolean;
  public_metrics?: { followers_count?: number };
}

export const TWEET_FIELDS = 'created_at,conversation_id,referenced_tweets,public_metrics,author_id,in_reply_to_user_id,lang,note_tweet';
export const USER_FIELDS = 'username,name,verified,public_metrics';
export const EXPANSIONS = 'author_id';

/*
 * The payloads' types are what X documents, not what a response is checked to hold: the readers
 * below pass a field of an unexpected shape on untouched (ingest's check names it and sets the post
 * aside) instead of throwing, which would fail the whole page.
 */
const list = <T>(v: T[] | undefined): T[] => (Array.isArray(v) ? v : []);

export function metricsOf(t: TweetV2): NonNullable<NormalizedPost['metrics']> {
  const m = t.public_metrics ?? {};
  return {
    likes: m.like_count ?? 0,
    reposts: m.retweet_count ?? 0,
    replies: m.reply_count ?? 0,
    quotes: m.quote_count ?? 0,
    ...(m.impression_count !== undefined ? { views: m.impression_count } : {}),
  };
}

export const isRetweet = (t: TweetV2) => list(t.referenced_tweets).some((r) => r?.type === 'retweeted');

/**
 * X returns tweet text with "&", "<" and ">" escaped as HTML entities (v2 and v1.1 alike); the post
 * is stored as its author wrote it ("&amp;" last, so "&amp;lt;" stays the literal "&lt;"). Pages
 * escape again when they show it.
 */
export const unescapeTweetText = (text: string) =>
  typeof text === 'string' && text.includes('&') ? text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&') : text;

/** The earlier versions of an edited post (X lists the whole chain, oldest first, this one last). */
export const editOf = (id: string, history: string[] | undefined): { editOf?: string[] } => {
  const earlier = list(history).filter((h) => h !== id);
  return earlier.length ? { editOf: earlier } : {};
};

/** A v2 tweet with its author as a normalized post; the raw payload is kept. */
export function normalizeTweet(t: TweetV2, author: UserV2 | undefined, brandId: string): NormalizedPost {
  const user = author ?? { id: t.author_id ?? 'unknown', username: 'unknown' };
  return {
    platform: 'x',
    platformPostId: t.id,
    url: `https://x.com/${user.username}/status/${t.id}`,
    author: {
      platformUserId: user.id,
      handle: user.username,
      displayName: user.name,
      followers: user.public_metrics?.followers_count,
      verified: user.verified ?? false,
    },
    // A long post's complaint is often in its second half: read and store the whole of it.
    text: unescapeTweetText(t.note_tweet?.text ?? t.text),
    postedAt: t.created_at ? new Date(t.created_at) : new Date(),
    conversationId: t.conversation_id,
    inReplyToId: list(t.referenced_tweets).find((r) => r?.type === 'replied_to')?.id,
    ...editOf(t.id, t.edit_history_tweet_ids),
    isOwn: user.id === brandId,
    isRepost: isRetweet(t),
    metrics: metricsOf(t),
    raw: { tweet: t, author: author ?? null },
  };
}

/** When an X id was made: a snowflake's top bits are milliseconds since X's epoch (2010-11-04). */
export const snowflakeTime = (id: string): number => Number(BigInt(id) >> 22n) + 1288834974657;
