import pino, { type Logger } from 'pino';
import { scrub } from './scrub.ts';

export type { Logger };

/** Field paths never written to logs, whatever a caller passes. */
const REDACT = [
  'password',
  '*.password',
  'token',
  '*.token',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  'databaseUrl',
  '*.databaseUrl',
  'secret',
  '*.secret',
];

/**
 * JSON lines by default; pretty when stdout is a terminal. Known secret values are also masked
 * inside any string, so a secret that leaks into an error message still never reaches the log.
 */
export function createLogger(opts: { level?: string; secrets?: string[]; destination?: pino.DestinationStream } = {}): Logger {
  const secrets = [
    ...new Set((opts.secrets ?? []).filter((s) => s.length >= 6).flatMap((s) => [s, encodeURIComponent(s), JSON.stringify(s).slice(1, -1)])),
  ].sort((a, b) => b.length - a.length);
  const options: pino.LoggerOptions = {
    level: opts.level ?? 'info',
    redact: { paths: REDACT, censor: '[redacted]' },
  };
  // Scrubbed on the final JSON line, so nothing escapes: messages, fields, error stacks, causes;
  // URL credentials and tokens too, configured or not (a webhook URL's path token).
  options.hooks = { streamWrite: (line: string) => scrub(line, secrets) };
  if (opts.destination) return pino(options, opts.destination);
  if (process.stdout.isTTY && !process.env.CI) {
    return pino({ ...options, transport: { target: 'pino-pretty', options: { colorize: true } } });
  }
  return pino(options);
}
