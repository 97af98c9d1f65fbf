import { join } from 'node:path';
import { z } from 'zod';
import { blueskyPlatform } from './bluesky/platform.ts';
import { facebookPlatform } from './facebook/platform.ts';
import { instagramPlatform } from './instagram/platform.ts';
import { mastodonPlatform } from './mastodon/platform.ts';
import { createReplayAdapter } from './replay/index.ts';
import { type ConfiguredPlatform, PLATFORMS, type Platform, type PlatformAdapter, type PlatformModule, type SetVariables } from './types.ts';
import { xPlatform } from './x/platform.ts';

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
  // biome-ignore lint/suspicious/noExplicitAny: each entry's configure() takes its own fragment's values (definePlatform types them)
} satisfies Record<Platform, PlatformModule<any> | null>;

/** Blank is unset, as everywhere in the configuration. */
export const setVariables = (env: NodeJS.ProcessEnv): SetVariables =>
  Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && e[1].trim() !== ''));

/**
 * The platforms this environment turns on, as one part of the configuration schema: their
 * fragments merged (Facebook and Instagram share theirs), their cross-variable checks, and how the
 * parsed values become configured platforms.
 */
export function platformSchema(env: SetVariables) {
  const on = PLATFORMS.map((p) => PLATFORM_MODULES[p] as PlatformModule | null).filter((m): m is PlatformModule => !!m?.enabledBy(env));
  return {
    shape: Object.assign({}, ...on.map((m) => m.env)) as z.ZodRawShape,
    /** "VARIABLE: what is wrong" for each cross-variable problem. */
    crossProblems: (): string[] => on.flatMap((m) => m.crossCheck?.(env) ?? []).map((p) => `${p.variable}: ${p.message}`),
    configure: (values: Record<string, unknown>): ConfiguredPlatform[] => on.map((m) => m.configure(values)).filter((c): c is ConfiguredPlatform => !!c),
  };
}

/** The platforms' part of the configuration alone: every problem, each naming its variable. */
export function configurePlatforms(env: NodeJS.ProcessEnv): { platforms: ConfiguredPlatform[]; problems: string[] } {
  const set = setVariables(env);
  const schema = platformSchema(set);
  const parsed = z.object(schema.shape).safeParse(set);
  const problems = [...(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)), ...schema.crossProblems()];
  if (!parsed.success || problems.length) return { platforms: [], problems };
  return { platforms: schema.configure(parsed.data), problems: [] };
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
  return new Set(
    Object.values(adapters)
      .filter((a) => a?.moderation?.everyPost && a.moderation.actions.includes('hide'))
      .map((a) => a!.platform),
  );
}
