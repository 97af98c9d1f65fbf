/** Business hours: parsed from the configuration, and the clock SLA targets run on. */

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
  const m = /^(\S+)\s+([a-z]{3}(?:-[a-z]{3}|(?:,[a-z]{3})*))\s+(\d{2}):(\d{2})-(\d{2}):(\d{2})$/.exec(spec.trim().toLowerCase().replace(/^(\S+)/, (z) => z));
  const tzPart = spec.trim().split(/\s+/)[0] ?? '';
  if (!m) throw new Error('expected "24/7" or a time zone, days and hours such as "Europe/Zagreb mon-fri 08:00-20:00"');
  try {
    new Intl.DateTimeFormat('en', { timeZone: tzPart });
  } catch {
    throw new Error(`unknown time zone "${tzPart}"`);
  }
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

const formatters = new Map<string, Intl.DateTimeFormat>();
function local(t: number, timeZone: string): { day: number; minute: number } {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(t)).map((x) => [x.type, x.value]));
  return { day: DAY.indexOf((p.weekday ?? '').toLowerCase().slice(0, 3)), minute: Number(p.hour) * 60 + Number(p.minute) + (t % 60_000) / 60_000 };
}

/** `start` plus `minutes` of business time (plain time when `bh` is undefined). */
export function addBusinessMinutes(start: Date, minutes: number, bh?: BusinessHours): Date {
  if (!bh) return new Date(start.getTime() + minutes * 60_000);
  let t = start.getTime();
  let remaining = minutes * 60_000;
  for (let guard = 0; guard < 400; guard++) {
    const { day, minute } = local(t, bh.timeZone);
    if (bh.days.includes(day) && minute >= bh.from && minute < bh.to) {
      const windowEnd = t + (bh.to - minute) * 60_000;
      if (t + remaining <= windowEnd) return new Date(t + remaining);
      remaining -= windowEnd - t;
      t = windowEnd;
    } else if (bh.days.includes(day) && minute < bh.from) {
      t += (bh.from - minute) * 60_000;
    } else {
      t += (24 * 60 - minute) * 60_000; // to local midnight, then look again
    }
  }
  return new Date(t + remaining);
}
