import { join } from 'node:path';
import { createReplayAdapter } from './replay/index.ts';
import { PLATFORMS, type Platform, type PlatformAdapter } from './types.ts';

export interface AdapterContext {
  dataDir: string;
  replaySpeed: number;
}

/**
 * Every platform has an entry, so the compiler notices a platform nobody wired up. `null` means
 * odziv cannot talk to that platform yet: a stream configured for it fails with a clear error.
 */
const FACTORIES = {
  replay: (ctx) => createReplayAdapter({ repliesFile: join(ctx.dataDir, 'replay-replies.jsonl'), speed: ctx.replaySpeed }),
  x: null,
  facebook: null,
  instagram: null,
  mastodon: null,
  bluesky: null,
} satisfies Record<Platform, ((ctx: AdapterContext) => PlatformAdapter) | null>;

export type AdapterSet = Partial<Record<Platform, PlatformAdapter>>;

/** Builds the adapters this deployment can use. */
export function createAdapters(ctx: AdapterContext): AdapterSet {
  const out: AdapterSet = {};
  for (const p of PLATFORMS) {
    const f = FACTORIES[p];
    if (f) out[p] = f(ctx);
  }
  return out;
}

export function isPlatform(s: string): s is Platform {
  return (PLATFORMS as readonly string[]).includes(s);
}
