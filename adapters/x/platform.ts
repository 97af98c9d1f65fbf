import { definePlatform, type Verification, type WantedStream } from '../types.ts';
import { type XSettings, xEnv, xSecrets, xSettings, xUserContextProblems } from './settings.ts';

/** The brand's mentions, and a recent search when X_SEARCH_QUERY is set; `userId` once verified. */
export function xStreams(s: XSettings, verified?: Verification): WantedStream[] {
  const brandId = typeof verified?.brandId === 'string' ? verified.brandId : undefined;
  const wanted: WantedStream[] = [{ name: 'mentions', config: brandId ? { kind: 'mentions', userId: brandId } : { kind: 'mentions' } }];
  if (s.searchQuery) wanted.push({ name: 'search', config: { kind: 'search', query: s.searchQuery } });
  return wanted;
}

/** X: configured by X_BEARER_TOKEN and the X_* variables beside it. */
export const xPlatform = definePlatform({
  platform: 'x',
  env: xEnv,
  enabledBy: (env) => !!env.X_BEARER_TOKEN,
  crossCheck: xUserContextProblems,
  configure(values) {
    const s = xSettings(values);
    return {
      platform: 'x',
      secrets: xSecrets(s),
      create: async () => (await import('./index.ts')).createXAdapter(s),
      wantedStreams: (verified) => xStreams(s, verified),
    };
  },
});
