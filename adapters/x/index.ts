import twitterText from 'twitter-text';
import { z } from 'zod';
import { AdapterError, isAdapterError } from '../errors.ts';
import { readCursor } from '../reading.ts';
import type {
  EngagementMetrics,
  MetricsRead,
  ModerationAction,
  NormalizedPost,
  PlatformAdapter,
  PollResult,
  ReplyTarget,
  SentReply,
  StreamRef,
} from '../types.ts';
import { createXClients, type XClients } from './client.ts';
import { toAdapterError } from './errors.ts';
import {
  EXPANSIONS,
  isRetweet,
  metricsOf,
  normalizeTweet,
  snowflakeTime,
  TWEET_FIELDS,
  type TweetV2,
  USER_FIELDS,
  type UserV2,
  unescapeTweetText,
} from './map.ts';
import { searchQuery, withoutRetweets, type XSettings } from './settings.ts';
import { xWebhook } from './webhook.ts';

export { type XSettings, xSecrets } from './settings.ts';
export { crcResponse, deletedInActivity, postsFromActivity, validSignature } from './webhook.ts';

const WINDOW_MS = 15 * 60_000;
/** How far back recent search reaches: seven days, less a margin for the request's way there. */
const SEARCH_REACH_MS = 7 * 86_400_000 - 5 * 60_000;

/** A lookup's per-id problem (X's partial errors). */
interface LookupError {
  value?: string;
  resource_id?: string;
  resource_type?: string;
  type?: string;
}
/** The problem types that mean nobody outside can see the post any more. */
const GONE = /\/problems\/(resource-not-found|not-authorized-for-resource)$/;

/** What a stream of the X platform watches. */
export const XStreamConfig = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('mentions'), userId: z.string().regex(/^\d+$/).optional() }),
  z.object({ kind: z.literal('search'), query: searchQuery }),
]);
export type XStreamConfig = z.infer<typeof XStreamConfig>;

/**
 * Where a stream stands, stored as the stream's cursor with its posts (one transaction):
 * - `since`: the newest id fully ingested; `from`: the newest post's time less the overlap, the
 *   start_time of every next run, so posts X indexes late (older ids than posts already served) are
 *   read again however quiet the stream is (the unique key drops the repeats);
 * - during a run over several pages: `next` (X's next_token), `runSince`/`runFrom` (where the run
 *   started), `top`/`topAt` (the run's newest post);
 * - `overlap`/`cand`: the id-based overlap of cursors written before `from`, read once.
 */
const Cursor = z.object({
  v: z.literal(1),
  since: z.string().optional(),
  overlap: z.string().optional(),
  next: z.string().optional(),
  runSince: z.string().optional(),
  top: z.string().optional(),
  topAt: z.string().optional(),
  cand: z.string().optional(),
  from: z.string().optional(),
  runFrom: z.string().optional(),
  /** During a run: how many posts it read, and the oldest one's time (to tell a gap). */
  n: z.number().optional(),
  low: z.string().optional(),
  /** When the run's first page was read (a multi-page run settles only what was older by the overlap then). */
  runAt: z.string().optional(),
  /**
   * Mentions older than this have been read at least one overlap after they were written, so X
   * has indexed them: nothing before it needs reading again. What lies between it and what a run
   * could reach is read back from recent search.
   */
  settled: z.string().optional(),
  /** A span the mentions timeline no longer serves, being read from recent search (`next`: its next_token; `at`: when it began). */
  fill: z.object({ from: z.string(), to: z.string(), next: z.string().optional(), at: z.string().optional() }).optional(),
});
type Cursor = z.infer<typeof Cursor>;

/** How many of an account's newest mentions X's mentions timeline serves. */
const MENTIONS_HORIZON = 800;

/** X's start_time: RFC 3339 to the second. */
const xTime = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
const drop = (c: Cursor): Cursor => Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined)) as Cursor;

const maxId = (a: string | undefined, b: string | undefined) => (a === undefined ? b : b === undefined ? a : BigInt(a) >= BigInt(b) ? a : b);

interface Page {
  data?: TweetV2[];
  includes?: { users?: UserV2[] };
  meta?: { result_count?: number; newest_id?: string; next_token?: string };
}

export interface XAdapter extends PlatformAdapter {
  /** Checks the credentials at start-up and returns the brand account's id. */
  verify(): Promise<{ brandId: string; canReply: boolean }>;
}

/**
 * The X adapter: mentions and recent-search streams in (since_id cursors, next_token pages, overlap),
 * replies out (looking for an earlier reply first when a previous attempt may have gone through),
 * engagement refresh, and pacing from the rate-limit headers within the configured budget.
 */
export function createXAdapter(s: XSettings, opts: { clients?: XClients; now?: () => number } = {}): XAdapter {
  const clients = opts.clients ?? createXClients(s);
  const now = opts.now ?? Date.now;
  let brandId: string | undefined;
  /** Streams polled in the current window: the budget is shared between them. */
  const active = new Map<number, number>();
  /** Streams whose current run of pages this instance began (a run resumed from a stored cursor was not). */
  const runsBegunHere = new Set<number>();
  /** Until when engagement lookups wait for their rate-limit window (epoch ms). */
  let lookupsResumeAt = 0;

  const ensureBrand = async (): Promise<string> => {
    if (brandId) return brandId;
    let res: { data?: { id: string }; errors?: Array<{ detail?: string }> };
    try {
      res = await clients.app.v2.get(`users/by/username/${s.brandUsername}`, {}, { timeout: s.timeoutMs });
    } catch (e) {
      throw toAdapterError(e, `looking up @${s.brandUsername}`);
    }
    if (!res.data?.id)
      throw new AdapterError('x', 'not_found', `X_BRAND_USERNAME: @${s.brandUsername} not found on X (${res.errors?.[0]?.detail ?? 'no such user'})`);
    brandId = res.data.id;
    return brandId;
  };

  /** How long to wait before this stream's next request, so the budget spreads over all streams. */
  function pace(streamId: number, rate: { remaining?: number; reset?: number } | undefined, more: boolean): number {
    const t = now();
    active.set(streamId, t);
    for (const [id, at] of active) if (t - at > WINDOW_MS) active.delete(id);
    const streams = Math.max(1, active.size);
    const budget = (WINDOW_MS / s.rateBudget) * streams;
    if (rate?.remaining !== undefined && rate.reset !== undefined) {
      const untilReset = Math.max(0, rate.reset * 1000 - t);
      if (rate.remaining === 0) return untilReset + 1_000;
      const even = (untilReset / rate.remaining) * streams;
      return more ? 0 : Math.max(budget, even);
    }
    return more ? 0 : budget;
  }

  /**
   * Reads a span the mentions timeline no longer serves from recent search for the brand's handle,
   * page by page (the cursor keeps only X's next_token and the span). Recent search reaches back
   * seven days: what is older than that is returned as the gap nobody can fill.
   */
  async function fillFromSearch(stream: StreamRef, cursor: Cursor, fill: NonNullable<Cursor['fill']>, brand: string): Promise<PollResult> {
    const reach = now() - SEARCH_REACH_MS;
    const startMs = Math.max(Date.parse(fill.from), reach);
    let gap: PollResult['gap'];
    if (startMs > Date.parse(fill.from) + 1_000) {
      gap = {
        from: new Date(Date.parse(fill.from) + s.overlapMs).toISOString(),
        to: new Date(Math.min(startMs, Date.parse(fill.to))).toISOString(),
        reason: `X serves only the newest ${MENTIONS_HORIZON} mentions, and recent search only the last seven days`,
      };
    }
    // Once read to its end, the span is settled up to one overlap before the fill began (what X
    // indexes later than that is read by the next fill, which starts there).
    const at = fill.at ? Date.parse(fill.at) : now();
    const rest = drop({
      ...cursor,
      fill: undefined,
      settled: new Date(Math.max(Date.parse(fill.from), Math.min(Date.parse(fill.to), at - s.overlapMs))).toISOString(),
    });
    if (startMs >= Date.parse(fill.to)) return { posts: [], cursor: JSON.stringify(rest), more: true, ...(gap ? { gap } : {}) };
    const query: Record<string, string> = {
      query: withoutRetweets(`@${s.brandUsername}`),
      start_time: xTime(startMs),
      end_time: xTime(Date.parse(fill.to) + 999),
      max_results: '100',
      'tweet.fields': TWEET_FIELDS,
      'user.fields': USER_FIELDS,
      expansions: EXPANSIONS,
      ...(fill.next ? { next_token: fill.next } : {}),
    };
    let res;
    try {
      res = await clients.app.v2.get<Page>('tweets/search/recent', query, { fullResponse: true, timeout: s.timeoutMs });
    } catch (e) {
      throw toAdapterError(e, `${stream.name}: GET /2/tweets/search/recent (reading back what the mentions timeline no longer serves)`);
    }
    const users = new Map((res.data.includes?.users ?? []).map((u) => [u.id, u]));
    const posts = (res.data.data ?? [])
      .filter((t) => t.author_id !== brand && !isRetweet(t))
      .map((t) => normalizeTweet(t, t.author_id ? users.get(t.author_id) : undefined, brand));
    const next = res.data.meta?.next_token;
    // The span read so far is not lost on a restart: a later start is clamped to search's reach again.
    const newCursor = next ? drop({ ...cursor, fill: { from: new Date(startMs).toISOString(), to: fill.to, next, at: new Date(at).toISOString() } }) : rest;
    const rate = res.rateLimit;
    return {
      posts,
      cursor: JSON.stringify(newCursor),
      more: true,
      nextPollInMs: pace(stream.id, rate, true),
      ...(gap ? { gap } : {}),
      rateLimit: rate ? { remaining: rate.remaining, resetAt: new Date(rate.reset * 1000) } : undefined,
    };
  }

  return {
    platform: 'x',
    maxReplyLength: 280,
    // X weighs characters: an emoji or a CJK letter counts 2, every URL 23 (its t.co link). X's docs
    // point to twitter-text for the count; it implements their published configuration (v3).
    replyLength: (text) => twitterText.parseTweet(text).weightedLength,
    replyCounting: 'twitter-text',

    ...(s.user ? { webhook: xWebhook(s.user.appSecret, () => ensureBrand().catch(() => undefined)) } : {}),

    // X lets an account hide replies in conversations it started (PUT /2/tweets/:id/hidden); no deletes.
    ...(s.user
      ? {
          moderation: {
            actions: ['hide', 'unhide'] as const,
            everyPost: false,
            async apply(id: string, action: ModerationAction) {
              if (action === 'delete') throw new AdapterError('x', 'invalid', 'X lets no one delete another account’s post: hide the reply instead');
              try {
                await clients.user!.v2.put(`tweets/${id}/hidden`, { hidden: action === 'hide' }, { timeout: s.timeoutMs });
              } catch (e) {
                throw toAdapterError(e, `PUT /2/tweets/${id}/hidden`);
              }
            },
          },
        }
      : {}),

    async verify() {
      let id: string;
      try {
        id = await ensureBrand();
      } catch (e) {
        if (isAdapterError(e) && e.kind === 'auth')
          throw new AdapterError('x', 'auth', `X_BEARER_TOKEN was rejected by X (${e.message})`, undefined, { cause: e });
        throw e;
      }
      if (!clients.user) return { brandId: id, canReply: false };
      try {
        await clients.user.v2.get('users/me', {}, { timeout: s.timeoutMs });
      } catch (e) {
        const err = toAdapterError(e, 'checking the user-context credentials');
        if (err.kind === 'auth')
          throw new AdapterError('x', 'auth', `X_APP_KEY/X_APP_SECRET/X_ACCESS_TOKEN/X_ACCESS_SECRET were rejected by X (${err.message})`);
        throw err;
      }
      return { brandId: id, canReply: true };
    },

    async poll(stream: StreamRef, rawCursor: string | null): Promise<PollResult> {
      const cfg = XStreamConfig.safeParse(stream.config);
      if (!cfg.success)
        throw new AdapterError(
          'x',
          'invalid',
          `stream "${stream.name}": ${cfg.error.issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`).join('; ')}`,
        );
      const cursor: Cursor = rawCursor ? readCursor('x', stream.name, rawCursor, Cursor) : { v: 1 };
      const brand = await ensureBrand();
      if (cursor.fill) return fillFromSearch(stream, cursor, cursor.fill, brand);
      const runAt = cursor.next && cursor.runAt ? Date.parse(cursor.runAt) : now();
      const runFrom = cursor.next ? cursor.runFrom : cursor.from;
      const runSince = runFrom ? undefined : cursor.next ? cursor.runSince : (cursor.overlap ?? cursor.since);
      const query: Record<string, string> = { max_results: '100', 'tweet.fields': TWEET_FIELDS, 'user.fields': USER_FIELDS, expansions: EXPANSIONS };
      // Recent search reaches back seven days and refuses an older since_id (after an outage of a
      // week): then it starts from the oldest moment it still serves; what is older X no longer has.
      const searchFrom = now() - SEARCH_REACH_MS;
      if (runFrom) query.start_time = xTime(cfg.data.kind === 'search' ? Math.max(Date.parse(runFrom), searchFrom) : Date.parse(runFrom));
      else if (runSince && cfg.data.kind === 'search' && snowflakeTime(runSince) < searchFrom) query.start_time = xTime(searchFrom);
      else if (runSince) query.since_id = runSince;
      let path: string;
      if (cfg.data.kind === 'mentions') {
        // Without a user id the stream watches the configured brand account.
        path = `users/${cfg.data.userId ?? brand}/mentions`;
        if (cursor.next) query.pagination_token = cursor.next;
      } else {
        path = 'tweets/search/recent';
        query.query = withoutRetweets(cfg.data.query);
        if (cursor.next) query.next_token = cursor.next;
      }
      let res;
      try {
        res = await clients.app.v2.get<Page>(path, query, { fullResponse: true, timeout: s.timeoutMs });
      } catch (e) {
        throw toAdapterError(e, `${stream.name}: GET /2/${path}`);
      }
      const page = res.data;
      const users = new Map((page.includes?.users ?? []).map((u) => [u.id, u]));
      const tweets = page.data ?? [];
      const posts: NormalizedPost[] = [];
      for (const t of tweets) {
        // The brand's own tweets and plain retweets are never cases: not even stored.
        if (t.author_id === brand || isRetweet(t)) continue;
        posts.push(normalizeTweet(t, t.author_id ? users.get(t.author_id) : undefined, brand));
      }
      // The run's newest post comes first on its first page.
      const top = cursor.next ? cursor.top : (page.meta?.newest_id ?? tweets[0]?.id);
      const topAt = cursor.next ? cursor.topAt : tweets[0]?.created_at;
      const next = page.meta?.next_token;
      const n = (cursor.next ? (cursor.n ?? 0) : 0) + tweets.length;
      const oldest = tweets.at(-1)?.created_at;
      const low = cursor.next && cursor.low && (!oldest || Date.parse(cursor.low) < Date.parse(oldest)) ? cursor.low : (oldest ?? cursor.low);
      let gap: PollResult['gap'];
      let newCursor: Cursor;
      if (next) {
        if (!cursor.next) runsBegunHere.add(stream.id);
        newCursor = drop({
          v: 1,
          since: cursor.since,
          from: cursor.from,
          overlap: cursor.overlap,
          settled: cursor.settled,
          next,
          runSince,
          runFrom,
          runAt: new Date(runAt).toISOString(),
          top,
          topAt,
          n,
          low,
        });
      } else {
        // X serves only the newest 800 mentions, and indexes some late (older ids than posts already
        // served). A run reads back to its start (the overlap before the previous run's newest post)
        // unless it ends at that horizon first. Whatever lies between what is settled (on a fresh
        // stream: from when odziv began watching) and what the run reached has not been read late
        // enough: the brand's own mentions are read back from recent search (the handle, by time);
        // another account's cannot be, and the new posts missed are recorded as a gap.
        //
        // A run of several pages may also have lost its tail to the horizon: mentions that came in
        // while it paged (or while odziv was down mid-run) push the oldest out, and a next_token
        // past the horizon comes back short or empty. Suspect it when, at the rate its own posts
        // came in, the time it took could have brought half the room it had left under the horizon.
        const spanMs = topAt && low ? Math.max(1_000, Date.parse(topAt) - Date.parse(low)) : Infinity;
        const inflow = (n / spanMs) * (now() - runAt);
        // A run resumed after a restart was down for a time nobody measured: suspect it too.
        const maybeCut = Boolean(cursor.next) && (!runsBegunHere.has(stream.id) || inflow * 2 >= MENTIONS_HORIZON - n);
        runsBegunHere.delete(stream.id);
        const atHorizon = (n >= MENTIONS_HORIZON - 100 || maybeCut) && low !== undefined;
        const first = !cursor.since && !cursor.from && !cursor.overlap;
        const reachedFrom = atHorizon ? Date.parse(low) : runFrom ? Date.parse(runFrom) : undefined;
        const settledFrom = cursor.settled
          ? Date.parse(cursor.settled)
          : runFrom
            ? Date.parse(runFrom)
            : first && stream.createdAt
              ? stream.createdAt.getTime() - s.overlapMs
              : undefined;
        let fill: Cursor['fill'];
        let settled = cursor.settled;
        if (cfg.data.kind === 'mentions' && reachedFrom !== undefined && settledFrom !== undefined) {
          const own = !cfg.data.userId || cfg.data.userId === brand;
          if (reachedFrom > settledFrom + 1_000 && own) fill = { from: new Date(settledFrom).toISOString(), to: new Date(reachedFrom + 1_000).toISOString() };
          else {
            if (reachedFrom > settledFrom + 1_000 && runFrom && reachedFrom > Date.parse(runFrom) + s.overlapMs + 1_000) {
              gap = {
                from: new Date(Date.parse(runFrom) + s.overlapMs).toISOString(),
                to: low!,
                reason: `X serves only the newest ${MENTIONS_HORIZON} mentions; ${n} newer ones came in since the last poll`,
              };
            }
            settled = new Date(Math.max(settledFrom, runAt - s.overlapMs)).toISOString();
          }
        }
        // The overlap window starts at the newest post seen less the overlap, and stays there
        // through a quiet spell: it never shrinks to "since the last poll".
        const from = topAt ? new Date(Date.parse(topAt) - s.overlapMs).toISOString() : cursor.from;
        newCursor = drop({ v: 1, since: maxId(cursor.since, top), from, overlap: from ? undefined : cursor.overlap, settled, fill });
      }
      const rate = res.rateLimit;
      return {
        posts,
        cursor: JSON.stringify(newCursor),
        more: Boolean(next) || Boolean(newCursor.fill),
        nextPollInMs: pace(stream.id, rate, Boolean(next)),
        ...(gap ? { gap } : {}),
        rateLimit: rate ? { remaining: rate.remaining, resetAt: new Date(rate.reset * 1000) } : undefined,
      };
    },

    async reply(target: ReplyTarget, text: string, _key: string, o: { mayHaveBeenSent?: boolean } = {}): Promise<SentReply> {
      if (!clients.user) throw new AdapterError('x', 'auth', 'replies need X_APP_KEY, X_APP_SECRET, X_ACCESS_TOKEN and X_ACCESS_SECRET');
      if (o.mayHaveBeenSent) {
        // An earlier attempt may have posted before its answer was lost: look for our reply first.
        const conversation = target.conversationId ?? target.platformPostId;
        let found: { data?: TweetV2[] } | undefined;
        try {
          found = await clients.app.v2.get(
            'tweets/search/recent',
            { query: `conversation_id:${conversation} from:${s.brandUsername}`, max_results: '100', 'tweet.fields': 'referenced_tweets' },
            { timeout: s.timeoutMs },
          );
        } catch (e) {
          throw toAdapterError(e, 'looking for an earlier reply');
        }
        const same = (found?.data ?? []).find(
          (t) => t.referenced_tweets?.some((r) => r.type === 'replied_to' && r.id === target.platformPostId) && sameText(t.text, text),
        );
        if (same) return { platformReplyId: same.id, url: `https://x.com/${s.brandUsername}/status/${same.id}` };
      }
      try {
        const res = await clients.user.v2.post<{ data: { id: string } }>(
          'tweets',
          { text, reply: { in_reply_to_tweet_id: target.platformPostId } },
          { timeout: s.timeoutMs },
        );
        return { platformReplyId: res.data.id, url: `https://x.com/${s.brandUsername}/status/${res.data.id}` };
      } catch (e) {
        const err = toAdapterError(e, 'POST /2/tweets', true);
        // Search indexes a new post with a delay: when an earlier attempt went through but could not
        // be found yet, X refuses the repeat as duplicate content. That is the earlier attempt's
        // answer: it was posted. Look for it again on the next try instead of failing the reply.
        if (o.mayHaveBeenSent && err.kind === 'invalid' && /duplicate content/i.test(err.message)) {
          throw new AdapterError(
            'x',
            'unknown_outcome',
            'POST /2/tweets: X has this reply already (an earlier attempt went through); looking for it again shortly',
            60_000,
            { cause: e },
          );
        }
        throw err;
      }
    },

    async refreshMetrics(ids: string[]): Promise<MetricsRead> {
      // Lookups have their own window (small on the lower tiers): once it is spent, no request is
      // made until it resets, rather than a 429 every run.
      const out = new Map<string, EngagementMetrics>();
      const gone: string[] = [];
      for (let i = 0; i < ids.length; i += 100) {
        const t = now();
        if (t < lookupsResumeAt)
          throw new AdapterError(
            'x',
            'rate_limit',
            `GET /2/tweets: the lookup window is spent until ${new Date(lookupsResumeAt).toISOString()}`,
            lookupsResumeAt - t,
          );
        const chunk = ids.slice(i, i + 100);
        try {
          const res = await clients.app.v2.get<{ data?: TweetV2[]; errors?: LookupError[] }>(
            'tweets',
            { ids: chunk.join(','), 'tweet.fields': 'public_metrics' },
            { fullResponse: true, timeout: s.timeoutMs },
          );
          for (const tw of res.data.data ?? []) out.set(tw.id, metricsOf(tw));
          // Per-id problems come in `errors` with a 200: deleted, or the author went private or was suspended.
          for (const err of res.data.errors ?? [])
            if (err.resource_type === 'tweet' && GONE.test(err.type ?? '') && (err.resource_id ?? err.value)) gone.push(err.resource_id ?? err.value!);
          if (res.rateLimit?.remaining === 0 && res.rateLimit.reset) lookupsResumeAt = res.rateLimit.reset * 1000 + 1_000;
        } catch (e) {
          const err = toAdapterError(e, 'GET /2/tweets');
          if (err.kind === 'rate_limit' && err.retryAfterMs !== undefined) lookupsResumeAt = now() + err.retryAfterMs;
          throw err;
        }
      }
      return { metrics: out, gone };
    },

    async close() {
      clients.close();
    },
  };
}

/** X shortens links, may trim, and escapes &, < and > in what it returns: compare what is left. */
function sameText(fromX: string, ours: string): boolean {
  const norm = (t: string) =>
    t
      .replace(/https?:\/\/\S+/g, '')
      .replace(/\s+/g, ' ')
      .trim();
  return norm(unescapeTweetText(fromX)) === norm(ours);
}
