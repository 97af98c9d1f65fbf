import { stemsFor, type AnalysisDetail } from '../analyze/index.ts';
import type { Category } from '../analyze/lexicon/categories.ts';
import type { CompiledCondition, CompiledKeyword, CompiledPack } from './compile.ts';
import { computePriority, type PriorityComponents } from './priority.ts';
import { MAX_REGEX_INPUT } from './safe-regex.ts';

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

export interface FlagOutcome {
  pack: string;
  ruleId: string;
  category?: Category;
  reason: string;
  evidence: string[];
}

export interface Outcome {
  /** True when an `ignore` rule fired: no flags, no case, whatever else matched. */
  ignored: boolean;
  ignoredBy?: string;
  flags: FlagOutcome[];
  priority: number;
  components: PriorityComponents;
  team: string;
  category?: Category;
  reason?: string;
  alerts: string[];
  templates: string[];
  /** `pack/rule` of every rule whose conditions held, in evaluation order. */
  fired: string[];
}

export const DEFAULT_TEAM = 'care';

interface Check {
  ok: boolean;
  evidence: string[];
}
const yes = (evidence: string[] = []): Check => ({ ok: true, evidence });
const NO: Check = { ok: false, evidence: [] };
const asList = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);

function findPhrase(stems: string[], keys: string[] | undefined): boolean {
  if (!keys?.length) return false;
  outer: for (let i = 0; i + keys.length <= stems.length; i++) {
    for (let k = 0; k < keys.length; k++) if (stems[i + k] !== keys[k]) continue outer;
    return true;
  }
  return false;
}

function matchKeywords(detail: AnalysisDetail, keywords: CompiledKeyword[]): string[] {
  const hits: string[] = [];
  for (const kw of keywords) {
    if ((kw.en && findPhrase(stemsFor(detail, 'en'), kw.en)) || (kw.bcs && findPhrase(stemsFor(detail, 'bcs'), kw.bcs))) {
      hits.push(kw.term);
    }
  }
  return hits;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

function localTime(now: Date, timeZone: string): { day: string; minutes: number } {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(now).map((p) => [p.type, p.value]));
  return { day: (parts.weekday ?? '').toLowerCase().slice(0, 3), minutes: Number(parts.hour) * 60 + Number(parts.minute) };
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** True when `now` falls within the given hours (an overnight span like 22:00–06:00 wraps). */
export function withinHours(now: Date, bh: NonNullable<CompiledCondition['businessHours']>): boolean {
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

const r2 = (x: number) => Math.round(x * 100) / 100;

/** Every field of a condition must hold; the evidence says what matched. */
export function checkCondition(c: CompiledCondition, a: AnalysisDetail, f: PostFacts): Check {
  const evidence: string[] = [];
  if (c.all) {
    for (const sub of c.all) {
      const r = checkCondition(sub, a, f);
      if (!r.ok) return NO;
      evidence.push(...r.evidence);
    }
  }
  if (c.any) {
    const matched = c.any.map((sub) => checkCondition(sub, a, f)).filter((r) => r.ok);
    if (!matched.length) return NO;
    for (const r of matched) evidence.push(...r.evidence);
  }
  if (c.not && checkCondition(c.not, a, f).ok) return NO;
  if (c.keywords) {
    const hits = matchKeywords(a, c.keywords);
    if (!hits.length) return NO;
    evidence.push(...hits.map((h) => `"${h}"`));
  }
  if (c.regex) {
    const m = c.regex.exec(f.text.slice(0, MAX_REGEX_INPUT));
    if (!m) return NO;
    evidence.push(`/${c.regex.source}/ matched "${m[0].slice(0, 60)}"`);
  }
  if (c.language !== undefined) {
    if (!asList(c.language).includes(a.language)) return NO;
    evidence.push(`language ${a.language}`);
  }
  if (c.platform !== undefined && !asList(c.platform).includes(f.platform as never)) return NO;
  if (c.stream !== undefined && (f.stream === undefined || !asList(c.stream).includes(f.stream))) return NO;
  if (c.minComplaint !== undefined) {
    if (a.complaint < c.minComplaint) return NO;
    evidence.push(`complaint ${r2(a.complaint)} ≥ ${c.minComplaint}`);
  }
  if (c.maxComplaint !== undefined && a.complaint > c.maxComplaint) return NO;
  if (c.minSentiment !== undefined && a.sentiment < c.minSentiment) return NO;
  if (c.maxSentiment !== undefined) {
    if (a.sentiment > c.maxSentiment) return NO;
    evidence.push(`sentiment ${r2(a.sentiment)} ≤ ${c.maxSentiment}`);
  }
  if (c.negative !== undefined && a.negative !== c.negative) return NO;
  if (c.category !== undefined) {
    const cats = asList(c.category).filter((cat) => a.categories.includes(cat as Category));
    if (!cats.length) return NO;
    for (const cat of cats) evidence.push(`${cat}: ${(a.evidence[cat] ?? []).map((e) => `"${e}"`).join(', ') || cat}`);
  }
  if (c.minFollowers !== undefined) {
    if ((f.followers ?? 0) < c.minFollowers) return NO;
    evidence.push(`${f.followers} followers`);
  }
  if (c.verified !== undefined && f.verified !== c.verified) return NO;
  if (c.minEngagement !== undefined) {
    if (f.engagement < c.minEngagement) return NO;
    evidence.push(`engagement ${f.engagement}`);
  }
  if (c.minEngagementPerHour !== undefined) {
    if (f.engagementPerHour < c.minEngagementPerHour) return NO;
    evidence.push(`${Math.round(f.engagementPerHour)} interactions/hour`);
  }
  if (c.question !== undefined) {
    if (a.isQuestion !== c.question) return NO;
    if (c.question) evidence.push('asks a question');
  }
  if (c.businessHours && withinHours(f.now, c.businessHours) !== (c.businessHours.inside ?? true)) return NO;
  if (c.authorComplaints) {
    const since = f.now.getTime() - c.authorComplaints.days * 86_400_000;
    const n = f.authorComplaintTimes.filter((t) => t.getTime() >= since).length + 1;
    if (n < c.authorComplaints.min) return NO;
    evidence.push(`complaint #${n} from this author in ${c.authorComplaints.days} days`);
  }
  if (c.own !== undefined && f.isOwn !== c.own) return NO;
  if (c.repost !== undefined && f.isRepost !== c.repost) return NO;
  return yes(evidence);
}

/**
 * Runs every enabled rule of every pack (packs in file-name order, rules in file order) and
 * combines what fired. Deterministic:
 * - any `ignore` wins: the post gets no flags and no case;
 * - every `flag` is kept; the case's category and reason come from the first flag;
 * - `route`: the first rule that routes decides the team (default "care");
 * - `priority.set`: the highest set replaces the formula; every `add` is summed on top;
 * - alerts and templates: the union, in order, without repeats.
 */
export function evaluate(packs: readonly CompiledPack[], a: AnalysisDetail, f: PostFacts): Outcome {
  const flags: FlagOutcome[] = [];
  const fired: string[] = [];
  const alerts: string[] = [];
  const templates: string[] = [];
  let team: string | undefined;
  let ignoredBy: string | undefined;
  let set: number | undefined;
  let add = 0;
  for (const pack of packs) {
    for (const rule of pack.rules) {
      if (!rule.enabled) continue;
      const check = checkCondition(rule.conditions, a, f);
      if (!check.ok) continue;
      const id = `${pack.name}/${rule.id}`;
      fired.push(id);
      const act = rule.actions;
      if (act.ignore) ignoredBy ??= id;
      if (act.flag) {
        flags.push({ pack: pack.name, ruleId: rule.id, category: act.flag.category, reason: act.flag.reason, evidence: [...new Set(check.evidence)] });
      }
      if (act.priority?.set !== undefined) set = Math.max(set ?? 0, act.priority.set);
      if (act.priority?.add !== undefined) add += act.priority.add;
      if (act.route && team === undefined) team = act.route;
      for (const al of act.alert === undefined ? [] : asList(act.alert)) if (!alerts.includes(al)) alerts.push(al);
      if (act.template && !templates.includes(act.template)) templates.push(act.template);
    }
  }
  const { priority, components } = computePriority({
    complaint: a.complaint,
    sentiment: a.sentiment,
    followers: f.followers,
    verified: f.verified,
    engagementPerHour: f.engagementPerHour,
    categories: a.categories,
    set,
    add,
  });
  if (ignoredBy) {
    return { ignored: true, ignoredBy, flags: [], priority, components, team: team ?? DEFAULT_TEAM, alerts: [], templates: [], fired };
  }
  return {
    ignored: false,
    flags,
    priority,
    components,
    team: team ?? DEFAULT_TEAM,
    category: flags[0]?.category,
    reason: flags[0]?.reason,
    alerts,
    templates,
    fired,
  };
}
