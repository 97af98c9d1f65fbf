import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBlueskyAdapter } from '../../../adapters/bluesky/index.ts';
import { createFacebookAdapter } from '../../../adapters/facebook/index.ts';
import { createInstagramAdapter } from '../../../adapters/instagram/index.ts';
import { createMastodonAdapter } from '../../../adapters/mastodon/index.ts';
import type { MetaSettings } from '../../../adapters/meta/settings.ts';
import { createReplayAdapter } from '../../../adapters/replay/index.ts';
import type { PlatformAdapter } from '../../../adapters/types.ts';
import { createXAdapter } from '../../../adapters/x/index.ts';
import { FakeBluesky } from '../../fakes/bluesky-server.ts';
import { FakeGraph, type FbComment, type GraphFault } from '../../fakes/graph-server.ts';
import { FakeMastodon } from '../../fakes/mastodon-server.ts';
import { FakeX } from '../../fakes/x-server.ts';
import { type Fault, type Kit, read } from './contract.ts';

const X_TOKENS = {
  bearerToken: 'AAAAAAAAAAAAAAAAAAAAAconformance',
  appKey: 'conf-key',
  appSecret: 'conf-secret',
  accessToken: '1-conf-token',
  accessSecret: 'conf-access-secret',
};
export const MASTODON_TOKEN = 'mastodon-conformance-token-0001';
const BLUESKY_PASSWORD = 'conf-orma-nce0-0001';

export function xKit(): Kit {
  let x: FakeX;
  const ids: string[] = [];
  return {
    platform: 'x',
    pageSize: 100,
    perPoll: 100,
    stream: { name: 'mentions', config: { kind: 'mentions', userId: '1' } },
    async start() {
      x = await new FakeX({ bearerToken: X_TOKENS.bearerToken, appKey: X_TOKENS.appKey, accessToken: X_TOKENS.accessToken }).listen();
      x.addUser({ id: '1', username: 'VedraTel', name: 'Vedra', verified: true });
      for (let i = 0; i < 5; i++) x.addUser({ id: String(100 + i), username: `kupac${i}` });
    },
    stop: () => x.close(),
    adapter: () =>
      createXAdapter({
        ...X_TOKENS,
        user: { appKey: X_TOKENS.appKey, appSecret: X_TOKENS.appSecret, accessToken: X_TOKENS.accessToken, accessSecret: X_TOKENS.accessSecret },
        brandUsername: 'VedraTel',
        baseUrl: x.url,
        rateBudget: 100_000,
        timeoutMs: 2_000,
        overlapMs: 5_000,
      }),
    customerPost: (i) => void (ids[i] = x.addTweet({ text: `@VedraTel račun ${i} mi je opet pogrešan, sramota`, author_id: String(100 + (i % 5)) }).id),
    ownPost: () =>
      void x.addTweet({ text: '@VedraTel @kupac0 račun mi je opet pogrešan, sramota (vaše riječi: javite nam broj ugovora u poruci)', author_id: '1' }),
    fault: (f) =>
      void x.faults.push(({ rate_limit: '429', server: '503', reset: 'drop', malformed: 'broken-tweet', lost_answer: 'post-then-drop' } as const)[f]),
    replies: () => x.posted.length,
    // X gives an edit a new id (its history names the first); a deletion shows when the post cannot be read.
    edit: async (i, text) => void x.editTweet(ids[i]!, `@VedraTel ${text}`),
    remove: async (i) => void x.deleted.add(ids[i]!),
  };
}

/** `make` builds the adapter under test against the fake's address (default: the one odziv ships). */
export function mastodonKit(
  make: (url: string) => PlatformAdapter = (url) => createMastodonAdapter({ baseUrl: url, accessToken: MASTODON_TOKEN, timeoutMs: 2_000, hashtags: [] }),
): Kit {
  let m: FakeMastodon;
  const ids: string[] = [];
  return {
    platform: 'mastodon',
    pageSize: 40,
    perPoll: 40,
    stream: { name: 'mentions', config: { kind: 'mentions' } },
    async start() {
      m = await new FakeMastodon(MASTODON_TOKEN).listen();
      for (let i = 0; i < 5; i++) m.addAccount(`kupac${i}`, `Kupac ${i}`);
    },
    stop: () => m.close(),
    adapter: () => make(m.url),
    customerPost: (i) =>
      void (ids[i] = m.addStatus(
        m.accounts.get(String(2 + (i % 5)))!,
        `<p><span class="h-card"><a href="https://social.example/@vedra">@vedra</a></span> račun ${i} mi je opet pogrešan, sramota</p>`,
      ).id),
    remove: async (i) => void m.statuses.delete(ids[i]!),
    ownPost: () =>
      void m.addStatus(m.brand, '<p>@vedra račun mi je opet pogrešan, sramota (vaše riječi: javite nam broj ugovora u poruci)</p>', { mention: true }),
    fault: (f) =>
      void m.faults.push(({ rate_limit: '429', server: '503', reset: 'drop', malformed: 'broken-status', lost_answer: 'post-then-drop' } as const)[f]),
    replies: () => m.posted.length,
  };
}

export function blueskyKit(): Kit {
  let b: FakeBluesky;
  const ids: string[] = [];
  return {
    platform: 'bluesky',
    pageSize: 50,
    perPoll: 500,
    stream: { name: 'notifications', config: { kind: 'notifications' } },
    async start() {
      b = await new FakeBluesky(BLUESKY_PASSWORD).listen();
    },
    stop: () => b.close(),
    adapter: () => createBlueskyAdapter({ handle: b.brand.handle, appPassword: BLUESKY_PASSWORD, service: b.url, timeoutMs: 2_000 }),
    customerPost: (i) => void (ids[i] = b.addPost(b.author(`kupac${i % 5}`), `@${b.brand.handle} račun ${i} mi je opet pogrešan, sramota`).uri),
    // Bluesky posts cannot be edited.
    remove: async (i) => void b.posts.delete(ids[i]!),
    ownPost: () => {
      const p = b.addPost(b.brand, `@${b.brand.handle} račun mi je opet pogrešan, sramota (vaše riječi: javite nam broj ugovora u poruci)`);
      b.notifications.push({ uri: p.uri, cid: p.cid, author: b.brand, reason: 'mention', record: p.record, isRead: false, indexedAt: p.indexedAt });
    },
    // Signing in takes no fault: it is for the read (or the post) after it.
    fault: (f) => void b.faults.push(({ rate_limit: '429', server: '503', reset: 'drop', malformed: 'junk', lost_answer: 'post-then-drop' } as const)[f]),
    replies: () => b.created.length,
  };
}

const META_TOKEN = 'EAAGconformancePageToken0001';
const META_SECRET = '0123456789abcdef0123456789abcdef';
const metaSettings = (g: FakeGraph): MetaSettings => ({
  pageId: g.pageId,
  pageToken: META_TOKEN,
  appSecret: META_SECRET,
  verifyToken: 'conformance-verify',
  igUserId: g.igUserId,
  baseUrl: g.url,
  timeoutMs: 2_000,
  lookbackMs: 28 * 86_400_000,
  pollIntervalMs: 60_000,
});
const GRAPH_FAULTS: Record<Fault, GraphFault> = {
  rate_limit: 'rate_limit',
  server: 'transient',
  reset: 'drop',
  malformed: 'broken-comment',
  lost_answer: 'post-then-drop',
};

/** Comments on a Page: the first 150 under one post (pages of 100), the rest spread over 24 more (more posts than one poll reads). */
export function facebookKit(): Kit {
  let g: FakeGraph;
  let posts: string[] = [];
  let adapter: PlatformAdapter;
  const comments: FbComment[] = [];
  const customers = Array.from({ length: 5 }, (_, i) => ({ id: String(9000 + i), name: `Kupac ${i}` }));
  return {
    platform: 'facebook',
    pageSize: 100,
    perPoll: 150,
    stream: { name: 'comments', config: { kind: 'page' } },
    async start() {
      g = await new FakeGraph(META_TOKEN, META_SECRET).listen();
      posts = Array.from({ length: 25 }, (_, i) => g.addPost(`Akcija ${i}: novi paketi`).id);
    },
    stop: () => g.close(),
    adapter: () => (adapter = createFacebookAdapter(metaSettings(g))),
    customerPost: (i) => void (comments[i] = g.addComment(posts[i < 150 ? 0 : 1 + (i % 24)]!, `račun ${i} mi je opet pogrešan, sramota`, customers[i % 5]!)),
    // Facebook pushes both: `verb: edited` under the same id, `verb: remove`.
    edit: async (i, text) => read(adapter, g.feedDelivery({ ...comments[i]!, message: text }, 'edited')),
    remove: async (i) => read(adapter, g.feedDelivery(comments[i]!, 'remove')),
    ownPost: () =>
      void g.addComment(posts[0]!, 'račun mi je opet pogrešan, sramota (vaše riječi: javite nam broj ugovora u poruci)', { id: g.pageId, name: g.pageName }),
    fault: (f) => void g.faults.push(GRAPH_FAULTS[f]),
    replies: () => g.posted.filter((p) => p.platform === 'facebook').length,
  };
}

/** Comments on Instagram media: the first 100 under one (pages of 50), the rest spread over 24 more. */
export function instagramKit(): Kit {
  let g: FakeGraph;
  let media: string[] = [];
  const comments: string[] = [];
  const customers = Array.from({ length: 5 }, (_, i) => ({ id: String(7000 + i), username: `kupac_${i}` }));
  return {
    platform: 'instagram',
    pageSize: 50,
    perPoll: 100,
    stream: { name: 'comments', config: { kind: 'media' } },
    async start() {
      g = await new FakeGraph(META_TOKEN, META_SECRET).listen();
      media = Array.from({ length: 25 }, (_, i) => g.addMedia(`Nova kolekcija ${i}`).id);
    },
    stop: () => g.close(),
    adapter: () => createInstagramAdapter({ ...metaSettings(g), igUserId: g.igUserId }),
    customerPost: (i) =>
      void (comments[i] = g.addIgComment(media[i < 100 ? 0 : 1 + (i % 24)]!, `račun ${i} mi je opet pogrešan, sramota`, customers[i % 5]!).id),
    // Instagram comments cannot be edited; a deleted one is no longer found.
    remove: async (i) => void g.igComments.delete(comments[i]!),
    ownPost: () =>
      void g.addIgComment(media[0]!, 'račun mi je opet pogrešan, sramota (vaše riječi: javite nam broj ugovora u poruci)', {
        id: g.igUserId,
        username: g.igUsername,
      }),
    fault: (f) => void g.faults.push(GRAPH_FAULTS[f]),
    replies: () => g.posted.filter((p) => p.platform === 'instagram').length,
  };
}

/**
 * The demo replay: a recorded file played as a stream, appended to as the test goes. No network,
 * so none of the network's faults; a bad line is the file's author's mistake, which stops the
 * stream with the line named (test/unit/replay.test.ts), not a platform's odd entry.
 */
export function replayKit(): Kit {
  let dir: string;
  let file: string;
  let replay: ReturnType<typeof createReplayAdapter> | undefined;
  let n = 0;
  const line = (item: Record<string, unknown>) => appendFileSync(file, `${JSON.stringify({ offsetSec: n++ * 0.001, ...item })}\n`);
  return {
    platform: 'replay',
    faults: [],
    pageSize: 100,
    perPoll: 100,
    get stream() {
      return { name: 'conformance', config: { file, speed: 10_000 } };
    },
    async start() {
      dir = mkdtempSync(join(tmpdir(), 'odziv-replay-kit-'));
      file = join(dir, 'stream.jsonl');
      writeFileSync(file, '');
    },
    async stop() {
      rmSync(dir, { recursive: true, force: true });
    },
    adapter: () => (replay = createReplayAdapter({ repliesFile: join(dir, 'replies.jsonl') })),
    customerPost: (i) => line({ id: `c${i}`, text: `@VedraTel račun ${i} mi je opet pogrešan, sramota`, author: { id: `u${i % 5}`, handle: `kupac${i % 5}` } }),
    ownPost: () =>
      line({
        id: `own${n}`,
        text: '@kupac0 račun mi je opet pogrešan, sramota (vaše riječi: javite nam broj ugovora u poruci)',
        author: { id: 'brand', handle: 'VedraTel' },
        own: true,
      }),
    fault: () => {
      throw new Error('the replay has no faults');
    },
    replies: () => replay?.recordedReplies().length ?? 0,
  };
}

/** Every adapter odziv ships: a new one joins the suite with its line here. */
export const KITS: Array<() => Kit> = [xKit, mastodonKit, blueskyKit, facebookKit, instagramKit, replayKit];
