import { describe, expect, it } from 'vitest';
import { historyFrom, spikeTest, VolumeCounter, volumeKeys } from '../../rules/signals/spike.ts';
import { yesterday } from '../../src/alerts/digest.ts';
import { parseQuietHours, quietUntil } from '../../src/calendar/quiet-hours.ts';
import { refreshIntervalMs } from '../../src/ingest/refresh-schedule.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

describe('engagement refresh schedule', () => {
  it('reads young hot posts at the floor, cooling ones less often, old ones never', () => {
    expect(refreshIntervalMs({ ageMs: 5 * MIN, velocity: 40, baselinePerMinute: 2 })).toBe(15_000);
    expect(refreshIntervalMs({ ageMs: 5 * MIN, velocity: 1, baselinePerMinute: 2 })).toBe(30_000);
    expect(refreshIntervalMs({ ageMs: 5 * MIN, velocity: 0, baselinePerMinute: 2 })).toBe(60_000);
    expect(refreshIntervalMs({ ageMs: 3 * HOUR, velocity: 2, baselinePerMinute: 2 })).toBe(60_000);
    expect(refreshIntervalMs({ ageMs: 30 * HOUR, velocity: 50, baselinePerMinute: 2 })).toBe(30 * MIN);
    expect(refreshIntervalMs({ ageMs: 30 * HOUR, velocity: 0, baselinePerMinute: 2 })).toBe(2 * HOUR);
    expect(refreshIntervalMs({ ageMs: 73 * HOUR, velocity: 500, baselinePerMinute: 2 })).toBeNull();
  });

  it('spends reads where a complaint is taking off: a sudden spike is read far more often than a quiet post', () => {
    // Weighted interactions over time (minutes → total): one post explodes at 20 min, one never moves.
    const spike = (m: number) => (m < 20 ? m : 20 + (m - 20) * 60);
    const quiet = (_m: number) => 0;
    const reads = (curve: (m: number) => number) => {
      let t = 0.5;
      let lastT = 0;
      let n = 0;
      while (t < 72 * 60) {
        const velocity = (curve(t) - curve(lastT)) / Math.max(0.25, t - lastT);
        const next = refreshIntervalMs({ ageMs: t * MIN, velocity, baselinePerMinute: 2 });
        if (next === null) break;
        lastT = t;
        t += next / MIN;
        n++;
      }
      return n;
    };
    expect(reads(spike)).toBeGreaterThan(reads(quiet) * 3);
    // Three days of a quiet post cost a couple of hundred reads, not 17,280 (every 15 s).
    expect(reads(quiet)).toBeLessThan(250);
  });
});

describe('spike detection', () => {
  const complaint = (words: string[], language = 'hr', categories = ['broken']) => ({
    language,
    isComplaint: true,
    categories,
    evidence: { broken: words, model: ['lex:neg'] },
  });

  it('counts complaints under all, language, category and keyword keys, and nothing else', () => {
    expect(volumeKeys({ language: 'hr', isComplaint: false, categories: ['praise'], evidence: {} })).toEqual([]);
    const keys = volumeKeys(complaint(['ne radi']));
    expect(keys).toEqual(['all', 'language:hr', 'category:broken', 'keyword:ne radi']);
  });

  /** Seven days of a brand with an evening peak: ~2 complaints per 10 min at night, ~30 at 20:00. */
  function brandWeek(start: number): VolumeCounter {
    const v = new VolumeCounter();
    let seed = 1;
    const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let t = start; t < start + 7 * DAY; t += MIN) {
      const hour = new Date(t).getUTCHours();
      const perMinute = hour >= 18 && hour < 22 ? 3 : hour >= 8 ? 1 : 0.2;
      // Poisson by inversion, small rates.
      let n = 0;
      for (let p = Math.exp(-perMinute), s = p, u = rand(); u > s; n++) s += p = (p * perMinute) / (n + 1);
      for (let i = 0; i < n; i++) v.add(volumeKeys(complaint(i % 3 === 0 ? ['sporo'] : ['naplatili'], 'hr', ['billing'])), t + i);
    }
    return v;
  }

  it('an outage ("ne radi" ×12 in 10 minutes) at night spikes; the usual evening peak does not', () => {
    const start = Date.UTC(2026, 10, 1);
    const week = brandWeek(start);
    const day8 = start + 7 * DAY;
    // Normal evening peak on day 8, same shape as the week before.
    for (let t = day8 + 19 * HOUR; t < day8 + 20 * HOUR; t += 20_000) week.add(volumeKeys(complaint(['naplatili'], 'hr', ['billing'])), t);
    const peak = spikeTest(week.history('all', day8 + 19 * HOUR + 30 * MIN, start));
    expect(peak.learning).toBe(false);
    expect(peak.spike).toBe(false);
    // At 03:00 twelve posts say the service is down.
    const outage = day8 + DAY + 3 * HOUR;
    for (let i = 0; i < 12; i++) week.add(volumeKeys(complaint(['ne radi'], 'hr', ['broken'])), outage + i * 40_000);
    const kw = spikeTest(week.history('keyword:ne radi', outage + 9 * MIN, start));
    expect(kw).toMatchObject({ spike: true, count: 12 });
    expect(spikeTest(week.history('category:broken', outage + 9 * MIN, start)).spike).toBe(true);
    // Two minutes into it, five posts already make the alert (the delay is counted in posts, not hours).
    expect(spikeTest(week.history('keyword:ne radi', outage + 2 * MIN, start))).toMatchObject({ spike: true, count: 5 });
    expect(spikeTest(week.history('keyword:ne radi', outage + 1 * MIN, start)).spike).toBe(false);
    // An hour later the window has moved on.
    expect(spikeTest(week.history('keyword:ne radi', outage + 70 * MIN, start)).spike).toBe(false);
  });

  it('judges nothing during its first hour, then learns from the last day', () => {
    const v = new VolumeCounter();
    const t0 = Date.UTC(2026, 10, 1, 12);
    for (let i = 0; i < 8; i++) v.add(['all'], t0 + i * 1000);
    expect(spikeTest(v.history('all', t0 + 5 * MIN, t0))).toMatchObject({ spike: false, learning: true });
    for (let i = 0; i < 8; i++) v.add(['all'], t0 + 2 * HOUR + i * 1000);
    expect(spikeTest(v.history('all', t0 + 2 * HOUR + 5 * MIN, t0))).toMatchObject({ spike: true, learning: false });
  });

  it('uses a Poisson spread at least, so a key that is usually busy needs far more to spike', () => {
    expect(spikeTest({ count: 6, seasonalSpan: [0, 0, 0, 0], recentPerWindow: null }).spike).toBe(true);
    expect(spikeTest({ count: 40, seasonalSpan: [90, 93, 87, 90], recentPerWindow: null })).toMatchObject({ spike: false, expected: 30 });
    expect(spikeTest({ count: 60, seasonalSpan: [90, 93, 87, 90], recentPerWindow: null }).spike).toBe(true);
    const h = historyFrom(() => 0, Date.UTC(2026, 0, 8), Date.UTC(2026, 0, 1));
    expect(h.seasonalSpan).toHaveLength(6);
  });
});

describe('quiet hours', () => {
  it('parses a window with or without a time zone and names what is wrong', () => {
    expect(parseQuietHours('Europe/Zagreb 22:00-07:00')).toEqual({ timeZone: 'Europe/Zagreb', from: 1320, to: 420 });
    expect(parseQuietHours('23:30-06:00', 'Europe/Belgrade').timeZone).toBe('Europe/Belgrade');
    expect(() => parseQuietHours('Mars/Base 22:00-07:00')).toThrow(/unknown time zone "Mars\/Base"/);
    expect(() => parseQuietHours('22-7')).toThrow(/HH:MM-HH:MM/);
  });

  it('holds until the local end of the window, across midnight', () => {
    const q = parseQuietHours('Europe/Zagreb 22:00-07:00');
    // 23:10 in Zagreb (UTC+1 in November) → quiet until 07:00 local = 06:00 UTC.
    expect(quietUntil(q, new Date('2026-11-22T22:10:00Z'))?.toISOString()).toBe('2026-11-23T06:00:00.000Z');
    expect(quietUntil(q, new Date('2026-11-23T05:59:00Z'))?.toISOString()).toBe('2026-11-23T06:00:00.000Z');
    expect(quietUntil(q, new Date('2026-11-23T06:00:00Z'))).toBeNull();
    expect(quietUntil(q, new Date('2026-11-22T12:00:00Z'))).toBeNull();
    expect(quietUntil(undefined, new Date())).toBeNull();
  });

  it('ends at 07:00 local on both nights the clocks change', () => {
    const q = parseQuietHours('Europe/Zagreb 22:00-07:00');
    // 2025-03-30: clocks go forward at 02:00 CET. Midnight CET is 23:00 UTC; 07:00 CEST is 05:00 UTC.
    expect(quietUntil(q, new Date('2025-03-29T23:00:00Z'))?.toISOString()).toBe('2025-03-30T05:00:00.000Z');
    expect(quietUntil(q, new Date('2025-03-29T21:30:00Z'))?.toISOString()).toBe('2025-03-30T05:00:00.000Z');
    expect(quietUntil(q, new Date('2025-03-30T05:00:00Z'))).toBeNull();
    // 2025-10-26: clocks go back at 03:00 CEST. Midnight CEST is 22:00 UTC; 07:00 CET is 06:00 UTC.
    expect(quietUntil(q, new Date('2025-10-25T22:00:00Z'))?.toISOString()).toBe('2025-10-26T06:00:00.000Z');
    expect(quietUntil(q, new Date('2025-10-26T05:30:00Z'))?.toISOString()).toBe('2025-10-26T06:00:00.000Z');
    expect(quietUntil(q, new Date('2025-10-26T06:00:00Z'))).toBeNull();
  });
});

describe('digest day', () => {
  it('is yesterday in the brand time zone, local midnight to midnight', () => {
    const d = yesterday(new Date('2026-11-23T07:00:00Z'), 'Europe/Zagreb');
    expect(d).toEqual({ label: '2026-11-22', from: new Date('2026-11-21T23:00:00Z'), to: new Date('2026-11-22T23:00:00Z') });
    // The night summer time ends the day has 25 hours.
    const dst = yesterday(new Date('2026-10-26T07:00:00Z'), 'Europe/Zagreb');
    expect(dst.to.getTime() - dst.from.getTime()).toBe(25 * HOUR);
  });
});
