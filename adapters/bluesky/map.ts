import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { EngagementMetrics, NormalizedPost } from '../types.ts';

/** The fields of app.bsky.* views odziv reads (docs.bsky.app, lexicons); an address or id of another shape is no post's. */
const AtUri = z.string().regex(/^at:\/\/[A-Za-z0-9._:%-]+\/[A-Za-z0-9.-]+\/[A-Za-z0-9._:~-]{1,512}$/, { error: 'expected an at:// address' });
const Did = z.string().regex(/^did:[a-z]+:[A-Za-z0-9._:%-]{1,2048}$/, { error: 'expected a DID' });
const StrongRef = z.object({ uri: AtUri, cid: z.string() });
export const PostRecord = z.object({
  text: z.string(),
  createdAt: z.string(),
  reply: z.object({ root: StrongRef, parent: StrongRef }).nullish(),
});
export const Author = z.object({ did: Did, handle: z.string().min(1).max(253), displayName: z.string().nullish() });

export const Notification = z.object({
  uri: AtUri,
  cid: z.string(),
  author: Author,
  reason: z.string(),
  record: z.unknown(),
  indexedAt: z.string(),
});
export type Notification = z.infer<typeof Notification>;

export const PostView = z.object({
  uri: AtUri,
  cid: z.string(),
  author: Author,
  record: z.unknown(),
  likeCount: z.number().int().nonnegative().nullish(),
  repostCount: z.number().int().nonnegative().nullish(),
  replyCount: z.number().int().nonnegative().nullish(),
  quoteCount: z.number().int().nonnegative().nullish(),
});
export type PostView = z.infer<typeof PostView>;

export const metricsOf = (p: PostView): EngagementMetrics => ({
  likes: p.likeCount ?? 0,
  reposts: p.repostCount ?? 0,
  replies: p.replyCount ?? 0,
  quotes: p.quoteCount ?? 0,
});

/** at://did/app.bsky.feed.post/rkey → the post's page on bsky.app. */
export function webUrl(uri: string, handle: string): string | undefined {
  const m = /^at:\/\/[^/]+\/app\.bsky\.feed\.post\/([^/]+)$/.exec(uri);
  return m ? `https://bsky.app/profile/${handle}/post/${m[1]}` : undefined;
}

/** A mention, reply or quote as every stage after the adapter sees it; undefined when its record is no post. */
export function normalizeNotification(n: Notification, brandDid: string | undefined): NormalizedPost | undefined {
  const record = PostRecord.safeParse(n.record);
  if (!record.success) return undefined;
  const r = record.data;
  return {
    platform: 'bluesky',
    platformPostId: n.uri,
    url: webUrl(n.uri, n.author.handle),
    author: { platformUserId: n.author.did, handle: n.author.handle, displayName: n.author.displayName || n.author.handle, verified: false },
    text: r.text,
    postedAt: new Date(Number.isNaN(Date.parse(r.createdAt)) ? n.indexedAt : r.createdAt),
    conversationId: r.reply?.root.uri ?? n.uri,
    inReplyToId: r.reply?.parent.uri,
    isOwn: brandDid !== undefined && n.author.did === brandDid,
    isRepost: false,
    raw: n,
  };
}

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });
/** Bluesky's limit is 300 graphemes: what a person sees as one character counts once. */
export const blueskyLength = (text: string) => [...segmenter.segment(text)].length;

/** Links as facets (UTF-8 byte offsets), or Bluesky shows them as plain, unclickable text. */
export function linkFacets(text: string): Array<{ index: { byteStart: number; byteEnd: number }; features: Array<{ $type: string; uri: string }> }> {
  const out = [];
  for (const m of text.matchAll(/https?:\/\/[^\s]+[^\s.,;:!?)"'»”]/g)) {
    const byteStart = Buffer.byteLength(text.slice(0, m.index));
    out.push({ index: { byteStart, byteEnd: byteStart + Buffer.byteLength(m[0]) }, features: [{ $type: 'app.bsky.richtext.facet#link', uri: m[0] }] });
  }
  return out;
}

const TID_CHARS = '234567abcdefghijklmnopqrstuvwxyz';
/**
 * The record key of a reply, made from the outbox's idempotency key: a retry writes to the same
 * key, so the server refuses a second post and odziv finds the first. A TID in form (13 characters,
 * the first from the lower half), as app.bsky.feed.post requires.
 */
export function rkeyFor(idempotencyKey: string): string {
  const bytes = createHash('sha256').update(idempotencyKey).digest();
  return [...bytes.subarray(0, 13)].map((b, i) => TID_CHARS[i === 0 ? b % 16 : b % 32]).join('');
}
