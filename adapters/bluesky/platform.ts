import { definePlatform } from '../types.ts';
import { blueskyEnv, blueskySettings } from './settings.ts';

/** Bluesky: configured by BLUESKY_HANDLE and BLUESKY_APP_PASSWORD; the notifications, and BLUESKY_SEARCH_QUERY. */
export const blueskyPlatform = definePlatform({
  platform: 'bluesky',
  env: blueskyEnv,
  enabledBy: (env) => !!(env.BLUESKY_HANDLE || env.BLUESKY_APP_PASSWORD),
  configure(values) {
    const s = blueskySettings(values);
    return {
      platform: 'bluesky',
      secrets: [s.appPassword],
      create: async () => (await import('./index.ts')).createBlueskyAdapter(s),
      wantedStreams: () => [
        { name: 'notifications', config: { kind: 'notifications' } },
        ...(s.searchQuery ? [{ name: 'search', config: { kind: 'search', q: s.searchQuery } }] : []),
      ],
    };
  },
});
