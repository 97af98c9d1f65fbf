import { z } from 'zod';

/**
 * What a team is called, the same wherever one is named: a case escalated to it, a person working
 * its queue, a wave of cases handed to it at once.
 */
export const TeamName = z
  .string({ error: 'expected a team name' })
  .trim()
  .min(1, { error: 'expected a team name' })
  .max(60, { error: 'at most 60 characters' });

/** What the team is told when a case is handed to it. */
export const EscalationNote = z
  .string({ error: 'expected a note for the team' })
  .trim()
  .min(1, { error: 'expected a note for the team' })
  .max(2000, { error: 'at most 2,000 characters' });
