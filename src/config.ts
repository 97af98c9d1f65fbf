import { validateDetailed } from 'node-cron';
import { z } from 'zod';
import { platformSchema, setVariables } from '../adapters/registry.ts';
import type { ConfiguredPlatform } from '../adapters/types.ts';
import { type BusinessHours, parseBusinessHours } from './calendar/business-hours.ts';
import { parseQuietHours, type QuietHours } from './calendar/quiet-hours.ts';

const webhookUrl = (what: string) =>
  z
    .string()
    .url({ error: `expected a URL (${what})` })
    .regex(/^https?:\/\//i, { error: `expected an http:// or https:// URL (${what})` });

/** A cron expression as node-cron reads it (5 fields, or 6 with seconds first), checked before anything starts. */
const cron = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .superRefine((v, ctx) => {
      const r = validateDetailed(v);
      if (!r.valid) ctx.addIssue({ code: 'custom', message: `expected a cron expression such as "${fallback}": ${r.errors.map((e) => e.message).join('; ')}` });
    });

/** An SMTP server as a URL, parsed now: a malformed one would otherwise be printed, password and all, by a deprecation warning. */
const smtpUrl = z.string().superRefine((v, ctx) => {
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    return void ctx.addIssue({
      code: 'custom',
      message: 'expected smtp://user:pass@host:port or smtps://…, with special characters in the password percent-encoded',
    });
  }
  if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:') ctx.addIssue({ code: 'custom', message: 'expected smtp:// or smtps://' });
  else if (!u.hostname) ctx.addIssue({ code: 'custom', message: 'expected a host: smtp://user:pass@host:port' });
});

/** One address ("ana@vedra.hr" or "Ana <ana@vedra.hr>"), or several separated by commas. */
const ADDRESS = /^(?:[^<>@\s,]+@[^<>@\s,]+|[^<>@,]*<[^<>@\s,]+@[^<>@\s,]+>)$/;
const addresses = (several: boolean) =>
  z.string().refine((v) => (several ? v.split(',') : [v]).every((a) => ADDRESS.test(a.trim())), {
    error: several
      ? 'expected e-mail addresses separated by commas (ana@vedra.hr, Marko <marko@vedra.hr>)'
      : 'expected one e-mail address (odziv@vedra.hr or "odziv <odziv@vedra.hr>")',
  });

/** Environment variables odziv reads, validated once at start-up (fail fast, never skip). */
const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  ODZIV_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'expected a postgres:// or postgresql:// URL')
    .optional(),
  /** Connections each instance keeps to PostgreSQL (plus one for LISTEN). */
  DATABASE_POOL_SIZE: z.coerce
    .number({ error: 'expected a number of connections from 2 to 200' })
    .int({ error: 'expected a whole number of connections from 2 to 200' })
    .min(2, { error: 'expected a number of connections from 2 to 200' })
    .max(200, { error: 'expected a number of connections from 2 to 200' })
    .default(10),
  /** off behind PgBouncer in transaction mode before 1.21, which cannot carry prepared statements. */
  DATABASE_PREPARE: z.enum(['on', 'off'], { error: 'expected on or off' }).default('on'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ODZIV_RULES_DIR: z.string().min(1).default('./rules/packs'),
  ODZIV_ADMIN_EMAIL: z.string().email().default('admin@odziv.local'),
  ODZIV_ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  ODZIV_POLL_CRON: cron('*/2 * * * * *'),
  ODZIV_OUTBOX_CRON: cron('* * * * * *'),
  ODZIV_REPLAY: z.enum(['auto', 'on', 'off']).default('auto'),
  ODZIV_REPLAY_SPEED: z.coerce.number().positive().max(10_000).default(1),
  ODZIV_REPLAY_FILE: z.string().min(1).optional(),
  ODZIV_STREAM_ALERT_AFTER_MIN: z.coerce.number().positive().max(10_080).default(10),
  ODZIV_METRICS_CRON: cron('*/15 * * * * *'),
  ODZIV_SLA_CRON: cron('*/30 * * * * *'),
  ODZIV_CLAIM_IDLE_MIN: z.coerce.number().positive().max(10_080).default(30),
  ODZIV_SIGNATURE: z.string().min(1).max(60).default('– {responder}'),
  ODZIV_BUSINESS_HOURS: z
    .string()
    .default('24/7')
    .superRefine((v, ctx) => {
      try {
        parseBusinessHours(v);
      } catch (e) {
        ctx.addIssue({ code: 'custom', message: (e as Error).message });
      }
    }),
  ODZIV_TEMPLATES: z.string().min(1).default('./rules/templates.yaml'),
  ODZIV_VIRAL_THRESHOLD: z.coerce.number().min(1).max(100).default(60),
  ODZIV_ALERTS_CRON: cron('*/5 * * * * *'),
  ODZIV_PUBLIC_URL: z
    .string()
    .url({ error: 'expected the address people open odziv at, like https://odziv.example.com' })
    .regex(/^https?:\/\//, { error: 'expected an http:// or https:// address' })
    .transform((u) => u.replace(/\/+$/, ''))
    .optional(),
  ALERT_WEBHOOK_URL: webhookUrl('a Slack-compatible incoming webhook').optional(),
  ALERT_WEBHOOK_URL_CM: webhookUrl('a Slack-compatible incoming webhook').optional(),
  ALERT_SIGNED_WEBHOOK_URL: webhookUrl('where the signed JSON is posted').optional(),
  ALERT_WEBHOOK_SECRET: z.string().min(16, { error: 'at least 16 characters' }).optional(),
  SMTP_URL: smtpUrl.optional(),
  ALERT_EMAIL_FROM: addresses(false).default('odziv <odziv@localhost>'),
  ALERT_EMAIL_MARKETING: addresses(true).optional(),
  ALERT_EMAIL_CM: addresses(true).optional(),
  ALERT_WEBHOOK_URL_ESCALATION: webhookUrl('a Slack-compatible incoming webhook').optional(),
  ALERT_EMAIL_ESCALATION: addresses(true).optional(),
  ALERT_ESCALATE_AFTER_MIN: z.coerce.number().min(0).max(10_080).default(30),
  ALERT_QUIET_HOURS: z.string().min(1).optional(),
  ODZIV_TIME_ZONE: z
    .string()
    .default('UTC')
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'expected an IANA time zone such as Europe/Zagreb'),
  ODZIV_DIGEST_CRON: cron('0 8 * * *'),
  ODZIV_SPIKES_CRON: cron('30 * * * * *'),
  /** Customers' words older than this are forgotten (unset: kept). */
  ODZIV_RETENTION_DAYS: z.coerce
    .number({ error: 'expected a number of days from 7 to 3650' })
    .int({ error: 'expected a whole number of days from 7 to 3650' })
    .min(7, { error: 'expected a number of days from 7 to 3650' })
    .max(3650, { error: 'expected a number of days from 7 to 3650' })
    .optional(),
  ODZIV_RETENTION_CRON: cron('*/5 * * * *'),
  /** all: API, inbox and jobs in one process; web: API and inbox only; worker: jobs only (with /health). */
  ODZIV_ROLE: z.enum(['all', 'web', 'worker'], { error: 'expected all, web or worker' }).default('all'),
  /**
   * The proxies in front of odziv whose X-Forwarded-For and X-Forwarded-Proto are believed: their
   * addresses separated by commas, or "loopback" for a proxy on this machine. Unset: none.
   */
  ODZIV_TRUST_PROXY: z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((a) => a.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.union([z.literal('loopback'), z.ipv4(), z.ipv6()], { error: 'expected IP addresses separated by commas, or loopback' })))
    .default([]),
});

export type Config = z.infer<typeof EnvSchema> & {
  secrets: string[];
  /** The platforms the environment configures (each adapter reads its own variables). */
  platforms: ConfiguredPlatform[];
  businessHours?: BusinessHours;
  quietHours?: QuietHours;
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** The password in a URL (SMTP, PostgreSQL), decoded as a server would read it, so that form too is masked. */
function urlPassword(url: string | undefined): string | undefined {
  try {
    const raw = url ? new URL(url).password : '';
    return raw ? decodeURIComponent(raw) : undefined;
  } catch {
    return undefined;
  }
}

/** "VARIABLE: what is wrong", naming the entry of a list variable (ODZIV_TRUST_PROXY) that is. */
const variableProblem = (i: z.core.$ZodIssue): string =>
  `${String(i.path[0] ?? '(env)')}: ${i.message}${typeof i.path[1] === 'number' ? ` (entry ${i.path[1] + 1})` : ''}`;

/** Parses the environment; throws ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Blank is unset (`PORT= ` is a slip, and a number read from it would be 0: a random port).
  const cleaned = setVariables(env);
  // One schema: odziv's own variables and the fragments of the platforms this environment turns on.
  const platformPart = platformSchema(cleaned);
  const parsed = (EnvSchema.extend(platformPart.shape) as unknown as z.ZodType<z.output<typeof EnvSchema> & Record<string, unknown>>).safeParse(cleaned);
  const problems = [...(parsed.success ? [] : parsed.error.issues.map(variableProblem)), ...platformPart.crossProblems()];
  let quietHours: QuietHours | undefined;
  if (parsed.success && parsed.data.ALERT_QUIET_HOURS) {
    try {
      quietHours = parseQuietHours(parsed.data.ALERT_QUIET_HOURS, parsed.data.ODZIV_TIME_ZONE);
    } catch (e) {
      problems.push(`ALERT_QUIET_HOURS: ${(e as Error).message}`);
    }
  }
  if (!parsed.success || problems.length) throw new ConfigError(problems);
  const platforms = platformPart.configure(parsed.data);
  // The embedded database serves one process: splitting roles needs a PostgreSQL they share.
  if (parsed.data.ODZIV_ROLE !== 'all' && !parsed.data.DATABASE_URL)
    throw new ConfigError([
      `ODZIV_ROLE: ${parsed.data.ODZIV_ROLE} instances share one PostgreSQL: set DATABASE_URL (the embedded database serves one process, so it runs only as all)`,
    ]);
  if (parsed.data.ALERT_SIGNED_WEBHOOK_URL && !parsed.data.ALERT_WEBHOOK_SECRET)
    throw new ConfigError(['ALERT_WEBHOOK_SECRET: required with ALERT_SIGNED_WEBHOOK_URL (the receiver checks the signature)']);
  // Slack webhook URLs carry their token in the path: whoever has one can post to the channel.
  const secrets = [
    parsed.data.DATABASE_URL,
    urlPassword(parsed.data.DATABASE_URL),
    parsed.data.ODZIV_ADMIN_PASSWORD,
    parsed.data.ALERT_WEBHOOK_SECRET,
    parsed.data.SMTP_URL,
    urlPassword(parsed.data.SMTP_URL),
    parsed.data.ALERT_WEBHOOK_URL,
    parsed.data.ALERT_SIGNED_WEBHOOK_URL,
    parsed.data.ALERT_WEBHOOK_URL_CM,
    parsed.data.ALERT_WEBHOOK_URL_ESCALATION,
    ...platforms.flatMap((p) => p.secrets),
  ].filter((s): s is string => typeof s === 'string' && s.length > 0);
  // The platforms' variables stay in their configured platforms, not beside odziv's own.
  const own = Object.fromEntries(Object.keys(EnvSchema.shape).map((k) => [k, parsed.data[k]])) as z.output<typeof EnvSchema>;
  return { ...own, secrets, platforms, businessHours: parseBusinessHours(parsed.data.ODZIV_BUSINESS_HOURS), quietHours };
}
