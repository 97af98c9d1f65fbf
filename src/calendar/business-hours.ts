/** Business hours: parsed from the configuration, and the clock SLA targets run on. */
import { atLocal, isTimeZone, localTime } from './zone.ts';

/** When the team works: days (0 = Sunday) and minutes of the day, in a time zone. */
export interface BusinessHours {
  timeZone: string;
  days: number[];
  from: number;
  to: number;
}

const DAY = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/**
 * "24/7" (undefined: always open) or "Europe/Zagreb mon-fri 08:00-20:00" (days as a range or a
 * comma list). Throws with what was expected.
 */
export function parseBusinessHours(spec: string): BusinessHours | undefined {
  if (spec.trim() === '24/7') return undefined;
  const m = /^(\S+)\s+([a-z]{3}(?:-[a-z]{3}|(?:,[a-z]{3})*))\s+(\d{2}):(\d{2})-(\d{2}):(\d{2})$/.exec(
    spec
      .trim()
      .toLowerCase()
      .replace(/^(\S+)/, (z) => z),
  );
  const tzPart = spec.trim().split(/\s+/)[0] ?? '';
  if (!m) throw new Error('expected "24/7" or a time zone, days and hours such as "Europe/Zagreb mon-fri 08:00-20:00"');
  if (!isTimeZone(tzPart)) throw new Error(`unknown time zone "${tzPart}"`);
  const dayIdx = (d: string) => {
    const i = DAY.indexOf(d);
    if (i < 0) throw new Error(`unknown day "${d}" (use mon, tue, wed, thu, fri, sat, sun)`);
    return i;
  };
  let days: number[];
  if (m[2]!.includes('-')) {
    const [a, b] = m[2]!.split('-').map(dayIdx) as [number, number];
    days = [];
    for (let d = a; ; d = (d + 1) % 7) {
      days.push(d);
      if (d === b) break;
    }
  } else days = m[2]!.split(',').map(dayIdx);
  const from = Number(m[3]) * 60 + Number(m[4]);
  const to = Number(m[5]) * 60 + Number(m[6]);
  if (from >= to || to > 24 * 60) throw new Error('the hours must run from an earlier to a later time on the same day');
  return { timeZone: tzPart, days, from, to };
}

/** `start` plus `minutes` of business time (plain time when `bh` is undefined). */
export function addBusinessMinutes(start: Date, minutes: number, bh?: BusinessHours): Date {
  if (!bh) return new Date(start.getTime() + minutes * 60_000);
  let t = start.getTime();
  let remaining = minutes * 60_000;
  for (let guard = 0; guard < 400; guard++) {
    const l = localTime(t, bh.timeZone);
    const open = bh.days.includes(l.weekday);
    if (open && l.minute >= bh.from && l.minute < bh.to) {
      const windowEnd = atLocal(l.year, l.month, l.day, bh.to, bh.timeZone).getTime();
      if (t + remaining <= windowEnd) return new Date(t + remaining);
      remaining -= windowEnd - t;
      t = windowEnd;
    } else if (open && l.minute < bh.from) {
      t = atLocal(l.year, l.month, l.day, bh.from, bh.timeZone).getTime();
    } else {
      t = atLocal(l.year, l.month, l.day + 1, 0, bh.timeZone).getTime(); // the next local midnight, then look again
    }
  }
  return new Date(t + remaining);
}
