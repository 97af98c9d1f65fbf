import type { EngagementMetrics } from '../../db/schema/platforms.ts';

/**
 * How fast one complaint is spreading, 0–100. The one formula:
 *
 *   weighted     = likes + 1.5 × replies + 2.5 × reposts + 2.5 × quotes   (sharing spreads, liking less)
 *   Δ, span      = growth of `weighted` from the newest snapshot at least 2 minutes older than the
 *                  latest (or from posting, for a young post) to the latest, and the minutes between
 *   velocity     = Δ / span over 2 minutes or more; over a shorter span (a post under 2 minutes
 *                  old) the rate we can be sure of, (Δ − 2√Δ)⁺ / max(span, 0.25): three likes in
 *                  15 s are noise, not 12 a minute, while 120 in 30 s are a fire
 *   vsReach      = velocity / √(1 + followers / 1000)   (a celebrity's posts are always busy)
 *   vsBrand      = velocity / the brand's usual velocity per post (baseline, ≥ 0.1)
 *   raw          = 0.6 × ln(1 + vsReach) + 0.4 × ln(1 + vsBrand)
 *   burst        = 0.4 when it looks bought: ≥ 200 likes with replies + quotes under 1 % of them
 *   viral        = 100 × (1 − e^(−raw / 3)) × burst × (0.4 + 0.6 × complaint probability)
 *
 * A complaint crosses the alert threshold (ODZIV_VIRAL_THRESHOLD, 60) when people share it fast
 * compared to what its author and the brand usually get.
 */
export interface Snapshot {
  at: Date;
  metrics: EngagementMetrics;
}

export interface ViralInput {
  postedAt: Date;
  /** Oldest first; at least one (the last few minutes of them are enough). */
  snapshots: Snapshot[];
  followers: number | null;
  complaint: number;
  /** The brand's usual weighted interactions per minute on a post. */
  baselinePerMinute: number;
}

export interface ViralScore {
  score: number;
  velocity: number;
  vsReach: number;
  vsBrand: number;
  burst: boolean;
}

/** Velocity is measured over at least this long when the post is old enough. */
export const MIN_SPAN_MINUTES = 2;

export const weighted = (m: EngagementMetrics) => m.likes + 1.5 * m.replies + 2.5 * m.reposts + 2.5 * m.quotes;

export function viralScore(v: ViralInput): ViralScore {
  const last = v.snapshots.at(-1)!;
  const span = (s: { at: Date }) => (last.at.getTime() - s.at.getTime()) / 60_000;
  const prev = v.snapshots.findLast((s) => span(s) >= MIN_SPAN_MINUTES) ?? { at: v.postedAt, metrics: { likes: 0, reposts: 0, replies: 0, quotes: 0 } };
  const growth = Math.max(0, weighted(last.metrics) - weighted(prev.metrics));
  const minutes = span(prev);
  const velocity = minutes >= MIN_SPAN_MINUTES ? growth / minutes : Math.max(0, growth - 2 * Math.sqrt(growth)) / Math.max(0.25, minutes);
  const vsReach = velocity / Math.sqrt(1 + Math.max(0, v.followers ?? 0) / 1000);
  const vsBrand = velocity / Math.max(0.1, v.baselinePerMinute);
  const m = last.metrics;
  const burst = m.likes >= 200 && m.replies + m.quotes < 0.01 * m.likes;
  const raw = 0.6 * Math.log1p(vsReach) + 0.4 * Math.log1p(vsBrand);
  const score = 100 * (1 - Math.exp(-raw / 3)) * (burst ? 0.4 : 1) * (0.4 + 0.6 * Math.max(0, Math.min(1, v.complaint)));
  const r = (x: number) => Math.round(x * 100) / 100;
  return { score: Math.round(score), velocity: r(velocity), vsReach: r(vsReach), vsBrand: r(vsBrand), burst };
}
