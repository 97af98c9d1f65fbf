import { describe, expect, it } from 'vitest';
import { bucketLabel, timeAxis, toSeries } from '../../src/queue/stats.ts';

const hourOf = (iso: string) => Math.floor(Date.parse(iso) / 3_600_000);

describe('dashboard time axes', () => {
  it("labels hours and days on the user's clock", () => {
    const at = new Date('2026-11-23T07:30:00Z');
    expect(bucketLabel(at, 'hour', 'Europe/Zagreb')).toBe('11-23 08:00');
    expect(bucketLabel(at, 'hour', 'UTC')).toBe('11-23 07:00');
    expect(bucketLabel(new Date('2026-11-23T23:30:00Z'), 'day', 'Europe/Zagreb')).toBe('11-24');
    expect(bucketLabel(new Date('2026-11-23T23:30:00Z'), 'day', 'America/New_York')).toBe('11-23');
  });

  it('lists every hour of the window, empty ones too, oldest first across the new year', () => {
    const axis = timeAxis(new Date('2027-01-01T01:10:00Z'), 48, 'hour', 'UTC');
    expect(axis).toHaveLength(48);
    expect(axis[0]).toBe('12-30 02:00');
    expect(axis.at(-1)).toBe('01-01 01:00');
    expect(axis.indexOf('12-31 23:00')).toBeLessThan(axis.indexOf('01-01 00:00'));
    // The hour the autumn clock change repeats is one bucket; days are the user's days.
    expect(timeAxis(new Date('2026-10-26T12:00:00Z'), 48, 'hour', 'Europe/Zagreb')).toHaveLength(47);
    const days = timeAxis(new Date('2026-11-23T12:00:00Z'), 14, 'day', 'Europe/Zagreb');
    expect(days).toHaveLength(14);
    expect([days[0], days.at(-1)]).toEqual(['11-10', '11-23']);
  });

  it('puts each count in its bucket and series, biggest series first, and leaves out rows outside the window', () => {
    const axis = timeAxis(new Date('2026-11-23T12:00:00Z'), 4, 'hour', 'UTC');
    const rows = [
      { hour: hourOf('2026-11-23T09:05:00Z'), key: 'billing', n: 1 },
      { hour: hourOf('2026-11-23T12:00:00Z'), key: 'broken', n: 2 },
      { hour: hourOf('2026-11-23T12:00:00Z'), key: 'billing', n: 2 },
      { hour: hourOf('2026-11-23T11:00:00Z'), key: 'broken', n: 3 },
      { hour: hourOf('2026-11-22T12:00:00Z'), key: 'legal', n: 9 },
    ];
    const s = toSeries(
      rows,
      axis,
      'hour',
      'UTC',
      (r) => r.key,
      (r) => r.n,
    );
    expect(s.buckets).toEqual(['11-23 09:00', '11-23 10:00', '11-23 11:00', '11-23 12:00']);
    expect(s.series).toEqual([
      { name: 'broken', values: [0, 0, 3, 2] },
      { name: 'billing', values: [1, 0, 0, 2] },
    ]);
  });
});
