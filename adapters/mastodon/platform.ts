import { definePlatform } from '../types.ts';
import { mastodonEnv, mastodonSettings } from './settings.ts';

/** Mastodon: configured by MASTODON_URL and MASTODON_ACCESS_TOKEN; the mentions, and each of MASTODON_HASHTAGS. */
export const mastodonPlatform = definePlatform({
  platform: 'mastodon',
  env: mastodonEnv,
  enabledBy: (env) => !!(env.MASTODON_URL || env.MASTODON_ACCESS_TOKEN),
  configure(values) {
    const s = mastodonSettings(values);
    return {
      platform: 'mastodon',
      secrets: [s.accessToken],
      create: async () => (await import('./index.ts')).createMastodonAdapter(s),
      wantedStreams: () => [
        { name: 'mentions', config: { kind: 'mentions' } },
        ...s.hashtags.map((tag) => ({ name: `#${tag}`, config: { kind: 'hashtag', tag } })),
      ],
    };
  },
});
