import { join } from 'node:path';
import { createReplayAdapter } from './replay/index.ts';
import type { XSettings } from './x/settings.ts';
import type { MastodonSettings } from './mastodon/settings.ts';
import type { BlueskySettings } from './bluesky/settings.ts';
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
 * A platform's module (and its client library: twitter-api-v2 and twitter-text are ~30 MiB) is
 * loaded only when that platform is configured.
 */
const FACTORIES = {
  replay: async (ctx) => createReplayAdapter({ repliesFile: join(ctx.dataDir, 'replay-replies.jsonl'), speed: ctx.replaySpeed }),
  x: async (ctx) => (ctx.x ? (await import('./x/index.ts')).createXAdapter(ctx.x) : undefined),
  facebook: null,
  instagram: null,
  mastodon: async (ctx) => (ctx.mastodon ? (await import('./mastodon/index.ts')).createMastodonAdapter(ctx.mastodon) : undefined),
  bluesky: async (ctx) => (ctx.bluesky ? (await import('./bluesky/index.ts')).createBlueskyAdapter(ctx.bluesky) : undefined),
} satisfies Record<Platform, ((ctx: AdapterContext) => Promise<PlatformAdapter | undefined>) | null>;

export type AdapterSet = Partial<Record<Platform, PlatformAdapter>>;

/** Builds the adapters this deployment can use. */
export async function createAdapters(ctx: AdapterContext): Promise<AdapterSet> {
  const out: AdapterSet = {};
  for (const p of PLATFORMS) {
    const adapter = await FACTORIES[p]?.(ctx);
    if (adapter) out[p] = adapter;
  }
  return out;
}

export function isPlatform(s: string): s is Platform {
  return (PLATFORMS as readonly string[]).includes(s);
}
