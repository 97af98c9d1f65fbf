import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { type ITwitterApiClientPlugin, TwitterApi, type TwitterApiReadWrite } from 'twitter-api-v2';
import type { XSettings } from './settings.ts';

/**
 * twitter-api-v2 always calls https.request against api.x.com: to reach another base URL (a proxy,
 * or a fake X in tests) a plugin rewrites each request's URL and an agent of the right protocol
 * carries it. The plugin route covers every sub-client.
 */
function redirect(baseUrl: string): { plugin: ITwitterApiClientPlugin; agent: HttpAgent | HttpsAgent } {
  const base = new URL(baseUrl);
  const plugin: ITwitterApiClientPlugin = {
    onBeforeRequest({ computedParams }) {
      const u = computedParams.url;
      u.protocol = base.protocol;
      u.hostname = base.hostname;
      u.port = base.port;
      if (base.pathname !== '/') u.pathname = `${base.pathname.replace(/\/$/, '')}${u.pathname}`;
    },
  };
  const agent = base.protocol === 'http:' ? new HttpAgent({ keepAlive: true }) : new HttpsAgent({ keepAlive: true });
  return { plugin, agent };
}

export interface XClients {
  /** App context (bearer): reads. */
  app: TwitterApi;
  /** User context (OAuth 1.0a): replies. */
  user?: TwitterApiReadWrite;
  close(): void;
}

export function createXClients(s: XSettings): XClients {
  const isDefault = s.baseUrl === 'https://api.x.com';
  const { plugin, agent } = redirect(s.baseUrl);
  const settings = isDefault ? { httpAgent: agent } : { plugins: [plugin], httpAgent: agent };
  const app = new TwitterApi(s.bearerToken, settings);
  const user = s.user
    ? new TwitterApi({ appKey: s.user.appKey, appSecret: s.user.appSecret, accessToken: s.user.accessToken, accessSecret: s.user.accessSecret }, settings)
        .readWrite
    : undefined;
  return { app, user, close: () => agent.destroy() };
}
