import { isAdapterError } from '../adapters/errors.ts';
import { AppError } from './errors.ts';
import { backoffMs } from './retry.ts';
import { scrub } from './scrub.ts';
import { storable } from './storable.ts';

/**
 * What both outboxes (replies to the platforms, alert deliveries to the channels) do after a
 * failed send: the same attempts budget, back-off and dead state, and the same last error as it
 * may be stored and shown (scrubbed of secrets, storable, bounded).
 */
export interface Failure {
  /** Whether trying again can help (a platform down), or a person must act (a refusal). */
  retryable: boolean;
  /** Attempts made so far, this one included. */
  attempts: number;
  maxAttempts: number;
  /** The platform's own "retry after", when it said one. */
  retryAfterMs?: number;
  /** What a refusal becomes: a reply `failed` (a person can retry it), an alert delivery `dead`. */
  refused: 'failed' | 'dead';
  /**
   * The platform refused the credentials themselves (a dead token): the send is held, neither
   * failed nor dead-lettered and without spending an attempt, until a person renews them (the
   * stream's alert says so).
   */
  credentialsRefused?: boolean;
}

/**
 * A send to a platform that threw, as the platform outboxes (replies, moderations) take it: the
 * adapter's error says whether a retry helps and when; odziv's own refusals (AppError) never do.
 */
export function platformFailure(e: unknown, attempts: number, maxAttempts: number): { message: string; failure: Failure & { refused: 'failed' } } {
  const adapter = isAdapterError(e) ? e : undefined;
  return {
    message: adapter ? `${adapter.kind}: ${adapter.message}` : (e as Error).message,
    failure: {
      retryable: adapter ? adapter.retryable : !(e instanceof AppError),
      attempts,
      maxAttempts,
      retryAfterMs: adapter?.retryAfterMs,
      refused: 'failed',
      credentialsRefused: adapter?.kind === 'credentials',
    },
  };
}

/** A held send is tried again this often while its platform's credentials are refused. */
export const CREDENTIALS_HOLD_MS = 5 * 60_000;

export function afterFailure<R extends Failure['refused']>(
  f: Failure & { refused: R },
  now = Date.now(),
): { status: 'pending' | 'dead' | R; availableAt: Date; attempts: number } {
  if (f.credentialsRefused) return { status: 'pending', availableAt: new Date(now + CREDENTIALS_HOLD_MS), attempts: Math.max(0, f.attempts - 1) };
  const status = !f.retryable ? f.refused : f.attempts >= f.maxAttempts ? 'dead' : 'pending';
  return { status, availableAt: new Date(now + (f.retryAfterMs ?? backoffMs(f.attempts))), attempts: f.attempts };
}

/** The last error as stored: a held send says so first. */
export const failureText = (message: string, f: Pick<Failure, 'credentialsRefused'>): string =>
  storedError(f.credentialsRefused ? `held: ${message}` : message, 1000);

/** An error's text as it may be stored and shown to every role. */
export function storedError(message: string, max: number): string {
  return storable(scrub(message).slice(0, max));
}
