import { z } from 'zod';
import { AdapterError } from '../errors.ts';
import { createGraph, type GraphUsage, pauseForUsage } from '../meta/graph.ts';
import { metaModeration } from '../meta/moderation.ts';
import { metaPrivateReply } from '../meta/private-reply.ts';
import type { MetaSettings } from '../meta/settings.ts';
import { metaWebhook } from '../meta/webhook.ts';
import { readCursor, unreadablePost } from '../reading.ts';
import type { EngagementMetrics, MetricsRead, NormalizedPost, PlatformAdapter, PollResult, ReplyTarget, SentReply, StreamRef } from '../types.ts';
import { Comment, CommentChange, MENTION_PREFIX, Media, MentionChange, normalizeComment } from './map.ts';

/** Instagram's limit for a comment (a caption's too). */
const MAX_COMMENT = 2_200;
const MEDIA_PER_POLL = 20;
const MEDIA_PAGES = 8;
const FIELDS = 'id,text,timestamp,username,from{id,username},like_count,hidden,parent_id';
const COMMENT_FIELDS = `${FIELDS},replies{${FIELDS}}`;

const StreamConfig = z.object({ kind: z.literal('media') });
/** Per media: the comment count when last read. Never Meta's cursors. */
const Cursor = z.object({ v: z.literal(1), media: z.record(z.string(), z.object({ n: z.number().int().nonnegative() })) });
const idOf = (raw: unknown) => (typeof (raw as { id?: unknown } | null)?.id === 'string' ? (raw as { id: string }).id : undefined);

export interface InstagramAdapter extends PlatformAdapter {
  verify(): Promise<{ igUserId: string; username: string }>;
}

export function createInstagramAdapter(s: MetaSettings & { igUserId: string }, opts: { now?: () => number } = {}): InstagramAdapter {
  const graph = createGraph({
    platform: 'instagram',
    baseUrl: s.baseUrl,
    token: s.pageToken,
    appSecret: s.appSecret,
    timeoutMs: s.timeoutMs,
    tokenVariable: 'META_PAGE_ACCESS_TOKEN',
    now: opts.now,
  });
  const now = graph.now;
  let username: string | undefined;

  async function verify() {
    try {
      const me = (await graph.call('GET', `/${s.igUserId}`, z.object({ id: z.string(), username: z.string() }), { fields: 'id,username' })).body;
      username = me.username;
      return { igUserId: me.id, username: me.username };
    } catch (e) {
      if (e instanceof AdapterError && (e.kind === 'not_found' || e.kind === 'invalid'))
        throw new AdapterError(
          'instagram',
          e.kind,
          `META_IG_USER_ID: ${s.igUserId} is not an Instagram account this Page token can read (${e.message})`,
          undefined,
          { cause: e },
        );
      throw e;
    }
  }
  const ensureUsername = async () => username ?? (await verify()).username;

  /** A media's comments and every reply: the first page of replies comes with each comment, the rest by /{comment-id}/replies. */
  async function commentsOf(m: Media, brand: string | undefined, usage: GraphUsage[]): Promise<NormalizedPost[]> {
    const out: NormalizedPost[] = [];
    for (const raw of (await graph.readAll(`/${m.id}/comments`, { fields: COMMENT_FIELDS, limit: '50' }, { maxPages: 100, usage })).items) {
      const c = Comment.safeParse(raw);
      if (!c.success) {
        out.push(unreadablePost('instagram', raw, idOf(raw)));
        continue;
      }
      out.push(normalizeComment(c.data, m.id, m.permalink, s.igUserId, brand));
      let replies = c.data.replies?.data ?? [];
      if (c.data.replies?.paging?.next)
        replies = (await graph.readAll(`/${c.data.id}/replies`, { fields: FIELDS, limit: '50' }, { maxPages: 100, usage })).items;
      for (const r of replies) {
        const reply = Comment.safeParse(r);
        out.push(
          reply.success
            ? normalizeComment({ ...reply.data, parent_id: reply.data.parent_id ?? c.data.id }, m.id, m.permalink, s.igUserId, brand)
            : unreadablePost('instagram', r, idOf(r)),
        );
      }
    }
    return out;
  }

  /** The comment or caption a `mentions` change points at, asked of Graph (the change carries only ids). */
  async function mentioned(v: z.infer<typeof MentionChange>, brand: string | undefined): Promise<NormalizedPost | undefined> {
    if (v.comment_id) {
      const got = await graph.call('GET', `/${s.igUserId}`, z.object({ mentioned_comment: z.unknown().optional() }), {
        fields: `mentioned_comment.comment_id(${v.comment_id}){${FIELDS},media{id,permalink}}`,
      });
      const c = Comment.safeParse(got.body.mentioned_comment);
      if (!c.success) return got.body.mentioned_comment === undefined ? undefined : unreadablePost('instagram', got.body.mentioned_comment, v.comment_id);
      return normalizeComment(c.data, v.media_id, c.data.media?.permalink, s.igUserId, brand, true);
    }
    const got = await graph.call('GET', `/${s.igUserId}`, z.object({ mentioned_media: z.unknown().optional() }), {
      fields: `mentioned_media.media_id(${v.media_id}){id,caption,timestamp,username,permalink}`,
    });
    const m = Media.extend({ username: z.string().optional() }).safeParse(got.body.mentioned_media);
    if (!m.success) return got.body.mentioned_media === undefined ? undefined : unreadablePost('instagram', got.body.mentioned_media, v.media_id);
    return normalizeComment(
      { id: m.data.id, text: m.data.caption, timestamp: m.data.timestamp, username: m.data.username },
      v.media_id,
      m.data.permalink,
      s.igUserId,
      brand,
      true,
    );
  }

  const webhook = metaWebhook({
    appSecret: s.appSecret,
    verifyToken: s.verifyToken,
    object: 'instagram',
    accountId: s.igUserId,
    async read(d) {
      const brand = await ensureUsername();
      const posts: NormalizedPost[] = [];
      for (const entry of d.entry) {
        for (const change of entry.changes ?? []) {
          if (change.field === 'comments' || change.field === 'live_comments') {
            const v = CommentChange.safeParse(change.value);
            if (!v.success) {
              posts.push(unreadablePost('instagram', change.value, idOf(change.value)));
              continue;
            }
            const at = new Date((entry.time ?? now() / 1000) * 1000).toISOString();
            posts.push(
              normalizeComment(
                { id: v.data.id, text: v.data.text, timestamp: at, from: v.data.from, parent_id: v.data.parent_id },
                v.data.media?.id ?? '',
                undefined,
                s.igUserId,
                brand,
              ),
            );
          } else if (change.field === 'mentions') {
            const v = MentionChange.safeParse(change.value);
            const post = v.success ? await mentioned(v.data, brand) : unreadablePost('instagram', change.value, undefined);
            if (post) posts.push(post);
          }
        }
      }
      return { posts, gone: [] };
    },
  });

  async function ownReplyUnder(top: string, text: string): Promise<SentReply | undefined> {
    const page = await graph.page(`/${top}/replies`, { fields: FIELDS, limit: '50' });
    const brand = await ensureUsername();
    for (const raw of page.data) {
      const c = Comment.safeParse(raw);
      const mine = c.success && (c.data.from?.id === s.igUserId || (c.data.username ?? c.data.from?.username ?? '').toLowerCase() === brand.toLowerCase());
      if (c.success && mine && (c.data.text ?? '').trim() === text.trim()) return { platformReplyId: c.data.id };
    }
    return undefined;
  }

  return {
    platform: 'instagram',
    maxReplyLength: MAX_COMMENT,
    verify,
    webhook,

    async poll(stream: StreamRef, cursor: string | null): Promise<PollResult> {
      if (!StreamConfig.safeParse(stream.config).success) throw new AdapterError('instagram', 'invalid', `stream "${stream.name}": expected {"kind": "media"}`);
      const marks = cursor === null ? {} : readCursor('instagram', stream.name, cursor, Cursor).media;
      const brand = await ensureUsername();
      const since = now() - s.lookbackMs;
      const usage: GraphUsage[] = [];
      const old = (data: unknown[]) => data.every((m) => Date.parse(String((m as { timestamp?: unknown }).timestamp)) < since);
      const listed = (
        await graph.readAll(
          `/${s.igUserId}/media`,
          { fields: 'id,caption,timestamp,permalink,comments_count,like_count', limit: '25' },
          { maxPages: MEDIA_PAGES, usage, enough: old },
        )
      ).items;
      const out: NormalizedPost[] = [];
      const recent: Media[] = [];
      for (const raw of listed) {
        const m = Media.safeParse(raw);
        if (!m.success) out.push(unreadablePost('instagram', raw, idOf(raw)));
        else if (Date.parse(m.data.timestamp) >= since) recent.push(m.data);
      }
      // A media whose count moved; one comment deleted and one added leave it equal, which the webhook covers.
      const changed = recent.filter((m) => marks[m.id]?.n !== (m.comments_count ?? 0));
      const reading = changed.slice(0, MEDIA_PER_POLL);
      const next: z.infer<typeof Cursor>['media'] = {};
      for (const m of recent) if (marks[m.id]) next[m.id] = marks[m.id]!;
      for (const m of reading) {
        out.push(...(await commentsOf(m, brand, usage)));
        next[m.id] = { n: m.comments_count ?? 0 };
      }
      const pause = pauseForUsage(usage);
      return {
        posts: out.sort((a, b) => (a.postedAt?.getTime?.() ?? 0) - (b.postedAt?.getTime?.() ?? 0)),
        cursor: JSON.stringify({ v: 1, media: next }),
        more: changed.length > reading.length && pause === undefined,
        ...(pause !== undefined ? { nextPollInMs: pause } : changed.length > reading.length ? {} : { nextPollInMs: s.pollIntervalMs }),
      };
    },

    async reply(target: ReplyTarget, text: string, _key: string, o: { mayHaveBeenSent?: boolean } = {}): Promise<SentReply> {
      // Addressed to the customer, so Instagram tells them.
      const addressed = new RegExp(`(^|\\s)@${target.authorHandle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w.])`, 'i').test(text)
        ? text
        : `@${target.authorHandle} ${text}`;
      const thread = target.conversationId ?? target.platformPostId;
      if (thread.startsWith(MENTION_PREFIX)) {
        // A mention on someone else's media: answered through the brand's mentions edge.
        const [mediaId, commentId] = thread.slice(MENTION_PREFIX.length).split(':');
        const sent = await graph.call('POST', `/${s.igUserId}/mentions`, z.object({ id: z.string() }), {
          media_id: mediaId!,
          ...(commentId && commentId !== mediaId ? { comment_id: commentId } : {}),
          message: addressed,
        });
        return { platformReplyId: sent.body.id };
      }
      // Only top-level comments take replies; a reply to a reply goes under its top-level comment.
      if (o.mayHaveBeenSent) {
        const earlier = await ownReplyUnder(thread, addressed);
        if (earlier) return earlier;
      }
      const sent = await graph.call('POST', `/${thread}/replies`, z.object({ id: z.string() }), { message: addressed });
      return { platformReplyId: sent.body.id };
    },

    privateReply: metaPrivateReply(graph, { platform: 'instagram', pageId: s.pageId, maxLength: 1_000 }),

    moderation: metaModeration(graph, 'hide'),

    async refreshMetrics(platformPostIds: string[]): Promise<MetricsRead> {
      const metrics = new Map<string, EngagementMetrics>();
      const gone: string[] = [];
      for (const id of platformPostIds.slice(0, 50)) {
        try {
          const got = await graph.call('GET', `/${id}`, z.object({ like_count: z.number().int().nonnegative().optional() }), { fields: 'like_count' });
          metrics.set(id, { likes: got.body.like_count ?? 0, reposts: 0, replies: 0, quotes: 0 });
        } catch (e) {
          // Only "does not exist" (#100/33) is gone; any other refusal of one object leaves it as it was.
          if (e instanceof AdapterError && e.kind === 'not_found') gone.push(id);
          else if (!(e instanceof AdapterError && e.kind === 'invalid')) throw e;
        }
      }
      return { metrics, gone };
    },
  };
}
