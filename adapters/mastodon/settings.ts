import { z } from 'zod';

/** A Mastodon hashtag as its timeline takes it: letters, digits and _, without the #. */
export const HASHTAG = /^[\p{L}\p{N}_]{1,100}$/u;

/** Mastodon's environment variables: one brand account on one server. */
export const mastodonEnv = {
  MASTODON_URL: z
    .string({ error: 'required with MASTODON_ACCESS_TOKEN: the address of the brand’s server' })
    .url({ error: 'expected the server’s address, like https://mastodon.social' })
    .regex(/^https?:\/\//i, { error: 'expected an http:// or https:// address' }),
  MASTODON_ACCESS_TOKEN: z
    .string({ error: 'required with MASTODON_URL: an access token with read:notifications, read:statuses and write:statuses' })
    .min(20, { error: 'expected the brand account’s access token' }),
  MASTODON_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  MASTODON_HASHTAGS: z
    .string()
    .transform((v) => [
      ...new Set(
        v
          .split(',')
          .map((t) => t.trim().replace(/^#/, ''))
          .filter(Boolean),
      ),
    ])
    .pipe(
      z
        .array(z.string().regex(HASHTAG, { error: 'expected hashtags of letters, digits and _, separated by commas (like vedra,VedraTelekom)' }))
        .max(10, { error: 'at most 10 hashtags' }),
    )
    .optional(),
};

export interface MastodonSettings {
  baseUrl: string;
  accessToken: string;
  timeoutMs: number;
  /** Hashtags whose public timelines are watched besides the mentions (without the #). */
  hashtags: string[];
}

export function mastodonSettings(e: z.output<z.ZodObject<typeof mastodonEnv>>): MastodonSettings {
  return {
    baseUrl: e.MASTODON_URL.replace(/\/+$/, ''),
    accessToken: e.MASTODON_ACCESS_TOKEN,
    timeoutMs: e.MASTODON_REQUEST_TIMEOUT_MS,
    hashtags: e.MASTODON_HASHTAGS ?? [],
  };
}
