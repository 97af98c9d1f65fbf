import { z } from 'zod';

/** A Mastodon hashtag as its timeline takes it: letters, digits and _, without the #. */
export const HASHTAG = /^[\p{L}\p{N}_]{1,100}$/u;

/** Mastodon settings from the environment: one brand account on one server. */
const MastodonEnv = z.object({
  MASTODON_URL: z
    .string()
    .url({ error: 'expected the server’s address, like https://mastodon.social' })
    .regex(/^https?:\/\//i, { error: 'expected an http:// or https:// address' }),
  MASTODON_ACCESS_TOKEN: z.string({ error: 'required with MASTODON_URL: an access token with read:notifications, read:statuses and write:statuses' }).min(20, { error: 'expected the brand account’s access token' }),
  MASTODON_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  MASTODON_HASHTAGS: z
    .string()
    .transform((v) => [...new Set(v.split(',').map((t) => t.trim().replace(/^#/, '')).filter(Boolean))])
    .pipe(z.array(z.string().regex(HASHTAG, { error: 'expected hashtags of letters, digits and _, separated by commas (like vedra,VedraTelekom)' })).max(10, { error: 'at most 10 hashtags' }))
    .optional(),
});

export interface MastodonSettings {
  baseUrl: string;
  accessToken: string;
  timeoutMs: number;
  /** Hashtags whose public timelines are watched besides the mentions (without the #). */
  hashtags: string[];
}

/** Undefined when Mastodon is not configured (no MASTODON_URL); throws naming every bad variable. */
export function mastodonSettingsFromEnv(env: NodeJS.ProcessEnv): MastodonSettings | undefined {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([k, v]) => k.startsWith('MASTODON_') && v !== undefined && v.trim() !== ''));
  if (!cleaned.MASTODON_URL && !cleaned.MASTODON_ACCESS_TOKEN) return undefined;
  if (!cleaned.MASTODON_URL) throw new Error('MASTODON_URL: required with MASTODON_ACCESS_TOKEN: the address of the brand’s server');
  const parsed = MastodonEnv.safeParse(cleaned);
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return { baseUrl: parsed.data.MASTODON_URL.replace(/\/+$/, ''), accessToken: parsed.data.MASTODON_ACCESS_TOKEN, timeoutMs: parsed.data.MASTODON_REQUEST_TIMEOUT_MS, hashtags: parsed.data.MASTODON_HASHTAGS ?? [] };
}
