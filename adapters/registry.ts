import { join } from 'node:path';
import { blueskyPlatform } from './bluesky/platform.ts';
import { facebookPlatform } from './facebook/platform.ts';
import { instagramPlatform } from './instagram/platform.ts';
import { mastodonPlatform } from './mastodon/platform.ts';
import { createReplayAdapter } from './replay/index.ts';
import { xPlatform } from './x/platform.ts';
import { PLATFORMS, type ConfiguredPlatform, type Platform, type PlatformAdapter, type PlatformModule } from './types.ts';

/**
 * Every platform has an entry, so the compiler notices a platform nobody wired up. `null` means
 * odziv cannot talk to that platform yet: a stream configured for it fails with a clear error.
 * Adding a platform is a folder in adapters/ and its line here; nothing else names it.
 * The demo replay is no platform a brand configures: it runs when none is (see createAdapters).
 */
export const PLATFORM_MODULES = {
  x: xPlatform,
  facebook: facebookPlatform,
  instagram: instagramPlatform,
  mastodon: mastodonPlatform,
  bluesky: blueskyPlatform,
  replay: null,
} satisfies Record<Platform, PlatformModule | null>;

/**
 * Reads every platform's environment variables: the configured ones, and every problem found,
 * each naming its variable (all platforms are read, so one start-up reports them all).
 */
export function configurePlatforms(env: NodeJS.ProcessEnv): { platforms: ConfiguredPlatform[]; problems: string[] } {
  const platforms: ConfiguredPlatform[] = [];
  const problems: string[] = [];
  for (const p of PLATFORMS) {
    try {
      const configured = PLATFORM_MODULES[p]?.configure(env);
      if (configured) platforms.push(configured);
    } catch (e) {
      problems.push(...(e as Error).message.split('; '));
    }
  }
  return { platforms, problems };
}

export interface AdapterContext {
  dataDir: string;
  replaySpeed: number;
  /** The platforms the environment configured. */
  platforms?: readonly ConfiguredPlatform[];
}

export type AdapterSet = Partial<Record<Platform, PlatformAdapter>>;

/** Builds the adapters this deployment can use: the demo replay, and every configured platform. */
export async function createAdapters(ctx: AdapterContext): Promise<AdapterSet> {
  const out: AdapterSet = { replay: createReplayAdapter({ repliesFile: join(ctx.dataDir, 'replay-replies.jsonl'), speed: ctx.replaySpeed }) };
  for (const p of ctx.platforms ?? []) out[p.platform] = await p.create();
  return out;
}

export function isPlatform(s: string): s is Platform {
  return (PLATFORMS as readonly string[]).includes(s);
}

/** The platforms whose adapter can hide any post it reads: a rule's `hide` is queued only for these. */
export function moderatingPlatforms(adapters: AdapterSet): Set<string> {
  return new Set(Object.values(adapters).filter((a) => a?.moderation?.everyPost && a.moderation.actions.includes('hide')).map((a) => a!.platform));
}
