import { z } from 'zod';

/** Bluesky's environment variables: one brand account, signed in with an app password. */
export const blueskyEnv = {
  BLUESKY_HANDLE: z
    .string({ error: 'required with BLUESKY_APP_PASSWORD: the brand account to sign in as' })
    .regex(/^@?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$/i, { error: 'expected the brand’s handle, like vedra.bsky.social' }),
  BLUESKY_APP_PASSWORD: z
    .string({ error: 'required with BLUESKY_HANDLE: an app password (Settings → App passwords)' })
    .min(8, { error: 'expected an app password, like abcd-efgh-ijkl-mnop' }),
  BLUESKY_SERVICE: z
    .string()
    .url({ error: 'expected the account’s server, like https://bsky.social' })
    .regex(/^https?:\/\//i, { error: 'expected an http:// or https:// address' })
    .default('https://bsky.social'),
  BLUESKY_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  BLUESKY_SEARCH_QUERY: z.string().trim().min(1).max(300, { error: 'at most 300 characters' }).optional(),
};

export interface BlueskySettings {
  handle: string;
  appPassword: string;
  service: string;
  timeoutMs: number;
  /** A search of all posts (brand and product names) read besides the notifications. */
  searchQuery?: string;
}

export function blueskySettings(e: z.output<z.ZodObject<typeof blueskyEnv>>): BlueskySettings {
  return {
    handle: e.BLUESKY_HANDLE.replace(/^@/, '').toLowerCase(),
    appPassword: e.BLUESKY_APP_PASSWORD,
    service: e.BLUESKY_SERVICE.replace(/\/+$/, ''),
    timeoutMs: e.BLUESKY_REQUEST_TIMEOUT_MS,
    searchQuery: e.BLUESKY_SEARCH_QUERY,
  };
}
