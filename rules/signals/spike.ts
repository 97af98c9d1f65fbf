/**
 * Spike detection on complaint volumes — pure functions, shared by the detector job and the bench.
 *
 * Complaints are counted per minute under several keys (`volumeKeys`): every complaint, its
 * categories, its language and its evidence words ("ne radi", "charged"). Each minute the last
 * WINDOW_MINUTES of a key are compared with what that key usually has at this time of day:
 *
 *   seasonal   for each of the last 7 days with data, the count in the half hour around the same
 *              time of day, scaled to one window
 *   expected   mean of the seasonal values when ≥ 3 days are known, else the mean window of the
 *              last 24 hours; with less than an hour of history nothing is judged (a new
 *              install learns its level before it may call anything a spike)
 *   busy day   expected + 2 × the day-to-day swing of the seasonal values (their variance less
 *              their own Poisson noise)
 *   threshold  max(MIN_COUNT, the smallest count a Poisson(busy day) reaches with probability
 *              under ALPHA)   — counts of rare words are small, and small counts have long tails
 *
 * A key spikes when its window count reaches the threshold. An outage shows as "ne radi" ×12 in
 * ten minutes where the same hour usually has one; the evening peak of a busy brand does not.
 */
export const WINDOW_MINUTES = 10;
export const MIN_COUNT = 5;
/** How unlikely a count must be under the usual rate to be a spike: ~1 false alarm per key per 3 years of minutes. */
export const ALPHA = 1e-6;
export const SEASON_DAYS = 7;
/** The span around the same time of day read on earlier days: wide enough to smooth, narrow enough to follow the day's curve. */
export const SEASON_SPAN_MINUTES = 30;

export interface SpikeAnalysis {
  language: string;
  isComplaint: boolean;
  categories: string[];
  evidence: Record<string, string[]>;
}

const NOT_TOPICS = new Set(['praise', 'question']);
const NOT_WORDS = new Set(['model']);

/** The keys a complaint is counted under; empty for anything that is not a complaint. */
export function volumeKeys(a: SpikeAnalysis): string[] {
  if (!a.isComplaint) return [];
  const keys = ['all', `language:${a.language}`];
  for (const c of a.categories) if (!NOT_TOPICS.has(c)) keys.push(`category:${c}`);
  const words = new Set<string>();
  for (const [kind, terms] of Object.entries(a.evidence)) {
    if (NOT_WORDS.has(kind)) continue;
    for (const t of terms) if (t.length >= 3 && t.length <= 40) words.add(t.toLowerCase());
  }
  for (const w of [...words].slice(0, 6)) keys.push(`keyword:${w}`);
  return keys;
}

export interface KeyHistory {
  /** Count in the window now. */
  count: number;
  /** Per earlier day with data (most recent first): count in the span around the same time of day. */
  seasonalSpan: number[];
  /** Mean count per window over the last 24 hours before this window (null under an hour of history). */
  recentPerWindow: number | null;
}

export interface SpikeVerdict {
  spike: boolean;
  count: number;
  expected: number;
  threshold: number;
  /** How far above the expectation, in standard deviations (for ranking). */
  z: number;
  /** Too little history to judge. */
  learning: boolean;
}

/** Smallest n with P(X ≥ n) < alpha for X ~ Poisson(lambda) (normal approximation when large). */
export function poissonThreshold(lambda: number, alpha = ALPHA): number {
  if (lambda > 200) return Math.ceil(lambda + 4.75 * Math.sqrt(lambda));
  let p = Math.exp(-lambda);
  let cdf = 0;
  for (let n = 0; ; n++) {
    if (1 - cdf < alpha) return n;
    cdf += p;
    p *= lambda / (n + 1);
  }
}

export function spikeTest(h: KeyHistory, opts: { minCount?: number; alpha?: number } = {}): SpikeVerdict {
  const minCount = opts.minCount ?? MIN_COUNT;
  const perWindow = h.seasonalSpan.map((n) => (n * WINDOW_MINUTES) / SEASON_SPAN_MINUTES);
  let expected: number;
  let levelVariance = 0;
  if (perWindow.length >= 3) {
    expected = perWindow.reduce((a, b) => a + b, 0) / perWindow.length;
    const variance = perWindow.reduce((a, b) => a + (b - expected) ** 2, 0) / (perWindow.length - 1);
    // A span's count has a Poisson spread of its own; what is left is the day-to-day swing.
    levelVariance = Math.max(0, variance - expected / (SEASON_SPAN_MINUTES / WINDOW_MINUTES));
  } else if (h.recentPerWindow !== null) {
    expected = h.recentPerWindow;
  } else {
    return { spike: false, count: h.count, expected: 0, threshold: 0, z: 0, learning: true };
  }
  const busyDay = expected + 2 * Math.sqrt(levelVariance);
  const threshold = Math.max(minCount, poissonThreshold(Math.max(busyDay, 0.05), opts.alpha));
  const r = (x: number) => Math.round(x * 100) / 100;
  return {
    spike: h.count >= threshold,
    count: h.count,
    expected: r(expected),
    threshold,
    z: r((h.count - expected) / Math.sqrt(Math.max(0.25, expected + levelVariance))),
    learning: false,
  };
}

/** A readable name for a key: `keyword:ne radi` → `"ne radi"`, `category:billing` → `billing`. */
export function describeKey(key: string): string {
  const [kind, ...rest] = key.split(':');
  const value = rest.join(':');
  if (kind === 'keyword') return `"${value}"`;
  if (kind === 'language') return `posts in ${value}`;
  if (kind === 'category') return value;
  return 'all topics';
}

/** Keys of the same incident: a keyword names it best, then a category, a language, then all. */
export function keyRank(key: string): number {
  return key.startsWith('keyword:') ? 0 : key.startsWith('category:') ? 1 : key.startsWith('language:') ? 2 : 3;
}

/** The category most of a key's posts share (≥ 60 %), naming what an incident is about. */
export function dominantCategory(keysOfPosts: readonly (readonly string[])[]): string | undefined {
  const counts = new Map<string, number>();
  for (const keys of keysOfPosts) for (const k of keys) if (k.startsWith('category:')) counts.set(k, (counts.get(k) ?? 0) + 1);
  let best: [string, number] | undefined;
  for (const e of counts) if (!best || e[1] > best[1]) best = e;
  return best && best[1] >= 0.6 * keysOfPosts.length ? best[0] : undefined;
}

/** Keys of one topic that start spiking this close together are one incident told in other words. */
export const SAME_TOPIC_MS = 15 * 60_000;

/**
 * The incident a spiking key belongs to: one that already has the key; or shares at least half of
 * the smaller of the two sets of posts (an outage is a keyword, a category and a language at once,
 * and its first keyword's posts are then a part of its category's); or began within SAME_TOPIC_MS
 * about the same category (a double charge told as "charged twice" by some, "unacceptable" by others).
 */
export function findIncident<T extends { keys: string[]; postIds: number[]; category?: string; startedAt: number }>(
  incidents: T[],
  key: string,
  postIds: ReadonlySet<number>,
  about?: { category?: string; now: number },
): T | undefined {
  return incidents.find((i) => {
    if (i.keys.includes(key)) return true;
    const shared = i.postIds.filter((id) => postIds.has(id)).length;
    if (shared > 0 && shared >= Math.min(postIds.size, i.postIds.length) / 2) return true;
    return Boolean(about?.category && i.category === about.category && about.now - i.startedAt <= SAME_TOPIC_MS);
  });
}

/** An in-memory per-minute counter with the same history shape as the database (the bench uses it). */
export class VolumeCounter {
  private readonly minutes = new Map<string, Map<number, number>>();

  add(keys: string[], at: number): void {
    const minute = Math.floor(at / 60_000);
    for (const key of keys) {
      let m = this.minutes.get(key);
      if (!m) this.minutes.set(key, (m = new Map()));
      m.set(minute, (m.get(minute) ?? 0) + 1);
    }
  }

  /** Sum over [from, to) in ms. */
  sum(key: string, from: number, to: number): number {
    const m = this.minutes.get(key);
    if (!m) return 0;
    let n = 0;
    for (let t = Math.floor(from / 60_000); t < Math.floor(to / 60_000); t++) n += m.get(t) ?? 0;
    return n;
  }

  keys(): string[] {
    return [...this.minutes.keys()];
  }

  /** The history of a key at `now` (ms), given since when anything was counted. */
  history(key: string, now: number, since: number): KeyHistory {
    return historyFrom((from, to) => this.sum(key, from, to), now, since);
  }
}

export interface HistoryRanges {
  window: [number, number];
  /** The span around the same time on each earlier day with data, most recent first. */
  seasonal: Array<[number, number]>;
  /** The last 24 hours before the window (null under an hour of history). */
  recent: { range: [number, number]; windows: number } | null;
}

/** The time ranges (ms, minute-aligned, [from, to)) a key's history at `now` is summed over. */
export function historyRanges(now: number, since: number): HistoryRanges {
  const end = Math.floor(now / 60_000) * 60_000 + 60_000;
  const start = end - WINDOW_MINUTES * 60_000;
  const centre = start + (WINDOW_MINUTES * 60_000) / 2;
  const seasonal: Array<[number, number]> = [];
  for (let d = 1; d <= SEASON_DAYS; d++) {
    const from = centre - d * 86_400_000 - (SEASON_SPAN_MINUTES / 2) * 60_000;
    if (from < Math.floor(since / 60_000) * 60_000) break;
    seasonal.push([from, from + SEASON_SPAN_MINUTES * 60_000]);
  }
  const recentFrom = Math.max(Math.floor(since / 60_000) * 60_000, start - 86_400_000);
  const windows = (start - recentFrom) / (WINDOW_MINUTES * 60_000);
  return { window: [start, end], seasonal, recent: windows >= 6 ? { range: [recentFrom, start], windows } : null };
}

/** Builds a key's history from a "count in [from, to)" function. */
export function historyFrom(sum: (from: number, to: number) => number, now: number, since: number): KeyHistory {
  const r = historyRanges(now, since);
  return {
    count: sum(...r.window),
    seasonalSpan: r.seasonal.map((s) => sum(...s)),
    recentPerWindow: r.recent ? sum(...r.recent.range) / r.recent.windows : null,
  };
}
