import { describe, expect, it } from 'vitest';
import { type Snapshot, viralScore } from '../../rules/signals/viral.ts';

const t0 = new Date('2026-11-23T10:00:00Z');
const at = (min: number) => new Date(t0.getTime() + min * 60_000);
const snap = (min: number, likes: number, reposts: number, replies: number, quotes: number): Snapshot => ({
  at: at(min),
  metrics: { likes, reposts, replies, quotes },
});
const score = (snaps: Snapshot[], followers: number, complaint = 0.9, baseline = 0.5) =>
  viralScore({ postedAt: t0, snapshots: snaps, followers, complaint, baselinePerMinute: baseline }).score;

describe('viral score on made-up growth curves', () => {
  it('a sudden spike from an ordinary customer crosses the threshold within minutes', () => {
    const curve = [snap(1, 4, 2, 1, 0), snap(3, 70, 55, 18, 9), snap(5, 260, 190, 60, 30)];
    expect(score(curve.slice(0, 1), 800)).toBeLessThan(60);
    expect(score(curve, 800)).toBeGreaterThanOrEqual(60);
  });

  it('a slow burn stays below it', () => {
    const curve = [snap(60, 5, 1, 2, 0), snap(180, 14, 3, 5, 1), snap(600, 40, 8, 12, 2)];
    expect(score(curve, 800)).toBeLessThan(30);
  });

  it("a celebrity's busy post counts for less than the same numbers from a customer", () => {
    const curve = [snap(5, 300, 60, 40, 10), snap(10, 700, 140, 90, 25)];
    expect(score(curve, 2_000_000)).toBeLessThan(score(curve, 500));
  });

  it('a bot-like burst of likes without conversation is discounted', () => {
    const bots = [snap(2, 3000, 5, 2, 0), snap(4, 6000, 8, 3, 0)];
    const people = [snap(2, 300, 120, 90, 30), snap(4, 600, 240, 180, 60)];
    expect(score(bots, 800)).toBeLessThan(score(people, 800));
    expect(viralScore({ postedAt: t0, snapshots: bots, followers: 800, complaint: 0.9, baselinePerMinute: 0.5 }).burst).toBe(true);
  });

  it('praise spreading fast scores lower than a complaint spreading as fast', () => {
    const curve = [snap(3, 70, 55, 18, 9), snap(5, 260, 190, 60, 30)];
    expect(score(curve, 800, 0.05)).toBeLessThan(score(curve, 800, 0.95));
  });
});
