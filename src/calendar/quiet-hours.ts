/**
 * Quiet hours: a nightly window (in a time zone) when alerts that are not urgent wait in the outbox
 * instead of waking people up. "22:00-07:00" or "Europe/Zagreb 22:00-07:00".
 */
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
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    throw new Error(`unknown time zone "${timeZone}"`);
  }
  const [a, b] = range.split('-');
  const ma = TIME.exec(a ?? '');
  const mb = TIME.exec(b ?? '');
  if (!ma || !mb) throw new Error(`expected "[time zone] HH:MM-HH:MM", e.g. "Europe/Zagreb 22:00-07:00", got "${spec}"`);
  const from = Number(ma[1]) * 60 + Number(ma[2]);
  const to = Number(mb[1]) * 60 + Number(mb[2]);
  if (from === to) throw new Error(`quiet hours "${spec}" start and end at the same time`);
  return { timeZone, from, to };
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function minuteOfDay(t: Date, timeZone: string): number {
  let f = formatters.get(timeZone);
  if (!f) formatters.set(timeZone, (f = new Intl.DateTimeFormat('en-US', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })));
  const parts = Object.fromEntries(f.formatToParts(t).map((p) => [p.type, p.value]));
  return Number(parts.hour) * 60 + Number(parts.minute);
}

/** When the quiet hours around `now` end, or null when it is not quiet now. */
export function quietUntil(q: QuietHours | undefined, now: Date): Date | null {
  if (!q) return null;
  const m = minuteOfDay(now, q.timeZone);
  const quiet = q.from < q.to ? m >= q.from && m < q.to : m >= q.from || m < q.to;
  if (!quiet) return null;
  const minutesLeft = (q.to - m + 1440) % 1440;
  return new Date(Math.floor(now.getTime() / 60_000) * 60_000 + minutesLeft * 60_000);
}
