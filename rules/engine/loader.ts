import { readdir, readFile } from 'node:fs/promises';
import { basename, extname, join, relative } from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { type CompiledPack, compilePack } from './compile.ts';
import { regexProblem } from './safe-regex.ts';
import { type ConditionT, Pack, type PackT } from './schema.ts';

export const PACK_EXTENSIONS = ['.yaml', '.yml', '.json'];

export interface PackError {
  file: string;
  rule?: string;
  path: string;
  message: string;
}

/** `rules/acme.yaml: rule "refund-delay": conditions.any[2].minComplaint: expected a number between 0 and 1` */
export function formatPackError(e: PackError): string {
  return [e.file, e.rule ? `rule "${e.rule}"` : undefined, e.path || undefined, e.message].filter(Boolean).join(': ');
}

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out;
}

/** Zod reports `expected a condition` for every branch; keep the message closest to the data. */
function issuesOf(error: z.ZodError): Array<{ path: PropertyKey[]; message: string }> {
  const out: Array<{ path: PropertyKey[]; message: string }> = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ path: [...issue.path, key], message: 'unknown field (check the spelling)' });
    } else if (issue.code === 'invalid_union' && issue.errors.length) {
      // Report the branch that got furthest: the one whose issues have the longest path.
      const best = issue.errors
        .map((errs) => errs)
        .sort((a, b) => Math.max(0, ...b.map((i) => i.path.length)) - Math.max(0, ...a.map((i) => i.path.length)))[0]!;
      const deep = best.some((i) => i.path.length > 0);
      if (deep) for (const i of best) out.push({ path: [...issue.path, ...i.path], message: i.message });
      // Every branch failed at this level: the first branch's words say what was expected.
      else out.push({ path: issue.path, message: issue.errors[0]?.[0]?.message ?? issue.message });
    } else out.push({ path: issue.path, message: issue.message });
  }
  return out;
}

/** Checks that need the whole, well-shaped condition: empty conditions and slow regexes. */
function conditionErrors(c: ConditionT, path: string, out: Array<{ path: string; message: string }>): void {
  if (Object.keys(c).length === 0) out.push({ path, message: 'a condition must test something' });
  if (c.regex !== undefined) {
    const problem = regexProblem(c.regex);
    if (problem) out.push({ path: `${path}.regex`, message: problem });
  }
  for (const [i, sub] of (c.all ?? []).entries()) conditionErrors(sub, `${path}.all[${i}]`, out);
  for (const [i, sub] of (c.any ?? []).entries()) conditionErrors(sub, `${path}.any[${i}]`, out);
  if (c.not) conditionErrors(c.not, `${path}.not`, out);
}

/** Validates one pack's parsed content; returns every error, not just the first. */
export function validatePack(data: unknown, file: string): { pack?: PackT; errors: PackError[] } {
  const parsed = Pack.safeParse(data);
  const rawRules = (data as { rules?: unknown })?.rules;
  const ruleId = (index: unknown): string | undefined => {
    if (typeof index !== 'number' || !Array.isArray(rawRules)) return undefined;
    const id = (rawRules[index] as { id?: unknown } | undefined)?.id;
    return typeof id === 'string' ? id : `#${index + 1}`;
  };
  if (!parsed.success) {
    return {
      errors: issuesOf(parsed.error).map((i) => {
        if (i.path[0] === 'rules' && typeof i.path[1] === 'number') {
          return { file, rule: ruleId(i.path[1]), path: formatPath(i.path.slice(2)), message: i.message };
        }
        return { file, path: formatPath(i.path), message: i.message };
      }),
    };
  }
  const errors: PackError[] = [];
  const seen = new Set<string>();
  for (const rule of parsed.data.rules) {
    if (seen.has(rule.id)) errors.push({ file, rule: rule.id, path: 'id', message: 'two rules have this id; ids must be unique in a pack' });
    seen.add(rule.id);
    const re: Array<{ path: string; message: string }> = [];
    conditionErrors(rule.conditions, 'conditions', re);
    if (Object.keys(rule.actions).length === 0) re.push({ path: 'actions', message: 'a rule must do something' });
    for (const e of re) errors.push({ file, rule: rule.id, ...e });
  }
  return errors.length ? { errors } : { pack: parsed.data, errors };
}

/**
 * YAML that people write (packs, reply templates). Warnings (an unknown tag such as
 * `!!js/function`) are errors too: the file means what it says or is refused, and nothing goes to
 * stderr past the logger. Alias bombs ("excessive alias count") are refused, not expanded.
 */
export function readYaml(text: string): { data: unknown } | { error: string; where?: string } {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true, logLevel: 'silent' });
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem) {
    const pos = problem.linePos?.[0];
    return { error: problem.message.split('\n')[0]!, ...(pos ? { where: `line ${pos.line}, column ${pos.col}` } : {}) };
  }
  try {
    return { data: doc.toJS({ maxAliasCount: 100 }) };
  } catch (e) {
    return { error: `not valid YAML (${(e as Error).message})` };
  }
}

/** Parses YAML or JSON text of a pack; syntax errors name the line and column. */
export function parsePackText(text: string, file: string): { data?: unknown; errors: PackError[] } {
  if (extname(file) !== '.json') {
    const r = readYaml(text);
    return 'data' in r ? { data: r.data, errors: [] } : { errors: [{ file, path: r.where ?? '', message: r.error }] };
  }
  try {
    return { data: JSON.parse(text), errors: [] };
  } catch (e) {
    return { errors: [{ file, path: '', message: `not valid JSON (${(e as Error).message})` }] };
  }
}

export interface LoadResult {
  packs: CompiledPack[];
  errors: PackError[];
}

/** Loads and validates pack files; a file with errors contributes errors, not a pack. */
export async function loadPackFiles(files: string[], displayBase = process.cwd()): Promise<LoadResult> {
  const packs: CompiledPack[] = [];
  const errors: PackError[] = [];
  const names = new Map<string, string>();
  for (const path of files) {
    const file = relative(displayBase, path) || basename(path);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (e) {
      errors.push({ file, path: '', message: `cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` });
      continue;
    }
    const parsed = parsePackText(text, file);
    if (parsed.errors.length) {
      errors.push(...parsed.errors);
      continue;
    }
    const v = validatePack(parsed.data, file);
    if (!v.pack) {
      errors.push(...v.errors);
      continue;
    }
    const other = names.get(v.pack.pack);
    if (other) {
      errors.push({ file, path: 'pack', message: `the pack name "${v.pack.pack}" is already used by ${other}` });
      continue;
    }
    names.set(v.pack.pack, file);
    packs.push(compilePack(v.pack, file));
  }
  return { packs, errors };
}

/** Pack files in a folder, in name order (the order rules are evaluated in). */
export async function packFilesIn(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && PACK_EXTENSIONS.includes(extname(e.name)))
    .map((e) => join(dir, e.name))
    .sort();
}

/** Validates and compiles a pack given as text (an upload, a backtest candidate). */
export function loadPackText(text: string, file: string): { pack?: CompiledPack; errors: PackError[] } {
  const parsed = parsePackText(text, file);
  if (parsed.errors.length) return { errors: parsed.errors };
  const v = validatePack(parsed.data, file);
  if (!v.pack) return { errors: v.errors };
  return { pack: compilePack(v.pack, file), errors: [] };
}
