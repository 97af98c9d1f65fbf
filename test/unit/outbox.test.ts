import { describe, expect, it } from 'vitest';
import { afterFailure, CREDENTIALS_HOLD_MS, failureText } from '../../src/outbox.ts';

/** The one rule both outboxes (replies and moderations to the platforms, alert deliveries) follow after a failed send. */
describe('after a failed send', () => {
  const base = { retryable: true, attempts: 3, maxAttempts: 6, refused: 'failed' as const };

  it('retries with back-off, dead-letters after the last attempt, and fails a refusal for a person', () => {
    expect(afterFailure(base, 0)).toMatchObject({ status: 'pending', attempts: 3 });
    expect(afterFailure({ ...base, retryAfterMs: 42_000 }, 1_000).availableAt.getTime()).toBe(43_000);
    expect(afterFailure({ ...base, attempts: 6 }, 0).status).toBe('dead');
    expect(afterFailure({ ...base, retryable: false }, 0).status).toBe('failed');
    expect(afterFailure({ ...base, retryable: false, refused: 'dead' as const }, 0).status).toBe('dead');
  });

  it('holds a send whose credentials were refused: pending, no attempt spent, even at the last attempt, and says so', () => {
    const held = afterFailure({ ...base, attempts: 6, retryable: false, credentialsRefused: true }, 1_000);
    expect(held).toEqual({ status: 'pending', attempts: 5, availableAt: new Date(1_000 + CREDENTIALS_HOLD_MS) });
    expect(failureText('credentials: token expired', { credentialsRefused: true })).toBe('held: credentials: token expired');
    expect(failureText('server: 503', {})).toBe('server: 503');
  });
});
