/**
 * First-response targets per priority band (the seeds: "deadlines are yesterday"). The clock
 * starts when the customer posted, not when odziv saw it.
 */
export const FIRST_RESPONSE_MINUTES: Array<{ minPriority: number; minutes: number }> = [
  { minPriority: 80, minutes: 15 },
  { minPriority: 60, minutes: 60 },
  { minPriority: 40, minutes: 4 * 60 },
  { minPriority: 0, minutes: 24 * 60 },
];

export function firstResponseDue(priority: number, postedAt: Date): Date {
  const band = FIRST_RESPONSE_MINUTES.find((b) => priority >= b.minPriority) ?? FIRST_RESPONSE_MINUTES.at(-1)!;
  return new Date(postedAt.getTime() + band.minutes * 60_000);
}
