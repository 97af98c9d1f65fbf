import { ApiPartialResponseError, ApiRequestError, ApiResponseError } from 'twitter-api-v2';
import { AdapterError } from '../errors.ts';

/**
 * Maps what twitter-api-v2 throws to an AdapterError that says whether a retry helps. For a write
 * (`sending`), a lost connection means the outcome is unknown: the tweet may exist.
 */
export function toAdapterError(e: unknown, what: string, sending = false, now = Date.now()): AdapterError {
  if (e instanceof AdapterError) return e;
  if (e instanceof ApiResponseError) {
    const detail = (e.data as { detail?: string; title?: string } | undefined)?.detail ?? e.message;
    const msg = `${what}: ${e.code} ${detail}`;
    // The plan's monthly read cap: no window resets it this month. Try hourly (the plan may be
    // raised meanwhile) and say what it is.
    if (
      e.code === 429 &&
      /usage-capped|UsageCapExceeded/i.test(
        `${(e.data as { type?: string } | undefined)?.type ?? ''} ${(e.data as { title?: string } | undefined)?.title ?? ''}`,
      )
    ) {
      return new AdapterError('x', 'rate_limit', `${msg} (the X plan's usage cap is spent: raise the plan or wait for the next period)`, 3_600_000, {
        cause: e,
      });
    }
    if (e.code === 429 || e.rateLimitError) {
      // Three limits answer 429: the endpoint's 15-minute window, the app's and the user's 24-hour
      // caps (posts). Wait for the latest reset of those spent, or a reply would retry every 15
      // minutes all day and be dead-lettered before the day's cap comes back.
      const rl = e.rateLimit;
      const spent = [rl, rl?.day, rl?.userDay].filter((l) => l && l.remaining === 0 && l.reset);
      const reset = Math.max(0, ...spent.map((l) => l!.reset)) || rl?.reset;
      const wait = reset ? Math.max(1_000, reset * 1000 - now + 1_000) : 60_000;
      const which = rl?.userDay?.remaining === 0 ? " (the account's 24-hour posting cap)" : rl?.day?.remaining === 0 ? " (the app's 24-hour cap)" : '';
      return new AdapterError('x', 'rate_limit', `${msg}${which}`, wait, { cause: e });
    }
    // X answers 403 for more than credentials: a reply to a deleted post, or text the account has
    // posted before. Those need a person to change the reply, not the credentials.
    if (e.code === 403 && /deleted or not visible/i.test(detail)) return new AdapterError('x', 'not_found', msg, undefined, { cause: e });
    if (e.code === 403 && /duplicate content/i.test(detail))
      return new AdapterError('x', 'invalid', `${msg} (X refuses text this account has already posted: reword the reply)`, undefined, { cause: e });
    if (e.code === 401 || e.code === 403) return new AdapterError('x', 'auth', msg, undefined, { cause: e });
    if (e.code === 404) return new AdapterError('x', 'not_found', msg, undefined, { cause: e });
    if (e.code >= 500) return new AdapterError('x', sending ? 'unknown_outcome' : 'server', msg, undefined, { cause: e });
    return new AdapterError('x', 'invalid', msg, undefined, { cause: e });
  }
  if (e instanceof ApiRequestError || e instanceof ApiPartialResponseError) {
    // The underlying socket error (ECONNRESET, a time-out). The library keeps it in its options as
    // `error`, where its own `requestError` getter does not look (twitter-api-v2 1.x).
    type SocketError = Error & { code?: string };
    const lib = e as unknown as { _options?: { error?: SocketError }; requestError?: SocketError; responseError?: SocketError };
    const inner = lib.requestError ?? lib.responseError ?? lib._options?.error;
    const detail = inner ? [inner.code, inner.message].filter((p) => !!p).join(': ') : '';
    return new AdapterError('x', sending ? 'unknown_outcome' : 'network', `${what}: ${e.message}${detail ? ` (${detail})` : ''}`, undefined, { cause: e });
  }
  return new AdapterError('x', sending ? 'unknown_outcome' : 'network', `${what}: ${(e as Error).message}`, undefined, { cause: e });
}
