import { metaEnabledBy, metaEnv, metaSecrets, metaSettings } from '../meta/settings.ts';
import { definePlatform } from '../types.ts';

/** Facebook: configured by META_PAGE_ID and the META_* variables beside it; the Page's comments and visitor posts. */
export const facebookPlatform = definePlatform({
  platform: 'facebook',
  env: metaEnv,
  enabledBy: metaEnabledBy,
  configure(values) {
    const s = metaSettings(values);
    return {
      platform: 'facebook',
      secrets: metaSecrets(s),
      create: async () => (await import('./index.ts')).createFacebookAdapter(s),
      wantedStreams: () => [{ name: 'comments', config: { kind: 'page' } }],
    };
  },
});
