import type { PlatformModule } from '../types.ts';
import { mastodonSettingsFromEnv } from './settings.ts';

/** Mastodon: configured by MASTODON_URL and MASTODON_ACCESS_TOKEN; the mentions, and each of MASTODON_HASHTAGS. */
export const mastodonPlatform: PlatformModule = {
  platform: 'mastodon',
  configure(env) {
    const s = mastodonSettingsFromEnv(env);
    if (!s) return undefined;
    return {
      platform: 'mastodon',
      secrets: [s.accessToken],
      create: async () => (await import('./index.ts')).createMastodonAdapter(s),
      wantedStreams: () => [{ name: 'mentions', config: { kind: 'mentions' } }, ...s.hashtags.map((tag) => ({ name: `#${tag}`, config: { kind: 'hashtag', tag } }))],
    };
  },
};
