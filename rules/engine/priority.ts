import type { Category } from '../analyze/lexicon/categories.ts';

/**
 * The one priority formula (0–100). Each component is kept so the inbox can say
 * "priority 87 = complaint 37 + reach 9 + churn 15 + rules 10":
 *
 *   complaint  = 40 × complaint probability
 *   sentiment  = 15 × max(0, −sentiment)
 *   reach      = min(15, 3 × log10(1 + followers)) + 3 if verified (1k followers ≈ 9, 100k ≈ 15)
 *   velocity   = min(15, 5 × log10(1 + engagement per hour))
 *   churn      = 15 when the post says the customer is leaving
 *   rules      = the sum of the fired rules' `priority.add`
 *
 * A rule's `priority.set` replaces the formula's sum (the highest set wins); adds apply on top.
 * The result is rounded and clamped to 0–100.
 */
export interface PriorityInput {
  complaint: number;
  sentiment: number;
  followers: number | null | undefined;
  verified: boolean;
  engagementPerHour: number;
  categories: readonly Category[];
  set?: number;
  add: number;
}

export type PriorityComponents = Record<'complaint' | 'sentiment' | 'reach' | 'velocity' | 'churn' | 'rules', number> & { set?: number };

const r1 = (x: number) => Math.round(x * 10) / 10;

export function computePriority(p: PriorityInput): { priority: number; components: PriorityComponents } {
  const components: PriorityComponents = {
    complaint: r1(40 * p.complaint),
    sentiment: r1(15 * Math.max(0, -p.sentiment)),
    reach: r1(Math.min(15, 3 * Math.log10(1 + Math.max(0, p.followers ?? 0)) + (p.verified ? 3 : 0))),
    velocity: r1(Math.min(15, 5 * Math.log10(1 + Math.max(0, p.engagementPerHour)))),
    churn: p.categories.includes('churn') ? 15 : 0,
    rules: p.add,
  };
  const formula = components.complaint + components.sentiment + components.reach + components.velocity + components.churn;
  if (p.set !== undefined) components.set = p.set;
  const total = (p.set ?? formula) + p.add;
  return { priority: Math.max(0, Math.min(100, Math.round(total))), components };
}

/** "priority 87 = complaint 37 + reach 9 + churn 15" — the sentence the inbox shows. */
export function explainPriority(priority: number, c: PriorityComponents): string {
  if (c.set !== undefined) return `priority ${priority} = set by rule ${c.set}${c.rules ? ` ${c.rules > 0 ? '+' : '−'} rules ${Math.abs(c.rules)}` : ''}`;
  const parts = (['complaint', 'sentiment', 'reach', 'velocity', 'churn'] as const).filter((k) => c[k] > 0).map((k) => `${k} ${Math.round(c[k])}`);
  if (c.rules) parts.push(`rules ${c.rules > 0 ? '+' : '−'}${Math.abs(c.rules)}`);
  return `priority ${priority} = ${parts.join(' + ') || '0'}`;
}
