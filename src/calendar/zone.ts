import { TZDate } from '@date-fns/tz';

/**
 * Local time in a time zone, through one library (@date-fns/tz, on the platform's own time-zone
 * data): SLA business hours, quiet hours and the digest read the clock the same way, and a day
 * that is 23 or 25 hours long (a daylight-saving change) is no special case for any of them.
 */

/** Whether the platform knows this IANA time zone ("Europe/Zagreb"). */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}

export interface LocalTime {
  year: number;
  /** 0 = January, as Date counts. */
  month: number;
  day: number;
  /** 0 = Sunday. */
  weekday: number;
  /** Minutes since local midnight, with the seconds as a fraction. */
  minute: number;
}

/** The wall clock in `timeZone` at an instant. */
export function localTime(t: Date | number, timeZone: string): LocalTime {
  const d = new TZDate(typeof t === 'number' ? t : t.getTime(), timeZone);
  return {
    year: d.getFullYear(),
    month: d.getMonth(),
    day: d.getDate(),
    weekday: d.getDay(),
    minute: d.getHours() * 60 + d.getMinutes() + (d.getSeconds() * 1000 + d.getMilliseconds()) / 60_000,
  };
}

/**
 * The instant a local date and time of day (minutes since midnight, 1440 = the next midnight)
 * happens in `timeZone`. A day past the month's end rolls over, as with Date. A time inside a
 * spring-forward gap is the moment just after it.
 */
export function atLocal(year: number, month: number, day: number, minute: number, timeZone: string): Date {
  return new Date(new TZDate(year, month, day, Math.floor(minute / 60), minute % 60, timeZone).getTime());
}
