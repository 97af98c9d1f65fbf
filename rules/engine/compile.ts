import { normalize } from '../analyze/normalize.ts';
import { bcsStem, enStem } from '../analyze/stem.ts';
import type { ConditionT, PackT, RuleT } from './schema.ts';

/** A keyword reduced to stem sequences, so one entry covers inflections, scripts and diacritics. */
export interface CompiledKeyword {
  term: string;
  en?: string[];
  bcs?: string[];
}

export interface CompiledCondition extends Omit<ConditionT, 'all' | 'any' | 'not' | 'keywords' | 'regex'> {
  all?: CompiledCondition[];
  any?: CompiledCondition[];
  not?: CompiledCondition;
  keywords?: CompiledKeyword[];
  regex?: RegExp;
}

export interface CompiledRule extends Omit<RuleT, 'conditions'> {
  pack: string;
  conditions: CompiledCondition;
}

export interface CompiledPack {
  name: string;
  file: string;
  description?: string;
  rules: CompiledRule[];
}

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

export function compileCondition(c: ConditionT): CompiledCondition {
  const { all, any, not, keywords, regex, ...rest } = c;
  const out: CompiledCondition = { ...rest };
  if (all) out.all = all.map(compileCondition);
  if (any) out.any = any.map(compileCondition);
  if (not) out.not = compileCondition(not);
  if (keywords) out.keywords = compileKeywords(keywords);
  if (regex !== undefined) out.regex = new RegExp(regex, 'iu');
  return out;
}

export function compilePack(pack: PackT, file: string): CompiledPack {
  return {
    name: pack.pack,
    file,
    description: pack.description,
    rules: pack.rules.map((r) => ({ ...r, pack: pack.pack, conditions: compileCondition(r.conditions) })),
  };
}
