import { z } from 'zod';

/** Graph ids are digits, a post's or comment's two joined by "_" (PAGEID_POSTID). */
const graphId = (what: string) => z.string({ error: `required: ${what}` }).regex(/^\d{1,30}$/, { error: `expected ${what} (digits only)` });

/** Meta's environment variables: one Page, and the Instagram account linked to it (shared by both entries). */
export const metaEnv = {
  META_PAGE_ID: graphId('the Facebook Page’s numeric id (Page → About → Page transparency)'),
  META_PAGE_ACCESS_TOKEN: z
    .string({
      error: 'required with META_PAGE_ID: a Page access token with pages_read_engagement, pages_manage_engagement, pages_read_user_content and pages_messaging',
    })
    .min(20, { error: 'expected a Page access token' }),
  META_APP_SECRET: z
    .string({ error: 'required with META_PAGE_ID: the app secret (App settings → Basic), which signs webhook deliveries and API calls' })
    .regex(/^[0-9a-f]{32}$/i, { error: 'expected the app secret: 32 hexadecimal characters' }),
  META_VERIFY_TOKEN: z
    .string({ error: 'required with META_PAGE_ID: the verify token you enter beside the webhook URL in the app dashboard' })
    .min(8, { error: 'expected at least 8 characters' }),
  META_IG_USER_ID: graphId('the Instagram professional account’s id').optional(),
  META_GRAPH_BASE_URL: z.string().url({ error: 'expected a URL such as https://graph.facebook.com' }).default('https://graph.facebook.com'),
  META_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  META_LOOKBACK_DAYS: z.coerce.number().int().min(1).max(90).default(28),
  META_POLL_INTERVAL_SEC: z.coerce.number().int().min(1).max(3_600).default(60),
};

/** Any META_* variable turns Meta on, so a half-configured Page is reported rather than ignored. */
export const metaEnabledBy = (env: Readonly<Record<string, string>>) => Object.keys(env).some((k) => k.startsWith('META_'));

export interface MetaSettings {
  pageId: string;
  pageToken: string;
  appSecret: string;
  verifyToken: string;
  igUserId?: string;
  baseUrl: string;
  timeoutMs: number;
  /** How far back a Page's posts are re-read for new comments (older posts come alive again). */
  lookbackMs: number;
  /** Between reconciling polls when nothing is left to read: webhooks bring comments at once, so polls need not spend the Page's budget often. */
  pollIntervalMs: number;
}

export function metaSettings(e: z.output<z.ZodObject<typeof metaEnv>>): MetaSettings {
  return {
    pageId: e.META_PAGE_ID,
    pageToken: e.META_PAGE_ACCESS_TOKEN,
    appSecret: e.META_APP_SECRET,
    verifyToken: e.META_VERIFY_TOKEN,
    igUserId: e.META_IG_USER_ID,
    baseUrl: e.META_GRAPH_BASE_URL.replace(/\/+$/, ''),
    timeoutMs: e.META_REQUEST_TIMEOUT_MS,
    lookbackMs: e.META_LOOKBACK_DAYS * 86_400_000,
    pollIntervalMs: e.META_POLL_INTERVAL_SEC * 1000,
  };
}

export const metaSecrets = (s: MetaSettings): string[] => [s.pageToken, s.appSecret, s.verifyToken];
