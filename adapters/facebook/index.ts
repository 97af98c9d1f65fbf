import { z } from 'zod';
import { AdapterError } from '../errors.ts';
import { createGraph, type GraphUsage, pauseForUsage } from '../meta/graph.ts';
import { metaModeration } from '../meta/moderation.ts';
import { metaPrivateReply } from '../meta/private-reply.ts';
import type { MetaSettings } from '../meta/settings.ts';
import { metaWebhook } from '../meta/webhook.ts';
import { readCursor, unreadablePost } from '../reading.ts';
import type { EngagementMetrics, MetricsRead, NormalizedPost, PlatformAdapter, PollResult, ReplyTarget, SentReply, StreamRef } from '../types.ts';
import { Comment, Engagement, engagementOf, FeedChange, normalizeComment, normalizeFeedChange, normalizePagePost, PagePost } from './map.ts';

/** Facebook's limit for a comment's text. */
const MAX_COMMENT = 8_000;
/** Posts whose comments are read per poll; the rest next poll (`more`). */
const POSTS_PER_POLL = 20;
const FEED_PAGES = 8;
const ADS_PAGES = 2;
/** Comments are re-read this far behind the newest seen: Graph indexes some a little late. */
const OVERLAP_MS = 5 * 60_000;
/** A post changed this close before its last read is read once more. */
const SETTLE_MS = 2_000;
const COMMENT_FIELDS = 'id,message,created_time,from{id,name},parent{id},permalink_url,like_count,comment_count,is_hidden';
const POST_FIELDS = 'id,message,created_time,updated_time,permalink_url,from{id,name}';

const StreamConfig = z.object({ kind: z.literal('page') });
/** Per Page post: its updated_time when last read (`u`), when that was (`r`), its newest comment's time (`c`). Never Meta's cursors. */
const Mark = z.object({ u: z.string(), r: z.number().optional(), c: z.string().optional() });
const Cursor = z.object({ v: z.literal(1), posts: z.record(z.string(), Mark) });

export interface FacebookAdapter extends PlatformAdapter {
  verify(): Promise<{ pageId: string; name: string }>;
}

const later = (a: string | undefined, b: string | undefined) => (!a ? b : !b ? a : Date.parse(a) >= Date.parse(b) ? a : b);

export function createFacebookAdapter(s: MetaSettings, opts: { now?: () => number } = {}): FacebookAdapter {
  const graph = createGraph({
    platform: 'facebook',
    baseUrl: s.baseUrl,
    token: s.pageToken,
    appSecret: s.appSecret,
    timeoutMs: s.timeoutMs,
    tokenVariable: 'META_PAGE_ACCESS_TOKEN',
    now: opts.now,
  });
  const now = graph.now;

  async function verify() {
    try {
      const page = (await graph.call('GET', `/${s.pageId}`, z.object({ id: z.string(), name: z.string() }), { fields: 'id,name' })).body;
      return { pageId: page.id, name: page.name };
    } catch (e) {
      if (e instanceof AdapterError && (e.kind === 'not_found' || e.kind === 'invalid'))
        throw new AdapterError('facebook', e.kind, `META_PAGE_ID: ${s.pageId} is not a Page this token can read (${e.message})`, undefined, { cause: e });
      throw e;
    }
  }

  /** A post's comments newest first, back to a little before the newest one read last time. */
  async function commentsOf(postId: string, mark: string | undefined, usage: GraphUsage[]) {
    const stopAt = mark ? Date.parse(mark) - OVERLAP_MS : -Infinity;
    const reachedMark = (data: unknown[]) => data.some((c) => Date.parse(String((c as { created_time?: unknown }).created_time)) < stopAt);
    const params = { fields: COMMENT_FIELDS, filter: 'stream', order: 'reverse_chronological', limit: '100' };
    const first = await graph.readAll(`/${postId}/comments`, params, { maxPages: 50, usage, enough: reachedMark });
    // A cursor whose comment was deleted meanwhile ends the paging early and quietly: a multi-page
    // read that came back short before the mark is read once more from the top.
    if (first.complete && first.shortEnd && !reachedMark(first.items)) {
      const again = await graph.readAll(`/${postId}/comments`, params, { maxPages: 50, usage, enough: reachedMark });
      const seen = new Set(first.items.map((c) => (c as { id?: unknown }).id));
      first.items.push(...again.items.filter((c) => !seen.has((c as { id?: unknown }).id)));
    }
    return first.items;
  }

  function readComment(raw: unknown, postId: string): NormalizedPost {
    const c = Comment.safeParse(raw);
    if (!c.success) return unreadablePost('facebook', raw, typeof (raw as { id?: unknown } | null)?.id === 'string' ? (raw as { id: string }).id : undefined);
    return normalizeComment(c.data, postId, s.pageId);
  }

  async function ownReplyUnder(on: string, text: string): Promise<SentReply | undefined> {
    const page = await graph.page(`/${on}/comments`, {
      fields: 'id,message,from{id},created_time,permalink_url',
      filter: 'stream',
      order: 'reverse_chronological',
      limit: '100',
    });
    for (const raw of page.data) {
      const c = Comment.safeParse(raw);
      if (c.success && c.data.from?.id === s.pageId && (c.data.message ?? '').trim() === text.trim())
        return { platformReplyId: c.data.id, url: c.data.permalink_url };
    }
    return undefined;
  }

  const webhook = metaWebhook({
    appSecret: s.appSecret,
    verifyToken: s.verifyToken,
    object: 'page',
    accountId: s.pageId,
    async read(d) {
      const posts: NormalizedPost[] = [];
      const gone: string[] = [];
      for (const entry of d.entry) {
        for (const change of entry.changes ?? []) {
          if (change.field !== 'feed') continue;
          const v = FeedChange.safeParse(change.value);
          if (!v.success) {
            posts.push(unreadablePost('facebook', change.value, undefined));
            continue;
          }
          if (v.data.verb === 'remove') {
            const id = v.data.item === 'comment' ? v.data.comment_id : v.data.post_id;
            if (id) gone.push(id);
            continue;
          }
          if (v.data.verb !== 'add' && v.data.verb !== 'edited') continue; // hide / unhide: the brand's own doing
          const post = normalizeFeedChange(v.data, s.pageId, entry.time);
          if (post) posts.push(post);
        }
      }
      return { posts, gone };
    },
  });

  return {
    platform: 'facebook',
    maxReplyLength: MAX_COMMENT,
    verify,
    webhook,

    async poll(stream: StreamRef, cursor: string | null): Promise<PollResult> {
      if (!StreamConfig.safeParse(stream.config).success) throw new AdapterError('facebook', 'invalid', `stream "${stream.name}": expected {"kind": "page"}`);
      const marks = cursor === null ? {} : readCursor('facebook', stream.name, cursor, Cursor).posts;
      const since = now() - s.lookbackMs;
      const usage: GraphUsage[] = [];
      const old = (data: unknown[]) => data.every((p) => Date.parse(String((p as { created_time?: unknown }).created_time)) < since);
      const feed = await graph.readAll(`/${s.pageId}/feed`, { fields: POST_FIELDS, limit: '25' }, { maxPages: FEED_PAGES, usage, enough: old });
      // Comments on ads live under their ad posts, which the feed does not list.
      let ads: unknown[] = [];
      try {
        ads = (
          await graph.readAll(
            `/${s.pageId}/ads_posts`,
            { fields: POST_FIELDS, limit: '25', include_inline_create: 'true' },
            { maxPages: ADS_PAGES, usage, enough: old },
          )
        ).items;
      } catch (e) {
        if (!(e instanceof AdapterError && (e.kind === 'auth' || e.kind === 'invalid' || e.kind === 'not_found'))) throw e;
      }
      const readAt = now();
      const out: NormalizedPost[] = [];
      const recent: PagePost[] = [];
      for (const raw of [...feed.items, ...ads]) {
        const p = PagePost.safeParse(raw);
        if (!p.success) {
          out.push(unreadablePost('facebook', raw, typeof (raw as { id?: unknown } | null)?.id === 'string' ? (raw as { id: string }).id : undefined));
          continue;
        }
        if (Date.parse(p.data.updated_time ?? p.data.created_time) < since) continue;
        if (!recent.some((r) => r.id === p.data.id)) recent.push(p.data);
      }
      // Posts that changed since they were read (a new comment moves updated_time), newest change
      // first; then those whose change fell within a few seconds of the last read: Graph's times
      // have whole seconds, so a comment in the same second as the read leaves updated_time equal
      // (longest unread first, so none starves).
      const updated = (p: PagePost) => p.updated_time ?? p.created_time;
      const moved = recent.filter((p) => marks[p.id]?.u !== updated(p)).sort((a, b) => Date.parse(updated(b)) - Date.parse(updated(a)));
      const settling = recent
        .filter((p) => marks[p.id]?.u === updated(p) && Date.parse(updated(p)) >= (marks[p.id]?.r ?? 0) - SETTLE_MS)
        .sort((a, b) => (marks[a.id]?.r ?? 0) - (marks[b.id]?.r ?? 0));
      const reading = [...moved, ...settling].slice(0, POSTS_PER_POLL);
      const next: z.infer<typeof Cursor>['posts'] = {};
      for (const p of recent) if (marks[p.id]) next[p.id] = marks[p.id]!;
      for (const p of reading) {
        // A visitor's post is a customer's words; the brand's own posts are only the comments' context.
        if (p.from && p.from.id !== s.pageId) out.push(normalizePagePost(p, s.pageId));
        const comments = await commentsOf(p.id, marks[p.id]?.c, usage);
        let newest = marks[p.id]?.c;
        for (const raw of comments) {
          const post = readComment(raw, p.id);
          out.push(post);
          if (post.postedAt instanceof Date && !Number.isNaN(post.postedAt.getTime())) newest = later(newest, post.postedAt.toISOString());
        }
        next[p.id] = { u: updated(p), r: readAt, ...(newest ? { c: newest } : {}) };
      }
      const pause = pauseForUsage(usage);
      return {
        posts: out.sort((a, b) => (a.postedAt?.getTime?.() ?? 0) - (b.postedAt?.getTime?.() ?? 0)),
        cursor: JSON.stringify({ v: 1, posts: next }),
        more: moved.length > POSTS_PER_POLL && pause === undefined,
        // Webhooks bring comments at once; the poll reconciles (META_POLL_INTERVAL_SEC), sparing the Page's budget.
        ...(pause !== undefined ? { nextPollInMs: pause } : moved.length > POSTS_PER_POLL ? {} : { nextPollInMs: s.pollIntervalMs }),
      };
    },

    async reply(target: ReplyTarget, text: string, _key: string, o: { mayHaveBeenSent?: boolean } = {}): Promise<SentReply> {
      // Under the top-level comment (or the visitor's post): Facebook nests one level.
      const on = target.conversationId ?? target.platformPostId;
      // Graph takes no idempotency key: after an unknown outcome, look for the Page's own reply first.
      if (o.mayHaveBeenSent) {
        const earlier = await ownReplyUnder(on, text);
        if (earlier) return earlier;
      }
      const sent = await graph.call('POST', `/${on}/comments`, z.object({ id: z.string() }), { message: text });
      return { platformReplyId: sent.body.id, url: `https://www.facebook.com/${sent.body.id.split('_')[0]}?comment_id=${sent.body.id.split('_').at(-1)}` };
    },

    privateReply: metaPrivateReply(graph, { platform: 'facebook', pageId: s.pageId, maxLength: 2_000 }),

    moderation: metaModeration(graph, 'is_hidden'),

    async refreshMetrics(platformPostIds: string[]): Promise<MetricsRead> {
      const metrics = new Map<string, EngagementMetrics>();
      const gone: string[] = [];
      const fields = 'id,reactions.limit(0).summary(total_count),comments.limit(0).summary(total_count)';
      for (let i = 0; i < platformPostIds.length; i += 50) {
        const ids = platformPostIds.slice(i, i + 50);
        try {
          const got = await graph.call('GET', '/', z.record(z.string(), z.unknown()), { ids: ids.join(','), fields });
          for (const [id, raw] of Object.entries(got.body)) {
            const e = Engagement.safeParse(raw);
            if (e.success) metrics.set(id, engagementOf(e.data));
          }
        } catch (e) {
          // Graph refuses the whole list when one id is gone: ask one by one, and learn which.
          if (!(e instanceof AdapterError && (e.kind === 'invalid' || e.kind === 'not_found'))) throw e;
          for (const id of ids) {
            try {
              const one = await graph.call('GET', `/${id}`, Engagement, { fields });
              metrics.set(id, engagementOf(one.body));
            } catch (err) {
              // Only "does not exist" (#100/33) is gone; any other refusal of one object leaves it as it was.
              if (err instanceof AdapterError && err.kind === 'not_found') gone.push(id);
              else if (!(err instanceof AdapterError && err.kind === 'invalid')) throw err;
            }
          }
        }
      }
      return { metrics, gone };
    },
  };
}
