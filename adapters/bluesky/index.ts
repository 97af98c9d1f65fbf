import { z } from 'zod';
import { AdapterError, networkMessage } from '../errors.ts';
import { readCursor, unreadablePost } from '../reading.ts';
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
import { blueskyLength, linkFacets, metricsOf, Notification, normalizeNotification, PostRecord, PostView, rkeyFor, webUrl } from './map.ts';
import type { BlueskySettings } from './settings.ts';

export type { BlueskySettings } from './settings.ts';

/**
 * Bluesky through XRPC (plain HTTP and JSON) with fetch. Not @atproto/api: its current releases
 * need Node 22 (odziv runs on 20), and it hides the rate-limit headers the adapter paces itself by.
 */
const PAGE = 50;
/** A new stream reads back this many pages (200 notifications); a poll at most RUN_PAGES before it stores a position. */
const BACKFILL_PAGES = 4;
const RUN_PAGES = 10;
const LIMIT = 300;
const REASONS = ['mention', 'reply', 'quote'];

/** What a stream reads: the brand account's notifications, or a search of all posts (newest first). */
const StreamConfig = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('notifications') }),
  z.object({ kind: z.literal('search'), q: z.string().min(1).max(300) }),
]);
type StreamConfig = z.infer<typeof StreamConfig>;

/**
 * Where a stream stands. Notifications come newest first, paged towards older ones, so a poll reads
 * down to the newest one it stored (`since`, with the posts `seen` at that instant). A burst longer
 * than a poll's pages keeps its place in `run` (the page to go on from, and the run's newest), so
 * nothing between is skipped.
 */
const Cursor = z.object({
  v: z.literal(1),
  since: z.string().optional(),
  seen: z.array(z.string()).default([]),
  run: z.object({ next: z.string(), top: z.string(), topSeen: z.array(z.string()) }).optional(),
});
type Cursor = z.infer<typeof Cursor>;

export interface BlueskyAdapter extends PlatformAdapter {
  /** Signs in at start-up; the brand account's DID. */
  verify(): Promise<{ did: string; handle: string }>;
}

interface Session {
  accessJwt: string;
  refreshJwt: string;
  did: string;
  handle: string;
}
const SessionSchema = z.object({ accessJwt: z.string(), refreshJwt: z.string(), did: z.string(), handle: z.string() });

export function createBlueskyAdapter(s: BlueskySettings, opts: { now?: () => number } = {}): BlueskyAdapter {
  const now = opts.now ?? Date.now;
  let session: Session | undefined;

  async function xrpc<T>(
    method: 'GET' | 'POST',
    nsid: string,
    schema: z.ZodType<T>,
    o: { query?: URLSearchParams; body?: unknown; token?: string } = {},
  ): Promise<{ body: T; remaining?: number; resetAt?: Date }> {
    const url = `${s.service}/xrpc/${nsid}${o.query && [...o.query].length ? `?${o.query}` : ''}`;
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: {
          accept: 'application/json',
          ...(o.token ? { authorization: `Bearer ${o.token}` } : {}),
          ...(o.body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        body: o.body === undefined ? undefined : JSON.stringify(o.body),
        signal: AbortSignal.timeout(s.timeoutMs),
      });
    } catch (e) {
      const timedOut = (e as Error).name === 'TimeoutError';
      // A write whose connection broke, by time-out or reset, may have been made: its outcome is unknown.
      throw new AdapterError(
        'bluesky',
        method === 'POST' && nsid.startsWith('com.atproto.repo.') ? 'unknown_outcome' : 'network',
        `${nsid}: ${timedOut ? `no answer within ${s.timeoutMs} ms` : networkMessage(e)}`,
        undefined,
        { cause: e },
      );
    }
    const remaining = res.headers.has('ratelimit-remaining') ? Number(res.headers.get('ratelimit-remaining')) : undefined;
    const resetSec = Number(res.headers.get('ratelimit-reset'));
    const resetAt = res.headers.has('ratelimit-reset') && Number.isFinite(resetSec) ? new Date(resetSec * 1000) : undefined;
    const text = await res.text();
    if (!res.ok) {
      // XRPC errors are {"error": "Name", "message": "…"}.
      let name = '';
      let said = text.slice(0, 300);
      try {
        const e = JSON.parse(text) as { error?: unknown; message?: unknown };
        name = typeof e.error === 'string' ? e.error : '';
        said = [name, typeof e.message === 'string' ? e.message : ''].filter(Boolean).join(': ').slice(0, 300);
      } catch {
        // Not JSON (a proxy's page): its first words will do.
      }
      const what = `${nsid}: ${res.status} ${said}`;
      if (res.status === 429) throw new AdapterError('bluesky', 'rate_limit', what, Math.max(1_000, (resetAt?.getTime() ?? now() + 60_000) - now()));
      if (name === 'ExpiredToken' || name === 'InvalidToken' || res.status === 401) throw new AdapterError('bluesky', 'auth', what);
      if (res.status === 403) throw new AdapterError('bluesky', 'auth', what);
      if (res.status === 404 || name === 'RecordNotFound' || name === 'NotFound') throw new AdapterError('bluesky', 'not_found', what);
      if (res.status >= 500) throw new AdapterError('bluesky', 'server', what);
      throw new AdapterError('bluesky', 'invalid', what);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new AdapterError('bluesky', 'server', `${nsid}: the answer is not JSON`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success)
      throw new AdapterError(
        'bluesky',
        'server',
        `${nsid}: unexpected answer (${parsed.error.issues
          .slice(0, 3)
          .map((i) => `${i.path.join('.') || 'body'}: ${i.message}`)
          .join('; ')})`,
      );
    return { body: parsed.data, remaining, resetAt };
  }

  async function signIn(): Promise<Session> {
    session = (await xrpc('POST', 'com.atproto.server.createSession', SessionSchema, { body: { identifier: s.handle, password: s.appPassword } })).body;
    return session;
  }

  /** A call as the brand: an expired access token is refreshed (or the session made again) once. */
  async function authed<T>(method: 'GET' | 'POST', nsid: string, schema: z.ZodType<T>, o: { query?: URLSearchParams; body?: unknown } = {}) {
    const current = session ?? (await signIn());
    try {
      return await xrpc(method, nsid, schema, { ...o, token: current.accessJwt });
    } catch (e) {
      if (!(e instanceof AdapterError && e.kind === 'auth' && /ExpiredToken|InvalidToken|401/.test(e.message))) throw e;
      try {
        session = (await xrpc('POST', 'com.atproto.server.refreshSession', SessionSchema, { token: current.refreshJwt })).body;
      } catch {
        await signIn();
      }
      return xrpc(method, nsid, schema, { ...o, token: session!.accessJwt });
    }
  }

  const NotificationPage = z.object({ notifications: z.array(z.unknown()), cursor: z.string().nullish() });
  const SearchPage = z.object({ posts: z.array(z.unknown()), cursor: z.string().nullish() });
  const SearchHit = PostView.extend({ indexedAt: z.string() });
  /**
   * One page, newest first, as notifications: a search hit reads as one (reason "search"), so both
   * streams share the reading down to the last stored post.
   */
  async function readPage(source: StreamConfig, cursor?: string): Promise<{ items: unknown[]; cursor?: string; remaining?: number; resetAt?: Date }> {
    const paging: Array<[string, string]> = [['limit', String(PAGE)], ...(cursor ? [['cursor', cursor] as [string, string]] : [])];
    if (source.kind === 'notifications') {
      const r = await authed('GET', 'app.bsky.notification.listNotifications', NotificationPage, {
        query: new URLSearchParams([...paging, ...REASONS.map((x): [string, string] => ['reasons', x])]),
      });
      return { items: r.body.notifications, cursor: r.body.cursor ?? undefined, remaining: r.remaining, resetAt: r.resetAt };
    }
    const r = await authed('GET', 'app.bsky.feed.searchPosts', SearchPage, { query: new URLSearchParams([...paging, ['q', source.q], ['sort', 'latest']]) });
    const items = r.body.posts.map((p) => {
      const hit = SearchHit.safeParse(p);
      return hit.success
        ? { uri: hit.data.uri, cid: hit.data.cid, author: hit.data.author, reason: 'search', record: hit.data.record, indexedAt: hit.data.indexedAt }
        : p;
    });
    return { items, cursor: r.body.cursor ?? undefined, remaining: r.remaining, resetAt: r.resetAt };
  }

  /** The posts as returned, and the addresses the answer named at all (an odd entry is not "gone"). */
  async function getPosts(uris: string[]): Promise<{ posts: PostView[]; named: Set<string> }> {
    const r = await authed('GET', 'app.bsky.feed.getPosts', z.object({ posts: z.array(z.unknown()) }), {
      query: new URLSearchParams(uris.map((u): [string, string] => ['uris', u])),
    });
    const posts = r.body.posts
      .map((p) => PostView.safeParse(p))
      .filter((p) => p.success)
      .map((p) => p.data);
    const named = new Set(r.body.posts.map((p) => (p as { uri?: unknown } | null)?.uri).filter((u): u is string => typeof u === 'string'));
    return { posts, named };
  }

  return {
    platform: 'bluesky',
    maxReplyLength: LIMIT,
    replyLength: blueskyLength,
    async verify() {
      try {
        const me = await signIn();
        return { did: me.did, handle: me.handle };
      } catch (e) {
        if (!(e instanceof AdapterError)) throw e;
        if (e.kind === 'auth')
          throw new AdapterError('bluesky', 'auth', `BLUESKY_APP_PASSWORD was refused for ${s.handle} by ${s.service} (${e.message})`, undefined, { cause: e });
        if (e.kind === 'not_found' || e.kind === 'invalid')
          throw new AdapterError('bluesky', e.kind, `BLUESKY_SERVICE: ${s.service} does not answer as a Bluesky server (${e.message})`, undefined, {
            cause: e,
          });
        throw e;
      }
    },

    async poll(stream: StreamRef, cursor: string | null): Promise<PollResult> {
      const source = StreamConfig.safeParse(stream.config);
      if (!source.success)
        throw new AdapterError('bluesky', 'invalid', `stream "${stream.name}": expected {"kind": "notifications"} or {"kind": "search", "q": "…"}`);
      const c: Cursor = cursor === null ? { v: 1, seen: [] } : readCursor('bluesky', stream.name, cursor, Cursor);
      const me = session ?? (await signIn());
      const since = c.since ? Date.parse(c.since) : undefined;
      // Older than the newest stored: the rest is read. At that same instant, only what was seen is.
      const older = (n: { indexedAt: string }) => since !== undefined && Date.parse(n.indexedAt) < since;
      const seenAlready = (n: { uri: string; indexedAt: string }) => since !== undefined && Date.parse(n.indexedAt) === since && c.seen.includes(n.uri);
      const items: unknown[] = [];
      let next = c.run?.next;
      let reached = false;
      let last: Awaited<ReturnType<typeof readPage>> | undefined;
      const pages = c.since || c.run ? RUN_PAGES : BACKFILL_PAGES;
      for (let i = 0; i < pages && !reached; i++) {
        last = await readPage(source.data, next);
        for (const item of last.items) {
          const n = Notification.safeParse(item);
          if (n.success && older(n.data)) {
            reached = true;
            break;
          }
          if (!(n.success && seenAlready(n.data))) items.push(item);
        }
        next = last.cursor;
        if (!next || last.items.length < PAGE) reached = true;
      }
      // A new stream stops after its backfill: what is older is history, not the queue.
      if (!c.since && !c.run) reached = true;
      const dated = items
        .map((i) => Notification.safeParse(i))
        .filter((n) => n.success)
        .map((n) => n.data);
      const newestAt = c.run?.top ?? dated[0]?.indexedAt;
      const atNewest = (at: string | undefined) => (at ? dated.filter((n) => n.indexedAt === at).map((n) => n.uri) : []);
      const top = newestAt ?? c.since;
      const topSeen = c.run ? c.run.topSeen : !newestAt ? c.seen : newestAt === c.since ? [...new Set([...c.seen, ...atNewest(newestAt)])] : atNewest(newestAt);
      const nextCursor: Cursor = reached
        ? { v: 1, since: top, seen: topSeen }
        : { v: 1, since: c.since, seen: c.seen, run: { next: next!, top: top!, topSeen } };

      const posts: NormalizedPost[] = [];
      for (const item of items) {
        const n = Notification.safeParse(item);
        const post = n.success ? normalizeNotification(n.data, me.did) : undefined;
        if (post) posts.push(post);
        else {
          const uri = (item as { uri?: unknown } | null)?.uri;
          posts.push(unreadablePost('bluesky', item, typeof uri === 'string' ? uri : undefined));
        }
      }
      const starved = last?.remaining !== undefined && last.remaining < 5 && last.resetAt && last.resetAt.getTime() > now();
      return {
        posts: posts.reverse(),
        cursor: JSON.stringify(nextCursor),
        more: !reached && !starved,
        rateLimit: { remaining: last?.remaining, resetAt: last?.resetAt },
        ...(starved ? { nextPollInMs: last!.resetAt!.getTime() - now() } : {}),
      };
    },

    async reply(target: ReplyTarget, text: string, idempotencyKey: string, o: { mayHaveBeenSent?: boolean } = {}): Promise<SentReply> {
      const me = session ?? (await signIn());
      const rkey = rkeyFor(idempotencyKey);
      const mine = { uri: `at://${me.did}/app.bsky.feed.post/${rkey}`, url: webUrl(`at://${me.did}/app.bsky.feed.post/${rkey}`, me.handle) };
      const earlier = async () => {
        try {
          await authed('GET', 'com.atproto.repo.getRecord', z.object({ uri: z.string() }), {
            query: new URLSearchParams({ repo: me.did, collection: 'app.bsky.feed.post', rkey }),
          });
          return true;
        } catch (e) {
          if (e instanceof AdapterError && e.kind === 'not_found') return false;
          throw e;
        }
      };
      if (o.mayHaveBeenSent && (await earlier())) return { platformReplyId: mine.uri, url: mine.url };
      const [parent] = (await getPosts([target.platformPostId])).posts;
      if (!parent) throw new AdapterError('bluesky', 'not_found', `the post ${target.platformPostId} is gone`);
      const parentRecord = PostRecord.safeParse(parent.record);
      const root = parentRecord.success && parentRecord.data.reply ? parentRecord.data.reply.root : { uri: parent.uri, cid: parent.cid };
      const facets = linkFacets(text);
      const record = {
        $type: 'app.bsky.feed.post',
        text,
        createdAt: new Date(now()).toISOString(),
        reply: { root, parent: { uri: parent.uri, cid: parent.cid } },
        ...(facets.length ? { facets } : {}),
      };
      try {
        await authed('POST', 'com.atproto.repo.createRecord', z.object({ uri: z.string(), cid: z.string() }), {
          body: { repo: me.did, collection: 'app.bsky.feed.post', rkey, record },
        });
      } catch (e) {
        // The same key written before: that earlier reply is this one.
        if (e instanceof AdapterError && e.kind === 'invalid' && (await earlier())) return { platformReplyId: mine.uri, url: mine.url };
        throw e;
      }
      return { platformReplyId: mine.uri, url: mine.url };
    },

    /**
     * Bluesky lets the author of a thread hide replies in it (the thread's threadgate record,
     * `hiddenReplies`): so the brand hides a reply in a thread it started, and nothing else. No one
     * deletes another account's post.
     */
    moderation: {
      actions: ['hide', 'unhide'],
      everyPost: false,
      async apply(uri: string, action: ModerationAction): Promise<void> {
        if (action === 'delete')
          throw new AdapterError(
            'bluesky',
            'invalid',
            'Bluesky lets no one delete another account’s post: hide it instead (a reply in a thread the brand started)',
          );
        const me = session ?? (await signIn());
        const [post] = (await getPosts([uri])).posts;
        if (!post) throw new AdapterError('bluesky', 'not_found', `the post ${uri} is gone`);
        const root = PostRecord.safeParse(post.record).data?.reply?.root.uri;
        const ownRoot = `at://${me.did}/app.bsky.feed.post/`;
        if (!root?.startsWith(ownRoot))
          throw new AdapterError('bluesky', 'invalid', 'Bluesky hides a reply only in a thread the brand started (its threadgate); this post is not one');
        const rkey = root.slice(ownRoot.length);
        const Gate = z.object({
          value: z
            .object({ createdAt: z.string().optional(), allow: z.array(z.unknown()).optional(), hiddenReplies: z.array(z.string()).optional() })
            .passthrough(),
        });
        let gate: z.infer<typeof Gate>['value'] | undefined;
        try {
          gate = (
            await authed('GET', 'com.atproto.repo.getRecord', Gate, {
              query: new URLSearchParams({ repo: me.did, collection: 'app.bsky.feed.threadgate', rkey }),
            })
          ).body.value;
        } catch (e) {
          if (!(e instanceof AdapterError && e.kind === 'not_found')) throw e;
        }
        const hidden = new Set(gate?.hiddenReplies ?? []);
        if (action === 'hide') hidden.add(uri);
        else hidden.delete(uri);
        // Bluesky keeps at most 300 hidden replies a thread.
        if (hidden.size > 300) throw new AdapterError('bluesky', 'invalid', 'this thread already hides the 300 replies Bluesky allows');
        // Who may reply (`allow`) is kept as the brand set it; absent, anyone may.
        const record = {
          ...gate,
          $type: 'app.bsky.feed.threadgate',
          post: root,
          createdAt: gate?.createdAt ?? new Date(now()).toISOString(),
          hiddenReplies: [...hidden],
        };
        await authed('POST', 'com.atproto.repo.putRecord', z.object({ uri: z.string(), cid: z.string() }), {
          body: { repo: me.did, collection: 'app.bsky.feed.threadgate', rkey, record },
        });
      },
    },

    async refreshMetrics(platformPostIds: string[]): Promise<MetricsRead> {
      const metrics = new Map<string, EngagementMetrics>();
      const gone: string[] = [];
      for (let i = 0; i < platformPostIds.length; i += 25) {
        const uris = platformPostIds.slice(i, i + 25);
        const got = await getPosts(uris);
        for (const p of got.posts) metrics.set(p.uri, metricsOf(p));
        // A post getPosts does not return is deleted, or hidden from the brand.
        for (const u of uris) if (!got.named.has(u)) gone.push(u);
      }
      return { metrics, gone };
    },
  };
}
