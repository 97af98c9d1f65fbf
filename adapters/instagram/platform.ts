import { metaEnabledBy, metaEnv, metaSecrets, metaSettings } from '../meta/settings.ts';
import { definePlatform } from '../types.ts';

/** Instagram: the Page's linked professional account, configured by META_IG_USER_ID beside the META_* of Facebook. */
export const instagramPlatform = definePlatform({
  platform: 'instagram',
  env: metaEnv,
  enabledBy: metaEnabledBy,
  configure(values) {
    const s = metaSettings(values);
    const igUserId = s.igUserId;
    if (!igUserId) return undefined;
    return {
      platform: 'instagram',
      secrets: metaSecrets(s),
      create: async () => (await import('./index.ts')).createInstagramAdapter({ ...s, igUserId }),
      wantedStreams: () => [{ name: 'comments', config: { kind: 'media' } }],
    };
  },
});
