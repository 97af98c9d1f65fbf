/**
 * Quiet hours: a nightly window (in a time zone) when alerts that are not urgent wait in the outbox
 * instead of waking people up. "22:00-07:00" or "Europe/Zagreb 22:00-07:00".
 */
import { atLocal, isTimeZone, localTime } from './zone.ts';

export interface QuietHours {
  timeZone: string;
  /** Minutes after local midnight. */
  from: number;
  to: number;
}

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

export function parseQuietHours(spec: string, defaultTimeZone = 'UTC'): QuietHours {
  const parts = spec.trim().split(/\s+/);
  const range = parts.pop() ?? '';
  const timeZone = parts.join(' ') || defaultTimeZone;
  if (!isTimeZone(timeZone)) throw new Error(`unknown time zone "${timeZone}"`);
  const [a, b] = range.split('-');
  const ma = TIME.exec(a ?? '');
  const mb = TIME.exec(b ?? '');
  if (!ma || !mb) throw new Error(`expected "[time zone] HH:MM-HH:MM", e.g. "Europe/Zagreb 22:00-07:00", got "${spec}"`);
  const from = Number(ma[1]) * 60 + Number(ma[2]);
  const to = Number(mb[1]) * 60 + Number(mb[2]);
  if (from === to) throw new Error(`quiet hours "${spec}" start and end at the same time`);
  return { timeZone, from, to };
}

/** When the quiet hours around `now` end (their local end time, whatever the clocks did that night), or null when it is not quiet now. */
export function quietUntil(q: QuietHours | undefined, now: Date): Date | null {
  if (!q) return null;
  const l = localTime(now, q.timeZone);
  const m = Math.floor(l.minute);
  const quiet = q.from < q.to ? m >= q.from && m < q.to : m >= q.from || m < q.to;
  if (!quiet) return null;
  // An overnight window entered before midnight ends on the next local day.
  const nextDay = q.from > q.to && m >= q.from;
  return atLocal(l.year, l.month, l.day + (nextDay ? 1 : 0), q.to, q.timeZone);
}
