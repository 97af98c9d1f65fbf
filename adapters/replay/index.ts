import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { AdapterError } from '../errors.ts';
import type { EngagementMetrics, MetricsRead, NormalizedPost, PlatformAdapter, PollResult, ReplyTarget, SentReply, StreamRef } from '../types.ts';
import { DEFAULT_SAMPLE, loadSample, type SampleItem } from './sample.ts';

/**
 * Plays a recorded stream as if it were a live platform: each post appears `offsetSec` after the
 * replay started (divided by `speed`), engagement grows along the post's curve, and replies are
 * recorded to a JSON-lines file a person can read. What `npm start` uses when no platform is set up.
 */
export interface ReplayOptions {
  /** JSON-lines file of recorded replies (one line per reply, kept across restarts). */
  repliesFile: string;
  /** Default replay speed (the stream's `speed` setting overrides it). */
  speed?: number;
  batchSize?: number;
  now?: () => number;
}

const StreamConfig = z.object({
  file: z.string().min(1).optional(),
  speed: z.number().positive().max(10_000).optional(),
});

export interface RecordedReply {
  platformReplyId: string;
  idempotencyKey: string;
  inReplyTo: string;
  to: string;
  text: string;
  at: string;
}

const CURSOR = /^v1:(\d+):(\d+)$/;

function interpolate(growth: number[][], minutes: number): EngagementMetrics {
  let prev = growth[0]!;
  for (const point of growth) {
    if (point[0]! >= minutes) {
      const span = point[0]! - prev[0]!;
      const f = span > 0 ? (minutes - prev[0]!) / span : 1;
      const at = (k: number) => Math.round(prev[k]! + (point[k]! - prev[k]!) * f);
      return { likes: at(1), reposts: at(2), replies: at(3), quotes: at(4) };
    }
    prev = point;
  }
  return { likes: prev[1]!, reposts: prev[2]!, replies: prev[3]!, quotes: prev[4]! };
}

export function createReplayAdapter(opts: ReplayOptions): PlatformAdapter & { recordedReplies(): RecordedReply[] } {
  const now = opts.now ?? Date.now;
  const batchSize = opts.batchSize ?? 100;
  const samples = new Map<string, { version: string; items: SampleItem[] }>();
  /** The replay clock of the last poll: engagement curves are computed from it, also after a restart. */
  let clock: { startedAt: number; speed: number; byId: Map<string, SampleItem> } | undefined;
  let replies: Map<string, RecordedReply> | undefined;

  // A replay file read once, and again when it grows (a person, or a test, appends to it).
  const sample = (file: string) => {
    const stat = statSync(file);
    const version = `${stat.size}:${stat.mtimeMs}`;
    let got = samples.get(file);
    if (!got || got.version !== version) {
      got = { version, items: loadSample(file) };
      samples.set(file, got);
    }
    return got.items;
  };

  const recorded = (): Map<string, RecordedReply> => {
    if (!replies) {
      replies = new Map();
      if (existsSync(opts.repliesFile)) {
        for (const line of readFileSync(opts.repliesFile, 'utf8').split('\n')) {
          if (!line.trim()) continue;
          try {
            const r = JSON.parse(line) as RecordedReply;
            replies.set(r.idempotencyKey, r);
          } catch {
            // A torn last line after a crash: the reply it described was never acknowledged.
          }
        }
      }
    }
    return replies;
  };

  return {
    platform: 'replay',
    maxReplyLength: 280,

    async poll(stream: StreamRef, cursor: string | null): Promise<PollResult> {
      const cfg = StreamConfig.safeParse(stream.config);
      if (!cfg.success) {
        throw new AdapterError('replay', 'invalid', `stream "${stream.name}": ${cfg.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      }
      const file = cfg.data.file ?? DEFAULT_SAMPLE;
      const speed = cfg.data.speed ?? opts.speed ?? 1;
      let items: SampleItem[];
      try {
        items = sample(file);
      } catch (e) {
        throw new AdapterError('replay', 'invalid', `stream "${stream.name}": ${(e as Error).message}`);
      }
      let startedAt = now();
      let index = 0;
      if (cursor !== null) {
        const m = CURSOR.exec(cursor);
        if (!m) throw new AdapterError('replay', 'invalid', `stream "${stream.name}": unreadable cursor "${cursor.slice(0, 40)}"`);
        startedAt = Number(m[1]);
        index = Number(m[2]);
      }
      clock = { startedAt, speed, byId: new Map(items.map((it) => [it.id, it])) };
      const elapsedSec = ((now() - startedAt) / 1000) * speed;
      const posts: NormalizedPost[] = [];
      let i = index;
      for (; i < items.length && posts.length < batchSize; i++) {
        const item = items[i]!;
        if (item.offsetSec > elapsedSec) break;
        const at = startedAt + (item.offsetSec / speed) * 1000;
        posts.push({
          platform: 'replay',
          platformPostId: item.id,
          url: `replay://posts/${item.id}`,
          author: {
            platformUserId: item.author.id,
            handle: item.author.handle,
            displayName: item.author.name,
            followers: item.author.followers,
            verified: item.author.verified ?? false,
          },
          text: item.text,
          postedAt: new Date(at),
          conversationId: item.conversationId ?? item.id,
          inReplyToId: item.inReplyToId,
          isOwn: item.own ?? false,
          isRepost: item.repost ?? false,
          metrics: item.growth ? interpolate(item.growth, 0) : item.metrics,
          raw: item,
        });
      }
      const more = i < items.length && items[i]!.offsetSec <= elapsedSec;
      return { posts, cursor: `v1:${startedAt}:${i}`, more };
    },

    async reply(target: ReplyTarget, text: string, idempotencyKey: string): Promise<SentReply> {
      const done = recorded().get(idempotencyKey);
      if (done) return { platformReplyId: done.platformReplyId, url: `replay://replies/${done.platformReplyId}` };
      const platformReplyId = `reply-${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 16)}`;
      const entry: RecordedReply = {
        platformReplyId,
        idempotencyKey,
        inReplyTo: target.platformPostId,
        to: target.authorHandle,
        text,
        at: new Date(now()).toISOString(),
      };
      mkdirSync(dirname(opts.repliesFile), { recursive: true });
      appendFileSync(opts.repliesFile, `${JSON.stringify(entry)}\n`);
      recorded().set(idempotencyKey, entry);
      return { platformReplyId, url: `replay://replies/${platformReplyId}` };
    },

    async refreshMetrics(ids: string[]): Promise<MetricsRead> {
      const out = new Map<string, EngagementMetrics>();
      if (!clock) return { metrics: out, gone: [] };
      for (const id of ids) {
        const item = clock.byId.get(id);
        if (!item) continue;
        const minutes = ((now() - clock.startedAt) / 60_000) * clock.speed - item.offsetSec / 60;
        if (minutes < 0) continue;
        out.set(id, item.growth ? interpolate(item.growth, minutes) : (item.metrics ?? { likes: 0, reposts: 0, replies: 0, quotes: 0 }));
      }
      return { metrics: out, gone: [] };
    },

    recordedReplies(): RecordedReply[] {
      return [...recorded().values()];
    },
  };
}
