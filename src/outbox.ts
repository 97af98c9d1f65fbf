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
}

export function afterFailure<R extends Failure['refused']>(f: Failure & { refused: R }, now = Date.now()): { status: 'pending' | 'dead' | R; availableAt: Date } {
  const status = !f.retryable ? f.refused : f.attempts >= f.maxAttempts ? 'dead' : 'pending';
  return { status, availableAt: new Date(now + (f.retryAfterMs ?? backoffMs(f.attempts))) };
}

/** An error's text as it may be stored and shown to every role. */
export function storedError(message: string, max: number): string {
  return storable(scrub(message).slice(0, max));
}
