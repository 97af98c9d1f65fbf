/** How long a failing stream, reply or alert delivery waits at most before it is tried again. */
export const MAX_BACKOFF_MS = 15 * 60_000;

/** Exponential back-off with full jitter: 5 s, 10 s, 20 s … up to 15 min. */
export function backoffMs(failures: number, random = Math.random): number {
  const cap = Math.min(MAX_BACKOFF_MS, 5_000 * 2 ** Math.max(0, failures - 1));
  return Math.round(cap / 2 + (random() * cap) / 2);
}
