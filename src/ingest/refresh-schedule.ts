/**
 * How long until a post's engagement is worth reading again. Young, fast-moving posts are read
 * often (a complaint takes off in its first hour), cooling ones less and less, old ones not at all,
 * so the platform's rate budget goes where a viral complaint can still start:
 *
 *   age step     under 1 h: 30 s · under 6 h: 2 min · under 24 h: 10 min · under 72 h: 1 h · older: stop
 *   hot          velocity ≥ 2 × the brand's usual velocity, younger than 24 h: the floor, 15 s
 *   warm         velocity ≥ the brand's usual: half the age step
 *   cold         no new interactions since the last read: twice the age step
 *
 * 15 s is the floor because the metrics job runs every 15 s by default.
 */
export const REFRESH_FLOOR_MS = 15_000;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export interface RefreshInput {
  ageMs: number;
  /** Weighted interactions per minute since the previous read (see viral.ts). */
  velocity: number;
  /** The brand's usual weighted interactions per minute on a post. */
  baselinePerMinute: number;
}

/** Milliseconds until the next read, or null when the post is too old to be worth reading. */
export function refreshIntervalMs({ ageMs, velocity, baselinePerMinute }: RefreshInput): number | null {
  const step = ageMs < HOUR ? 30_000 : ageMs < 6 * HOUR ? 2 * MINUTE : ageMs < 24 * HOUR ? 10 * MINUTE : ageMs < 72 * HOUR ? HOUR : null;
  if (step === null) return null;
  const baseline = Math.max(0.1, baselinePerMinute);
  if (velocity >= 2 * baseline && ageMs < 24 * HOUR) return REFRESH_FLOOR_MS;
  if (velocity >= baseline) return Math.max(REFRESH_FLOOR_MS, step / 2);
  if (velocity <= 0) return step * 2;
  return step;
}
