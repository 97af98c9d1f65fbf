import { addBusinessMinutes, type BusinessHours } from '../calendar/business-hours.ts';

/**
 * First-response targets per priority band (the seeds: "deadlines are yesterday"). The clock
 * starts when the customer posted, not when odziv saw it, and runs only in business hours.
 */
export const FIRST_RESPONSE_MINUTES: Array<{ minPriority: number; minutes: number }> = [
  { minPriority: 80, minutes: 15 },
  { minPriority: 60, minutes: 60 },
  { minPriority: 40, minutes: 4 * 60 },
  { minPriority: 0, minutes: 24 * 60 },
];

/** Resolution targets per priority band. */
export const RESOLUTION_MINUTES: Array<{ minPriority: number; minutes: number }> = [
  { minPriority: 80, minutes: 4 * 60 },
  { minPriority: 60, minutes: 24 * 60 },
  { minPriority: 40, minutes: 3 * 24 * 60 },
  { minPriority: 0, minutes: 7 * 24 * 60 },
];

export function firstResponseDue(priority: number, postedAt: Date, bh?: BusinessHours): Date {
  const band = FIRST_RESPONSE_MINUTES.find((b) => priority >= b.minPriority) ?? FIRST_RESPONSE_MINUTES.at(-1)!;
  return addBusinessMinutes(postedAt, band.minutes, bh);
}

export function resolutionDue(priority: number, postedAt: Date, bh?: BusinessHours): Date {
  const band = RESOLUTION_MINUTES.find((b) => priority >= b.minPriority) ?? RESOLUTION_MINUTES.at(-1)!;
  return addBusinessMinutes(postedAt, band.minutes, bh);
}
