import type { PlatformModule } from '../types.ts';
import { blueskySettingsFromEnv } from './settings.ts';

/** Bluesky: configured by BLUESKY_HANDLE and BLUESKY_APP_PASSWORD; the notifications, and BLUESKY_SEARCH_QUERY. */
export const blueskyPlatform: PlatformModule = {
  platform: 'bluesky',
  configure(env) {
    const s = blueskySettingsFromEnv(env);
    if (!s) return undefined;
    return {
      platform: 'bluesky',
      secrets: [s.appPassword],
      create: async () => (await import('./index.ts')).createBlueskyAdapter(s),
      wantedStreams: () => [{ name: 'notifications', config: { kind: 'notifications' } }, ...(s.searchQuery ? [{ name: 'search', config: { kind: 'search', q: s.searchQuery } }] : [])],
    };
  },
};
