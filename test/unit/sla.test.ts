import { describe, expect, it } from 'vitest';
import { addBusinessMinutes, parseBusinessHours } from '../../src/calendar/business-hours.ts';
import { firstResponseDue } from '../../src/queue/sla.ts';

describe('SLA in business hours', () => {
  const bh = parseBusinessHours('Europe/Zagreb mon-fri 08:00-20:00')!;

  it('parses the hours and says what is wrong with a bad spec', () => {
    expect(bh).toEqual({ timeZone: 'Europe/Zagreb', days: [1, 2, 3, 4, 5], from: 480, to: 1200 });
    expect(parseBusinessHours('24/7')).toBeUndefined();
    expect(parseBusinessHours('Europe/Belgrade sat,sun 10:00-14:00')).toMatchObject({ days: [6, 0] });
    expect(() => parseBusinessHours('Mars/Olympus mon-fri 08:00-20:00')).toThrow(/unknown time zone/);
    expect(() => parseBusinessHours('Europe/Zagreb mon-fri 20:00-08:00')).toThrow(/earlier to a later/);
    expect(() => parseBusinessHours('weekdays')).toThrow(/expected "24\/7"/);
  });

  it("counts only business minutes, across evenings and weekends, in the team's time zone", () => {
    // Monday 2026-11-23 10:00 in Zagreb is 09:00 UTC (CET, UTC+1).
    expect(addBusinessMinutes(new Date('2026-11-23T09:00:00Z'), 60, bh).toISOString()).toBe('2026-11-23T10:00:00.000Z');
    // Monday 19:30 local + 60 business minutes → Tuesday 08:30 local.
    expect(addBusinessMinutes(new Date('2026-11-23T18:30:00Z'), 60, bh).toISOString()).toBe('2026-11-24T07:30:00.000Z');
    // Friday 19:50 local + 15 → Monday 08:05 local.
    expect(addBusinessMinutes(new Date('2026-11-27T18:50:00Z'), 15, bh).toISOString()).toBe('2026-11-30T07:05:00.000Z');
    // Posted on Sunday: the clock starts Monday 08:00 local.
    expect(addBusinessMinutes(new Date('2026-11-22T12:00:00Z'), 15, bh).toISOString()).toBe('2026-11-23T07:15:00.000Z');
    // Without business hours, plain time.
    expect(firstResponseDue(90, new Date('2026-11-22T12:00:00Z')).toISOString()).toBe('2026-11-22T12:15:00.000Z');
    expect(firstResponseDue(90, new Date('2026-11-22T12:00:00Z'), bh).toISOString()).toBe('2026-11-23T07:15:00.000Z');
  });

  it('keeps local hours across the nights the clocks change', () => {
    const always = parseBusinessHours('Europe/Zagreb mon-sun 06:00-22:00')!;
    // Saturday 21:30 CET + 60 business minutes: 30 on Saturday, 30 from Sunday 06:00 CEST (04:00 UTC, summer time began at 02:00).
    expect(addBusinessMinutes(new Date('2025-03-29T20:30:00Z'), 60, always).toISOString()).toBe('2025-03-30T04:30:00.000Z');
    // Saturday 21:30 CEST + 60: Sunday 06:30 CET (05:30 UTC, summer time ended at 03:00).
    expect(addBusinessMinutes(new Date('2025-10-25T19:30:00Z'), 60, always).toISOString()).toBe('2025-10-26T05:30:00.000Z');
    // A window through the change: Sunday 01:00-05:00 local is three hours of business in spring, five in autumn.
    const night = parseBusinessHours('Europe/Zagreb sun 01:00-05:00')!;
    expect(addBusinessMinutes(new Date('2025-03-30T00:00:00Z'), 240, night).toISOString()).toBe('2025-04-06T00:00:00.000Z');
    expect(addBusinessMinutes(new Date('2025-10-25T23:00:00Z'), 240, night).toISOString()).toBe('2025-10-26T03:00:00.000Z');
  });
});
