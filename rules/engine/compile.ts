import type { AnalysisDetail, Category } from '../analyze/index.ts';
import { normalize } from '../analyze/normalize.ts';
import { bcsStem, enStem } from '../analyze/stem.ts';
import { compileRegex, leadingLiterals } from './safe-regex.ts';
import type { ConditionT, PackT, RuleT } from './schema.ts';

/** What rules may know about a post besides its text. */
export interface PostFacts {
  platform: string;
  stream?: string;
  text: string;
  isOwn: boolean;
  isRepost: boolean;
  followers: number | null;
  verified: boolean;
  /** likes + reposts + replies + quotes now. */
  engagement: number;
  engagementPerHour: number;
  /** When the author's earlier complaints were posted (for "third complaint this week"). */
  authorComplaintTimes: Date[];
  now: Date;
}

/** A keyword reduced to stem sequences, so one entry covers inflections, scripts and diacritics. */
export interface CompiledKeyword {
  term: string;
  en?: string[];
  bcs?: string[];
}

/** Per-post state shared by all rules. */
export interface EvalContext {
  /** The keywords of the packs that occur in the post. */
  keywordHits: ReadonlySet<CompiledKeyword>;
  /** The post's text (cut to MAX_REGEX_INPUT), and lower-cased, for regex prefilters. */
  text: string;
  lower: string;
}

/**
 * A condition compiled to a predicate of only the checks it has (walking every optional field of
 * every rule for every post was the engine's main cost). With `ev`, it also says what matched.
 */
export type Predicate = (a: AnalysisDetail, f: PostFacts, ctx: EvalContext, ev?: string[]) => boolean;

export interface CompiledRule extends Omit<RuleT, 'conditions'> {
  pack: string;
  test: Predicate;
  /** The rule cannot fire unless one of these keywords or categories is in the post. */
  gate?: Gate;
}

export interface CompiledPack {
  name: string;
  file: string;
  description?: string;
  rules: CompiledRule[];
  /** Every keyword of every rule, for the per-post keyword index. */
  keywords: CompiledKeyword[];
  /** How many days of the author's earlier complaints its rules read (0: none, and nobody queries them). */
  historyDays: number;
  /** The pack as validated, plain data: what another thread compiles to run the same rules. */
  definition: PackT;
}

/** The longest `authorComplaints.days` anywhere in a condition tree. */
function historyDaysOf(c: ConditionT): number {
  const nested = [...(c.all ?? []), ...(c.any ?? []), ...(c.not ? [c.not] : [])];
  return Math.max(c.authorComplaints?.days ?? 0, ...nested.map(historyDaysOf));
}

/** How many days of author history a set of packs needs. */
export const historyDaysFor = (packs: readonly CompiledPack[]): number => Math.max(0, ...packs.map((p) => p.historyDays));

function stemsOf(term: string, stem: (w: string) => string): string[] {
  return normalize(term)
    .tokens.filter((t) => t.kind === 'word' || t.kind === 'number')
    .map((t) => stem(t.norm));
}

function compileKeywords(k: NonNullable<ConditionT['keywords']>): CompiledKeyword[] {
  const out: CompiledKeyword[] = [];
  if (Array.isArray(k)) {
    for (const term of k) out.push({ term, en: stemsOf(term, enStem), bcs: stemsOf(term, bcsStem) });
    return out;
  }
  for (const term of k.en ?? []) out.push({ term, en: stemsOf(term, enStem) });
  for (const term of [...(k.hr ?? []), ...(k.sr ?? []), ...(k.bs ?? []), ...(k.bcs ?? [])]) out.push({ term, bcs: stemsOf(term, bcsStem) });
  return out;
}

const r2 = (x: number) => Math.round(x * 100) / 100;
const asSet = <T>(v: T | T[]): ReadonlySet<T> => new Set(Array.isArray(v) ? v : [v]);

const formatters = new Map<string, Intl.DateTimeFormat>();
const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

function localTime(now: Date, timeZone: string): { day: string; minutes: number } {
  let fmt = formatters.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, fmt);
  }
  const parts = Object.fromEntries(fmt.formatToParts(now).map((p) => [p.type, p.value]));
  return { day: (parts.weekday ?? '').toLowerCase().slice(0, 3), minutes: Number(parts.hour) * 60 + Number(parts.minute) };
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** True when `now` falls within the given hours (an overnight span like 22:00–06:00 wraps). */
export function withinHours(now: Date, bh: NonNullable<ConditionT['businessHours']>): boolean {
  const { day, minutes } = localTime(now, bh.timeZone);
  const from = toMinutes(bh.from);
  const to = toMinutes(bh.to);
  const days = bh.days ?? ['mon', 'tue', 'wed', 'thu', 'fri'];
  if (from <= to) return days.includes(day) && minutes >= from && minutes < to;
  if (minutes >= from) return days.includes(day);
  // After midnight of an overnight span: it belongs to the previous day's hours.
  const prev = DAY_NAMES[(DAY_NAMES.indexOf(day) + 6) % 7]!;
  return minutes < to && days.includes(prev);
}

/** What must be present in a post for a rule to fire: one of these keywords, or one of these categories. */
export type Gate = Array<CompiledKeyword | Category>;

/**
 * The keywords or categories without which a condition cannot hold (its own, or those of a branch
 * of its `all`): the rule runs only on posts that have one of them.
 */
export function requiredGate(c: ConditionT, compiled: Map<ConditionT, CompiledKeyword[]>): Gate | undefined {
  if (c.keywords) return compiled.get(c);
  if (c.category !== undefined) return [...asSet(c.category)] as Category[];
  for (const sub of c.all ?? []) {
    const req = requiredGate(sub, compiled);
    if (req) return req;
  }
  return undefined;
}

/** Compiles a condition into a predicate; nested keywords are collected into `keywords`. */
export function compileCondition(c: ConditionT, keywords: CompiledKeyword[] = [], compiled = new Map<ConditionT, CompiledKeyword[]>()): Predicate {
  const checks: Predicate[] = [];
  // A conjunction inside a conjunction adds nothing but a call: its checks join this list.
  const flat: ConditionT[] = [c];
  for (let i = 0; i < flat.length; i++) {
    const cur = flat[i]!;
    if (cur.all) {
      for (const sub of cur.all) {
        if (sub.any || sub.not) checks.push(compileCondition(sub, keywords, compiled));
        else flat.push(sub);
      }
    }
  }
  for (const cur of flat) compileChecks(cur, checks, keywords, compiled);
  if (checks.length === 1) return checks[0]!;
  return (a, f, ctx, ev) => {
    for (let i = 0; i < checks.length; i++) if (!checks[i]!(a, f, ctx, ev)) return false;
    return true;
  };
}

function compileChecks(c: ConditionT, checks: Predicate[], keywords: CompiledKeyword[], compiled: Map<ConditionT, CompiledKeyword[]>): void {
  if (c.any) {
    const subs = c.any.map((s) => compileCondition(s, keywords, compiled));
    checks.push((a, f, ctx, ev) => {
      let hit = false;
      for (let i = 0; i < subs.length; i++) {
        if (subs[i]!(a, f, ctx, ev)) {
          hit = true;
          if (!ev) return true;
        }
      }
      return hit;
    });
  }
  if (c.not) {
    const sub = compileCondition(c.not, keywords, compiled);
    checks.push((a, f, ctx) => !sub(a, f, ctx));
  }
  if (c.keywords) {
    const kws = compileKeywords(c.keywords);
    keywords.push(...kws);
    compiled.set(c, kws);
    checks.push((_a, _f, ctx, ev) => {
      const hits = ctx.keywordHits;
      let hit = false;
      for (const kw of kws) {
        if (!hits.has(kw)) continue;
        hit = true;
        if (!ev) return true;
        ev.push(`"${kw.term}"`);
      }
      return hit;
    });
  }
  if (c.regex !== undefined) {
    const re = compileRegex(c.regex);
    const literals = leadingLiterals(c.regex);
    checks.push((_a, _f, ctx, ev) => {
      if (literals && !literals.some((l) => ctx.lower.includes(l))) return false;
      const m = re.firstMatch(ctx.text);
      if (m === undefined) return false;
      ev?.push(`/${re.source}/ matched "${m.slice(0, 60)}"`);
      return true;
    });
  }
  if (c.language !== undefined) {
    const langs = asSet(c.language);
    checks.push((a, _f, _ctx, ev) => {
      if (!langs.has(a.language)) return false;
      ev?.push(`language ${a.language}`);
      return true;
    });
  }
  if (c.platform !== undefined) {
    const platforms = asSet<string>(c.platform);
    checks.push((_a, f) => platforms.has(f.platform));
  }
  if (c.stream !== undefined) {
    const names = asSet(c.stream);
    checks.push((_a, f) => f.stream !== undefined && names.has(f.stream));
  }
  if (c.minComplaint !== undefined) {
    const min = c.minComplaint;
    checks.push((a, _f, _ctx, ev) => {
      if (a.complaint < min) return false;
      ev?.push(`complaint ${r2(a.complaint)} ≥ ${min}`);
      return true;
    });
  }
  if (c.maxComplaint !== undefined) {
    const max = c.maxComplaint;
    checks.push((a) => a.complaint <= max);
  }
  if (c.minSentiment !== undefined) {
    const min = c.minSentiment;
    checks.push((a) => a.sentiment >= min);
  }
  if (c.maxSentiment !== undefined) {
    const max = c.maxSentiment;
    checks.push((a, _f, _ctx, ev) => {
      if (a.sentiment > max) return false;
      ev?.push(`sentiment ${r2(a.sentiment)} ≤ ${max}`);
      return true;
    });
  }
  if (c.negative !== undefined) {
    const want = c.negative;
    checks.push((a) => a.negative === want);
  }
  if (c.category !== undefined) {
    const wanted = [...asSet(c.category)] as Category[];
    checks.push((a, _f, _ctx, ev) => {
      let hit = false;
      for (const cat of wanted) {
        if (!a.categories.includes(cat)) continue;
        hit = true;
        if (!ev) return true;
        ev.push(`${cat}: ${(a.evidence[cat] ?? []).map((e) => `"${e}"`).join(', ') || cat}`);
      }
      return hit;
    });
  }
  if (c.minFollowers !== undefined) {
    const min = c.minFollowers;
    checks.push((_a, f, _ctx, ev) => {
      if ((f.followers ?? 0) < min) return false;
      ev?.push(`${f.followers} followers`);
      return true;
    });
  }
  if (c.verified !== undefined) {
    const want = c.verified;
    checks.push((_a, f) => f.verified === want);
  }
  if (c.minEngagement !== undefined) {
    const min = c.minEngagement;
    checks.push((_a, f, _ctx, ev) => {
      if (f.engagement < min) return false;
      ev?.push(`engagement ${f.engagement}`);
      return true;
    });
  }
  if (c.minEngagementPerHour !== undefined) {
    const min = c.minEngagementPerHour;
    checks.push((_a, f, _ctx, ev) => {
      if (f.engagementPerHour < min) return false;
      ev?.push(`${Math.round(f.engagementPerHour)} interactions/hour`);
      return true;
    });
  }
  if (c.question !== undefined) {
    const want = c.question;
    checks.push((a, _f, _ctx, ev) => {
      if (a.isQuestion !== want) return false;
      if (want) ev?.push('asks a question');
      return true;
    });
  }
  if (c.businessHours) {
    const bh = c.businessHours;
    checks.push((_a, f) => withinHours(f.now, bh) === (bh.inside ?? true));
  }
  if (c.authorComplaints) {
    const { min, days } = c.authorComplaints;
    checks.push((_a, f, _ctx, ev) => {
      const since = f.now.getTime() - days * 86_400_000;
      const n = f.authorComplaintTimes.filter((t) => t.getTime() >= since).length + 1;
      if (n < min) return false;
      ev?.push(`complaint #${n} from this author in ${days} days`);
      return true;
    });
  }
  if (c.own !== undefined) {
    const want = c.own;
    checks.push((_a, f) => f.isOwn === want);
  }
  if (c.repost !== undefined) {
    const want = c.repost;
    checks.push((_a, f) => f.isRepost === want);
  }
}

export function compilePack(pack: PackT, file: string): CompiledPack {
  const keywords: CompiledKeyword[] = [];
  const rules = pack.rules.map(({ conditions, ...r }) => {
    const compiled = new Map<ConditionT, CompiledKeyword[]>();
    const test = compileCondition(conditions, keywords, compiled);
    const gate = requiredGate(conditions, compiled);
    return gate ? { ...r, pack: pack.pack, test, gate } : { ...r, pack: pack.pack, test };
  });
  return {
    name: pack.pack,
    file,
    description: pack.description,
    rules,
    keywords,
    historyDays: Math.max(0, ...pack.rules.map((r) => historyDaysOf(r.conditions))),
    definition: pack,
  };
}
