import { z } from 'zod';
import { PLATFORMS } from '../../db/schema/platforms.ts';
import { LANGUAGES } from '../analyze/language.ts';
import { CATEGORIES } from '../analyze/lexicon/categories.ts';

const unit = (what: string) =>
  z
    .number({ error: `expected ${what} between 0 and 1` })
    .min(0, { error: `expected ${what} between 0 and 1` })
    .max(1, { error: `expected ${what} between 0 and 1` });
const signedUnit = z
  .number({ error: 'expected a number between -1 and 1' })
  .min(-1, { error: 'expected a number between -1 and 1' })
  .max(1, { error: 'expected a number between -1 and 1' });
const count = z.number({ error: 'expected a whole number ≥ 0' }).int({ error: 'expected a whole number ≥ 0' }).min(0, { error: 'expected a whole number ≥ 0' });
const oneOrMany = <T extends z.ZodType>(t: T) => z.union([t, z.array(t).min(1, { error: 'expected at least one value' })]);
const nonEmpty = z.string({ error: 'expected text' }).trim().min(1, { error: 'expected non-empty text' });

export const ALERT_AUDIENCES = ['marketing', 'community_manager'] as const;
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'expected a time as HH:MM (24-hour)' });
const timeZone = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { error: 'expected an IANA time zone such as Europe/Zagreb' },
);

const keywordList = z.array(nonEmpty).min(1, { error: 'expected at least one keyword' });
/** Keywords: a plain list (any language) or lists per language; each entry matches every inflection. */
const Keywords = z.union(
  [
    keywordList,
    z.strictObject({
      en: keywordList.optional(),
      hr: keywordList.optional(),
      sr: keywordList.optional(),
      bs: keywordList.optional(),
      bcs: keywordList.optional(),
    }),
  ],
  { error: 'expected a list of keywords, or lists under en / hr / sr / bs / bcs' },
);

export interface ConditionT {
  all?: ConditionT[];
  any?: ConditionT[];
  not?: ConditionT;
  keywords?: z.infer<typeof Keywords>;
  regex?: string;
  language?: string | string[];
  platform?: string | string[];
  stream?: string | string[];
  minComplaint?: number;
  maxComplaint?: number;
  minSentiment?: number;
  maxSentiment?: number;
  negative?: boolean;
  category?: string | string[];
  minFollowers?: number;
  verified?: boolean;
  minEngagement?: number;
  minEngagementPerHour?: number;
  question?: boolean;
  businessHours?: { timeZone: string; days?: string[]; from: string; to: string; inside?: boolean };
  authorComplaints?: { min: number; days: number };
  own?: boolean;
  repost?: boolean;
}

/** A condition: every field given must hold; `all`, `any` and `not` combine nested conditions. */
export const Condition: z.ZodType<ConditionT> = z.lazy(() =>
  z.strictObject(
    {
      all: z.array(Condition).min(1, { error: 'expected at least one condition' }).optional(),
      any: z.array(Condition).min(1, { error: 'expected at least one condition' }).optional(),
      not: Condition.optional(),
      keywords: Keywords.optional(),
      regex: z.string().max(500, { error: 'expected a regular expression of at most 500 characters' }).optional(),
      language: oneOrMany(z.enum(LANGUAGES, { error: `expected one of ${LANGUAGES.join(', ')}` })).optional(),
      platform: oneOrMany(z.enum(PLATFORMS, { error: `expected one of ${PLATFORMS.join(', ')}` })).optional(),
      stream: oneOrMany(nonEmpty).optional(),
      minComplaint: unit('a number').optional(),
      maxComplaint: unit('a number').optional(),
      minSentiment: signedUnit.optional(),
      maxSentiment: signedUnit.optional(),
      negative: z.boolean({ error: 'expected true or false' }).optional(),
      category: oneOrMany(z.enum(CATEGORIES, { error: `expected one of ${CATEGORIES.join(', ')}` })).optional(),
      minFollowers: count.optional(),
      verified: z.boolean({ error: 'expected true or false' }).optional(),
      minEngagement: count.optional(),
      minEngagementPerHour: z.number({ error: 'expected a number ≥ 0' }).min(0).optional(),
      question: z.boolean({ error: 'expected true or false' }).optional(),
      businessHours: z
        .strictObject({
          timeZone,
          days: z
            .array(z.enum(DAYS, { error: `expected days as ${DAYS.join(', ')}` }))
            .min(1)
            .optional(),
          from: clock,
          to: clock,
          inside: z.boolean().optional(),
        })
        .optional(),
      authorComplaints: z.strictObject({ min: count, days: count }).optional(),
      own: z.boolean({ error: 'expected true or false' }).optional(),
      repost: z.boolean({ error: 'expected true or false' }).optional(),
    },
    { error: 'expected a condition (an object such as { minComplaint: 0.6 })' },
  ),
);

export const Actions = z.strictObject(
  {
    flag: z.strictObject({ category: z.enum(CATEGORIES, { error: `expected one of ${CATEGORIES.join(', ')}` }).optional(), reason: nonEmpty }).optional(),
    priority: z
      .strictObject({
        set: z.number().int().min(0, { error: 'expected 0 … 100' }).max(100, { error: 'expected 0 … 100' }).optional(),
        add: z.number().int().min(-100, { error: 'expected −100 … 100' }).max(100, { error: 'expected −100 … 100' }).optional(),
      })
      .optional(),
    route: nonEmpty.optional(),
    alert: oneOrMany(z.enum(ALERT_AUDIENCES, { error: `expected one of ${ALERT_AUDIENCES.join(', ')}` })).optional(),
    template: nonEmpty.optional(),
    ignore: z.boolean().optional(),
    /** Hides the post on its platform, where the platform lets the brand (Facebook, Instagram): spam, abuse, a customer's card or phone number. Never deletes. */
    hide: z.strictObject({ reason: nonEmpty }).optional(),
  },
  { error: 'expected actions (an object such as { flag: { reason: "…" } })' },
);

export const Rule = z.strictObject({
  id: z.string({ error: 'expected a rule id' }).regex(/^[a-z0-9][a-z0-9._-]{0,79}$/, {
    error: 'expected a rule id of lower-case letters, digits, ".", "_" or "-"',
  }),
  description: z.string().optional(),
  enabled: z.boolean().default(true),
  conditions: Condition,
  actions: Actions,
});

export const Pack = z.strictObject(
  {
    pack: z
      .string({ error: 'expected the pack name' })
      .regex(/^[a-z0-9][a-z0-9._-]{0,79}$/, { error: 'expected a pack name of lower-case letters, digits, ".", "_" or "-"' }),
    description: z.string().optional(),
    rules: z.array(Rule, { error: 'expected a list of rules' }).min(1, { error: 'expected at least one rule' }),
  },
  { error: (i) => (i.code === 'invalid_type' ? 'expected a pack: a mapping with `pack` (its name) and `rules`' : undefined) },
);

export type RuleT = z.infer<typeof Rule>;
export type ActionsT = z.infer<typeof Actions>;
export type PackT = z.infer<typeof Pack>;
