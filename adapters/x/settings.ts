import { z } from 'zod';

/** A search without retweets: odziv adds " -is:retweet" unless the query says it already. */
export const withoutRetweets = (q: string) => (/-is:retweet/.test(q) ? q : `${q} -is:retweet`);

/** X takes 512 characters of query, counted after odziv's addition. */
export const searchQuery = z
  .string()
  .min(1)
  .refine((q) => withoutRetweets(q).length <= 512, { error: 'expected at most 500 characters (X allows 512, and odziv adds " -is:retweet")' });

/** X's environment variables; one brand account can be watched from these alone. Set X_BEARER_TOKEN to turn X on. */
export const xEnv = {
  X_BEARER_TOKEN: z.string().min(20, { error: "expected the app's bearer token" }),
  X_APP_KEY: z.string().min(1).optional(),
  X_APP_SECRET: z.string().min(1).optional(),
  X_ACCESS_TOKEN: z.string().min(1).optional(),
  X_ACCESS_SECRET: z.string().min(1).optional(),
  X_BRAND_USERNAME: z
    .string({ error: 'required when X_BEARER_TOKEN is set: the brand account to watch' })
    .regex(/^@?[A-Za-z0-9_]{1,15}$/, { error: 'expected an X username (letters, digits, _; at most 15)' }),
  X_SEARCH_QUERY: searchQuery.optional(),
  X_API_BASE_URL: z.string().url({ error: 'expected a URL such as https://api.x.com' }).default('https://api.x.com'),
  X_RATE_BUDGET: z.coerce.number().int().min(1).max(100_000).default(180),
  X_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  X_POLL_OVERLAP_SEC: z.coerce.number().int().min(0).max(3600).default(120),
};
export type XEnv = z.output<z.ZodObject<typeof xEnv>>;

const USER_CONTEXT = ['X_APP_KEY', 'X_APP_SECRET', 'X_ACCESS_TOKEN', 'X_ACCESS_SECRET'] as const;

/** Replies need all four user-context credentials or none. */
export function xUserContextProblems(env: Readonly<Record<string, string>>): Array<{ variable: string; message: string }> {
  const given = USER_CONTEXT.filter((k) => env[k]);
  if (given.length === 0 || given.length === USER_CONTEXT.length) return [];
  return USER_CONTEXT.filter((k) => !env[k]).map((variable) => ({
    variable,
    message: `required with ${given.join(', ')}: replies need all four user-context credentials`,
  }));
}

export interface XSettings {
  bearerToken: string;
  user?: { appKey: string; appSecret: string; accessToken: string; accessSecret: string };
  brandUsername: string;
  searchQuery?: string;
  baseUrl: string;
  /** Requests per 15-minute window the deployment may spend on reads (the tier's budget). */
  rateBudget: number;
  timeoutMs: number;
  overlapMs: number;
}

export function xSettings(e: XEnv): XSettings {
  return {
    bearerToken: e.X_BEARER_TOKEN,
    user:
      e.X_APP_KEY && e.X_APP_SECRET && e.X_ACCESS_TOKEN && e.X_ACCESS_SECRET
        ? { appKey: e.X_APP_KEY, appSecret: e.X_APP_SECRET, accessToken: e.X_ACCESS_TOKEN, accessSecret: e.X_ACCESS_SECRET }
        : undefined,
    brandUsername: e.X_BRAND_USERNAME.replace(/^@/, ''),
    searchQuery: e.X_SEARCH_QUERY,
    baseUrl: e.X_API_BASE_URL.replace(/\/+$/, ''),
    rateBudget: e.X_RATE_BUDGET,
    timeoutMs: e.X_REQUEST_TIMEOUT_MS,
    overlapMs: e.X_POLL_OVERLAP_SEC * 1000,
  };
}

/** The values that must never reach a log. */
export function xSecrets(s: XSettings | undefined): string[] {
  if (!s) return [];
  return [s.bearerToken, s.user?.appSecret, s.user?.accessToken, s.user?.accessSecret].filter((v): v is string => !!v);
}
