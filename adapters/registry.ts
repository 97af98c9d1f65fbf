import { join } from 'node:path';
import { createReplayAdapter } from './replay/index.ts';
import { createXAdapter, type XSettings } from './x/index.ts';
import { createMastodonAdapter, type MastodonSettings } from './mastodon/index.ts';
import { createBlueskyAdapter, type BlueskySettings } from './bluesky/index.ts';
import { PLATFORMS, type Platform, type PlatformAdapter } from './types.ts';

export interface AdapterContext {
  dataDir: string;
  replaySpeed: number;
  /** X settings from the environment; absent when X is not configured. */
  x?: XSettings;
  /** Mastodon settings from the environment; absent when Mastodon is not configured. */
  mastodon?: MastodonSettings;
  /** Bluesky settings from the environment; absent when Bluesky is not configured. */
  bluesky?: BlueskySettings;
}

/**
 * Every platform has an entry, so the compiler notices a platform nobody wired up. `null` means
 * odziv cannot talk to that platform yet: a stream configured for it fails with a clear error.
 */
const FACTORIES = {
  replay: (ctx) => createReplayAdapter({ repliesFile: join(ctx.dataDir, 'replay-replies.jsonl'), speed: ctx.replaySpeed }),
  x: (ctx) => (ctx.x ? createXAdapter(ctx.x) : undefined),
  facebook: null,
  instagram: null,
  mastodon: (ctx) => (ctx.mastodon ? createMastodonAdapter(ctx.mastodon) : undefined),
  bluesky: (ctx) => (ctx.bluesky ? createBlueskyAdapter(ctx.bluesky) : undefined),
} satisfies Record<Platform, ((ctx: AdapterContext) => PlatformAdapter | undefined) | null>;

export type AdapterSet = Partial<Record<Platform, PlatformAdapter>>;

/** Builds the adapters this deployment can use. */
export function createAdapters(ctx: AdapterContext): AdapterSet {
  const out: AdapterSet = {};
  for (const p of PLATFORMS) {
    const adapter = FACTORIES[p]?.(ctx);
    if (adapter) out[p] = adapter;
  }
  return out;
}

export function isPlatform(s: string): s is Platform {
  return (PLATFORMS as readonly string[]).includes(s);
}
