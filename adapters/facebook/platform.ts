import { metaSecrets, metaSettingsFromEnv } from '../meta/settings.ts';
import type { PlatformModule } from '../types.ts';

/** Facebook: configured by META_PAGE_ID and the META_* variables beside it; the Page's comments and visitor posts. */
export const facebookPlatform: PlatformModule = {
  platform: 'facebook',
  configure(env) {
    const s = metaSettingsFromEnv(env);
    if (!s) return undefined;
    return {
      platform: 'facebook',
      secrets: metaSecrets(s),
      create: async () => (await import('./index.ts')).createFacebookAdapter(s),
      wantedStreams: () => [{ name: 'comments', config: { kind: 'page' } }],
    };
  },
};
