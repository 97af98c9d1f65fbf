/** The contract every platform adapter implements; everything platform-specific stays behind it. */
import { z } from 'zod';

export const PLATFORMS = ['x', 'facebook', 'instagram', 'mastodon', 'bluesky', 'replay'] as const;
export type Platform = (typeof PLATFORMS)[number];

export interface EngagementMetrics {
  likes: number;
  reposts: number;
  replies: number;
  quotes: number;
  views?: number;
}

export interface NormalizedAuthor {
  platformUserId: string;
  handle: string;
  displayName?: string;
  followers?: number;
  verified?: boolean;
}

/** A post as every stage after the adapter sees it. */
export interface NormalizedPost {
  platform: Platform;
  platformPostId: string;
  url?: string;
  author: NormalizedAuthor;
  text: string;
  postedAt: Date;
  conversationId?: string;
  inReplyToId?: string;
  /** Earlier versions' ids, oldest first, when this post is an edit (X gives every edit a new id). */
  editOf?: string[];
  /** Written by the brand's own account: never flagged. */
  isOwn: boolean;
  /** A plain repost/retweet without own words: never flagged. */
  isRepost: boolean;
  metrics?: EngagementMetrics;
  /** The platform's payload as received, kept for audit and re-analysis. */
  raw: unknown;
}

/**
 * What ingest checks of every post an adapter hands over: a platform that changes a field's shape
 * must not fail the whole batch (the stream would stall on it) nor put a wrong value in the database.
 */
const count = z.number().int().nonnegative().max(2 ** 31 - 1);
export const NormalizedPostSchema = z.object({
  platform: z.enum(PLATFORMS),
  platformPostId: z.string().min(1),
  url: z.string().optional(),
  author: z.object({ platformUserId: z.string().min(1), handle: z.string(), displayName: z.string().optional(), followers: count.optional(), verified: z.boolean().optional() }),
  text: z.string(),
  postedAt: z.date(),
  conversationId: z.string().optional(),
  inReplyToId: z.string().optional(),
  editOf: z.array(z.string()).optional(),
  isOwn: z.boolean(),
  isRepost: z.boolean(),
  metrics: z.object({ likes: count, reposts: count, replies: count, quotes: count, views: z.number().nonnegative().optional() }).optional(),
  raw: z.unknown(),
});

/** The stream as the adapter needs it: its settings, validated by the adapter itself. */
export interface StreamRef {
  id: number;
  name: string;
  config: Record<string, unknown>;
  /** When odziv began watching it: a first run that cannot reach back that far has a gap to fill. */
  createdAt?: Date;
}

export interface PollResult {
  posts: NormalizedPost[];
  /** Where the next poll resumes; stored with the posts in one transaction. */
  cursor: string | null;
  /** True when the platform has more right now (poll again soon instead of waiting). */
  more?: boolean;
  /** What the platform said of its rate limit on the last call. */
  rateLimit?: { remaining?: number; resetAt?: Date };
  /** When to poll this stream again, so the platform's budget is spent evenly (else the default interval). */
  nextPollInMs?: number;
  /** A span the platform can no longer serve (X keeps the newest 800 mentions): posts in it were missed. */
  gap?: StreamGap;
}

export interface StreamGap {
  from: string;
  to: string;
  reason: string;
}

export interface ReplyTarget {
  platformPostId: string;
  conversationId?: string | null;
  authorHandle: string;
}

export interface SentReply {
  platformReplyId: string;
  url?: string;
}

export interface MetricsRead {
  metrics: Map<string, EngagementMetrics>;
  /** Posts the platform says are gone (deleted, or hidden from the brand): no public reply reaches them. */
  gone: string[];
}

export interface PlatformAdapter {
  readonly platform: Platform;
  /** The platform's limit for a reply's length, in characters as the platform counts them. */
  readonly maxReplyLength: number;
  /** A reply's length as the platform counts it against `maxReplyLength` (default: code points). */
  replyLength?(text: string): number;
  /** Fetches what is new since `cursor`. Throws AdapterError. */
  poll(stream: StreamRef, cursor: string | null): Promise<PollResult>;
  /**
   * Posts a public reply on the same channel. `idempotencyKey` identifies the intent; when
   * `mayHaveBeenSent` (an earlier attempt's outcome is unknown), an adapter whose platform cannot
   * be told the key must look for an earlier reply before posting again.
   */
  reply(target: ReplyTarget, text: string, idempotencyKey: string, opts?: { mayHaveBeenSent?: boolean }): Promise<SentReply>;
  /** Current engagement of posts, for the viral score, and which of them are gone. */
  refreshMetrics?(platformPostIds: string[]): Promise<MetricsRead>;
  /** Releases sockets, files and timers. */
  close?(): Promise<void>;
}
