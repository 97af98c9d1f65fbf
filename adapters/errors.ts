import type { Platform } from './types.ts';

/**
 * Adapter failures say whether a retry helps, so the poller and the outbox decide from fields,
 * never from message text:
 * - rate_limit: wait `retryAfterMs`, then retry;
 * - network / server: retry with back-off;
 * - unknown_outcome: the request may have taken effect (time-out after sending): check first;
 * - credentials: the token itself is dead (expired, revoked, the app removed): every call fails
 *   until a person renews it; streams fail and alert at once, replies wait for the new token;
 * - auth / not_found / invalid: retrying the same call will not help; a person must act.
 */
export type AdapterErrorKind = 'rate_limit' | 'network' | 'server' | 'unknown_outcome' | 'credentials' | 'auth' | 'not_found' | 'invalid';

const RETRYABLE: ReadonlySet<AdapterErrorKind> = new Set(['rate_limit', 'network', 'server', 'unknown_outcome']);

/**
 * A network error's message with what lies under it: fetch says only "fetch failed", its cause
 * says "UND_ERR_SOCKET: other side closed" (a reset connection); both are kept.
 */
export function networkMessage(e: unknown): string {
  const err = e as Error & { cause?: { code?: string; message?: string } };
  const under = [err.cause?.code, err.cause?.message].filter((p): p is string => !!p && !err.message.includes(p)).join(': ');
  return under ? `${err.message} (${under})` : err.message;
}

export class AdapterError extends Error {
  readonly retryable: boolean;

  constructor(
    readonly platform: Platform,
    readonly kind: AdapterErrorKind,
    message: string,
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AdapterError';
    this.retryable = RETRYABLE.has(kind);
  }
}

export function isAdapterError(e: unknown): e is AdapterError {
  return e instanceof AdapterError;
}
