import { metaSecrets, metaSettingsFromEnv, type MetaSettings } from '../meta/settings.ts';
import type { PlatformModule } from '../types.ts';

/** Instagram: the Page's linked professional account, configured by META_IG_USER_ID beside the META_* of Facebook. */
export const instagramPlatform: PlatformModule = {
  platform: 'instagram',
  configure(env) {
    let s: MetaSettings | undefined;
    try {
      s = metaSettingsFromEnv(env);
    } catch {
      return undefined; // the same variables: Facebook's entry names what is wrong
    }
    if (!s?.igUserId) return undefined;
    const settings = { ...s, igUserId: s.igUserId };
    return {
      platform: 'instagram',
      secrets: metaSecrets(s),
      create: async () => (await import('./index.ts')).createInstagramAdapter(settings),
      wantedStreams: () => [{ name: 'comments', config: { kind: 'media' } }],
    };
  },
};
