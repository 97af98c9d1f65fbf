import { type AnalysisDetail, stemsFor } from '../analyze/index.ts';
import type { Category } from '../analyze/lexicon/categories.ts';
import type { CompiledKeyword, CompiledPack, CompiledRule, EvalContext, PostFacts } from './compile.ts';

export { withinHours } from './compile.ts';
export type { PostFacts };

import { computePriority, type PriorityComponents } from './priority.ts';
import { MAX_REGEX_INPUT } from './safe-regex.ts';

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
  /** The first firing rule with `hide`: the post is hidden on its platform (whether or not it is ignored). */
  hide?: { rule: string; reason: string };
}

export const DEFAULT_TEAM = 'care';

const asList = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);

function findPhrase(stems: readonly string[], at: number, keys: readonly string[]): boolean {
  if (at + keys.length > stems.length) return false;
  for (let k = 1; k < keys.length; k++) if (stems[at + k] !== keys[k]) return false;
  return true;
}

/**
 * Built once per set of packs: every keyword by first stem and language family, and the rules in
 * evaluation order, split into those that always run and those a keyword must open.
 */
interface PackIndex {
  en: Map<string, CompiledKeyword[]>;
  bcs: Map<string, CompiledKeyword[]>;
  rules: CompiledRule[];
  /** Positions (in `rules`) of the enabled rules without a keyword gate, ascending. */
  ungated: number[];
  /** For each keyword or category, the positions of the rules it opens. */
  opens: Map<CompiledKeyword | Category, number[]>;
}
const packIndexes = new WeakMap<readonly CompiledPack[], PackIndex>();
const NO_HITS: ReadonlySet<CompiledKeyword> = new Set();

function packIndex(packs: readonly CompiledPack[]): PackIndex {
  let idx = packIndexes.get(packs);
  if (!idx) {
    idx = { en: new Map(), bcs: new Map(), rules: [], ungated: [], opens: new Map() };
    for (const pack of packs) {
      for (const rule of pack.rules) {
        if (!rule.enabled) continue;
        const pos = idx.rules.push(rule) - 1;
        if (!rule.gate) idx.ungated.push(pos);
        for (const kw of rule.gate ?? []) idx.opens.set(kw, [...(idx.opens.get(kw) ?? []), pos]);
      }
    }
    for (const pack of packs) {
      for (const kw of pack.keywords) {
        for (const fam of ['en', 'bcs'] as const) {
          const first = kw[fam]?.[0];
          if (first === undefined) continue;
          const list = idx[fam].get(first) ?? [];
          list.push(kw);
          idx[fam].set(first, list);
        }
      }
    }
    packIndexes.set(packs, idx);
  }
  return idx;
}

/**
 * The keywords of the packs that occur in the post, found in one pass over its stems. Keywords
 * are matched in the post's language family (both for an undetermined post): an English keyword
 * list is not looked for in a Croatian post. The family comes from the words, never the script.
 */
function findKeywords(idx: PackIndex, a: AnalysisDetail): Set<CompiledKeyword> {
  const hits = new Set<CompiledKeyword>();
  for (const fam of a.family === 'other' ? (['en', 'bcs'] as const) : [a.family]) {
    if (idx[fam].size === 0) continue;
    const stems = stemsFor(a, fam);
    for (let i = 0; i < stems.length; i++) {
      const candidates = idx[fam].get(stems[i]!);
      if (!candidates) continue;
      for (const kw of candidates) if (!hits.has(kw) && findPhrase(stems, i, kw[fam]!)) hits.add(kw);
    }
  }
  return hits;
}

/**
 * Runs every enabled rule of every pack (packs in file-name order, rules in file order) and
 * combines what fired. Deterministic:
 * - any `ignore` wins: the post gets no flags and no case;
 * - every `flag` is kept; the case's category and reason come from the first flag;
 * - `route`: the first rule that routes decides the team (default "care");
 * - `priority.set`: the highest set replaces the formula; every `add` is summed on top;
 * - alerts and templates: the union, in order, without repeats;
 * - `hide`: the first rule that hides says why, even when an `ignore` fired (spam is hidden and not queued).
 */
export function evaluate(packs: readonly CompiledPack[], a: AnalysisDetail, f: PostFacts): Outcome {
  const flags: FlagOutcome[] = [];
  const fired: string[] = [];
  const alerts: string[] = [];
  const templates: string[] = [];
  let team: string | undefined;
  let ignoredBy: string | undefined;
  let hide: Outcome['hide'];
  let set: number | undefined;
  let add = 0;
  const idx = packIndex(packs);
  const hits = idx.en.size || idx.bcs.size ? findKeywords(idx, a) : NO_HITS;
  const text = f.text.length > MAX_REGEX_INPUT ? f.text.slice(0, MAX_REGEX_INPUT) : f.text;
  const ctx: EvalContext = { keywordHits: hits, text, lower: text.toLowerCase() };
  // The rules to run, in evaluation order: the ungated ones merged with the few that a keyword or
  // category present in the post opens (two sorted lists, walked together, nothing rebuilt).
  let extra: number[] | undefined;
  for (const kw of hits) {
    const positions = idx.opens.get(kw);
    if (positions) (extra ??= []).push(...positions);
  }
  for (const cat of a.categories) {
    const positions = idx.opens.get(cat);
    if (positions) (extra ??= []).push(...positions);
  }
  if (extra && extra.length > 1) extra.sort((x, y) => x - y);
  const ungated = idx.ungated;
  let u = 0;
  let e = 0;
  let last = -1;
  for (;;) {
    const nextU = u < ungated.length ? ungated[u]! : Infinity;
    const nextE = extra && e < extra.length ? extra[e]! : Infinity;
    if (nextU === Infinity && nextE === Infinity) break;
    let pos: number;
    if (nextU <= nextE) {
      pos = nextU;
      u++;
    } else {
      pos = nextE;
      e++;
    }
    if (pos === last) continue;
    last = pos;
    const rule = idx.rules[pos]!;
    if (!rule.test(a, f, ctx)) continue;
    const id = `${rule.pack}/${rule.id}`;
    fired.push(id);
    const act = rule.actions;
    if (act.ignore) ignoredBy ??= id;
    if (act.hide) hide ??= { rule: id, reason: act.hide.reason };
    if (act.flag) {
      const ev: string[] = [];
      rule.test(a, f, ctx, ev);
      flags.push({ pack: rule.pack, ruleId: rule.id, category: act.flag.category, reason: act.flag.reason, evidence: withoutRepeats(ev) });
    }
    if (act.priority?.set !== undefined) set = Math.max(set ?? 0, act.priority.set);
    if (act.priority?.add !== undefined) add += act.priority.add;
    if (act.route && team === undefined) team = act.route;
    for (const al of act.alert === undefined ? [] : asList(act.alert)) if (!alerts.includes(al)) alerts.push(al);
    if (act.template && !templates.includes(act.template)) templates.push(act.template);
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
    return {
      ignored: true,
      ignoredBy,
      flags: [],
      priority,
      components,
      team: team ?? DEFAULT_TEAM,
      alerts: [],
      templates: [],
      fired,
      ...(hide ? { hide } : {}),
    };
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
    ...(hide ? { hide } : {}),
  };
}

/**
 * A rule's evidence for a person to read: each entry once, and a matched keyword (`"never again"`)
 * left out when another entry already quotes it (`churn: "never again"` from the category).
 */
function withoutRepeats(ev: string[]): string[] {
  const unique = [...new Set(ev)];
  const lower = unique.map((e) => e.toLowerCase());
  return unique.filter((e, i) => {
    if (!/^"[^"]+"$/.test(e)) return true;
    return !lower.some((other, j) => j !== i && other !== lower[i] && other.includes(lower[i]!));
  });
}
