/** The contract every platform adapter implements; everything platform-specific stays behind it. */
import { z } from 'zod';
import { type EngagementMetrics, PLATFORMS, type Platform } from '../db/schema/platforms.ts';

export { type EngagementMetrics, PLATFORMS, type Platform };

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
  /** A new version under the same id (Facebook's `verb: edited`): it replaces the stored words. */
  editedInPlace?: boolean;
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
const count = z
  .number()
  .int()
  .nonnegative()
  .max(2 ** 31 - 1);
export const NormalizedPostSchema = z.object({
  platform: z.enum(PLATFORMS),
  platformPostId: z.string().min(1),
  url: z.string().optional(),
  author: z.object({
    platformUserId: z.string().min(1),
    handle: z.string(),
    displayName: z.string().optional(),
    followers: count.optional(),
    verified: z.boolean().optional(),
  }),
  text: z.string(),
  postedAt: z.date(),
  conversationId: z.string().optional(),
  inReplyToId: z.string().optional(),
  editOf: z.array(z.string()).optional(),
  editedInPlace: z.boolean().optional(),
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

/** What a community manager (or a rule's `hide`) may do to a customer's post on its platform. */
export type ModerationAction = 'hide' | 'unhide' | 'delete';

export interface ModerationCapability {
  /** What the platform lets the brand do (Bluesky: hide and unhide, never delete). */
  readonly actions: readonly ModerationAction[];
  /**
   * Whether every post the adapter reads can be moderated (Meta: comments under the brand's own
   * posts). X and Bluesky hide only replies in threads the brand started: a rule's `hide` is not
   * tried there (a wave of spam would spend the write budget on refusals); a person still can.
   */
  readonly everyPost: boolean;
  apply(platformPostId: string, action: ModerationAction): Promise<void>;
}

/** A private answer to a public post, in the customer's inbox (Meta's private replies). */
export interface PrivateReplyCapability {
  /** How long after the post a private reply is still possible (Meta: 7 days). */
  readonly windowMs: number;
  readonly maxLength: number;
  /** One per post, ever: after an unknown outcome the platform's "already replied" counts as sent. */
  send(target: ReplyTarget, text: string, idempotencyKey: string, opts?: { mayHaveBeenSent?: boolean }): Promise<SentReply>;
}

/** A stream the configuration asks for; the adapter validates `config` when it polls. */
export interface WantedStream {
  name: string;
  config: Record<string, unknown>;
}

/** What `verify()` learned of the brand's account: for the start-up log and the streams it wants. */
export type Verification = Record<string, string | number | boolean | undefined>;

/** A platform as the environment configured it, its settings bound in. */
export interface ConfiguredPlatform {
  readonly platform: Platform;
  /** Values among its settings that must never reach a log or a stored error. */
  readonly secrets: string[];
  /** Builds the adapter, loading its client library only now (twitter-api-v2 alone is ~30 MiB). */
  create(): Promise<PlatformAdapter>;
  /** The streams its settings ask for, given what `verify()` learned (undefined: not reachable at start-up). */
  wantedStreams(verified?: Verification): WantedStream[];
}

/** The environment as the configuration reads it: set variables only, blank ones dropped. */
export type SetVariables = Readonly<Record<string, string>>;

/**
 * A platform's entry in the registry: its environment variables as a zod fragment, which the
 * registry merges into the one configuration schema (src/config.ts), so a start-up reports every
 * wrong variable of every platform at once, each by name.
 */
export interface PlatformModule<Shape extends z.ZodRawShape = z.ZodRawShape> {
  readonly platform: Platform;
  /** Its variables, as they must be once the platform is configured. */
  readonly env: Shape;
  /** Whether these variables configure the platform at all (its fragment is checked only then). */
  enabledBy(env: SetVariables): boolean;
  /**
   * Checks across its variables that one field's schema cannot make (all four X user credentials or
   * none), on the variables as set: they run even when a field is wrong, so one start-up names all.
   */
  crossCheck?(env: SetVariables): Array<{ variable: string; message: string }>;
  /** Its settings bound in, from its parsed variables; undefined when they configure it after all not (Instagram without META_IG_USER_ID). */
  configure(values: z.output<z.ZodObject<Shape>>): ConfiguredPlatform | undefined;
}

/** Declares a platform's entry, its values typed by its own fragment. */
export const definePlatform = <Shape extends z.ZodRawShape>(m: PlatformModule<Shape>): PlatformModule<Shape> => m;

/** The platform's webhook contract, served at `/webhooks/<platform>` (raw body in, posts out). */
export interface WebhookCapability {
  /** GET: the platform's subscription check (X's CRC, Meta's hub.challenge). */
  challenge(query: Record<string, string>): { status: 200; body: string; contentType: string } | { status: 400 | 403; message: string };
  /** The header that carries the delivery's signature, named in a refusal. */
  readonly signatureHeader: string;
  /** POST: the signature over the raw body, checked before the body is parsed. */
  verify(raw: Buffer, header: (name: string) => string | undefined): boolean;
  /**
   * When set, the platform wants its answer at once (Meta: within seconds): a verified delivery
   * this check does not refuse is kept, answered 200, and `deliver` runs after.
   */
  readonly answerFirst?: (body: unknown) => { refused: { status: 400; message: string } } | undefined;
  /** POST, once verified: the delivery's posts and the ids it says were deleted, or why it is refused. */
  deliver(body: unknown): Promise<{ posts: NormalizedPost[]; gone: string[] } | { refused: { status: 400 | 403 | 409; message: string } }>;
}

export interface PlatformAdapter {
  readonly platform: Platform;
  /**
   * Checks the credentials at start-up. Throws AdapterError: a retryable one (the platform is down
   * for a moment) lets odziv start and the streams retry; any other names the variable to fix.
   */
  verify?(): Promise<Verification>;
  /** Deliveries the platform pushes, when it does and the settings allow. */
  readonly webhook?: WebhookCapability;
  /** The platform's limit for a reply's length, in characters as the platform counts them. */
  readonly maxReplyLength: number;
  /** A reply's length as the platform counts it against `maxReplyLength` (default: code points). */
  replyLength?(text: string): number;
  /**
   * How the inbox counts a reply as it is typed, the same way: `twitter-text` (URLs 23, emoji and
   * CJK 2, X's published rule) or the default, code points.
   */
  readonly replyCounting?: 'code-points' | 'twitter-text';
  /** Fetches what is new since `cursor`. Throws AdapterError. */
  poll(stream: StreamRef, cursor: string | null): Promise<PollResult>;
  /**
   * Posts a public reply on the same channel. `idempotencyKey` identifies the intent; when
   * `mayHaveBeenSent` (an earlier attempt's outcome is unknown), an adapter whose platform cannot
   * be told the key must look for an earlier reply before posting again.
   */
  reply(target: ReplyTarget, text: string, idempotencyKey: string, opts?: { mayHaveBeenSent?: boolean }): Promise<SentReply>;
  /** Hides, shows again or deletes a customer's post, where the platform lets the brand (not X). */
  readonly moderation?: ModerationCapability;
  /** Answers a public post privately, where the platform has that. */
  readonly privateReply?: PrivateReplyCapability;
  /** Current engagement of posts, for the viral score, and which of them are gone. */
  refreshMetrics?(platformPostIds: string[]): Promise<MetricsRead>;
  /** Releases sockets, files and timers. */
  close?(): Promise<void>;
}
