import { RE2JS } from 're2js';

/**
 * Pack regexes run on RE2 (re2js): time linear in the post's length whatever the pattern, so no
 * rule can freeze ingest, the API or a backtest (`.*.*.*.*z` took 18 s on 200 characters in V8's
 * backtracking engine). RE2 has no look-around and no back-references; a pattern using them is
 * refused with a message that says so. Posts are also cut to MAX_REGEX_INPUT characters.
 */
export const MAX_REGEX_INPUT = 2_000;

/** A compiled pack regex: the first match in a text, or undefined. */
export interface LinearRegex {
  source: string;
  firstMatch(text: string): string | undefined;
}

export function regexProblem(pattern: string): string | undefined {
  if (/\\(?:[1-9]|k<)/.test(pattern.replace(/\\\\/g, '')))
    return 'back-references (\\1, \\k<name>) are not supported: rules match with RE2, which keeps matching fast on any post; repeat the group instead';
  if (/\(\?<?[=!]/.test(pattern.replace(/\\\\|\\\(/g, '')))
    return 'look-around ((?=…), (?!…), (?<=…), (?<!…)) is not supported: rules match with RE2, which keeps matching fast on any post; use a `not` condition with a second regex instead';
  try {
    RE2JS.compile(pattern, RE2JS.CASE_INSENSITIVE);
  } catch (e) {
    return `not a valid regular expression for RE2 (${(e as Error).message.replace(/^error parsing regexp: /, '')})`;
  }
  return undefined;
}

/** Compiles a pattern regexProblem accepted; case-insensitive, on Unicode code points. */
export function compileRegex(pattern: string): LinearRegex {
  const re = RE2JS.compile(pattern, RE2JS.CASE_INSENSITIVE);
  return {
    source: pattern,
    firstMatch(text) {
      const m = re.matcher(text);
      return m.find() ? (m.group(0) ?? '') : undefined;
    },
  };
}

const PLAIN = /^[\p{L}\p{N} ]+$/u;

/**
 * Literals one of which every match must start with, when the pattern begins with a plain word or
 * a group of plain alternatives (`order`, `(?:order|narudžba)`); otherwise undefined. Lower-cased,
 * for a cheap `includes` on the lower-cased post before the regex engine runs.
 */
export function leadingLiterals(pattern: string): string[] | undefined {
  if (hasTopLevelAlternation(pattern)) return undefined;
  const group = /^\(\?:([^()[\]\\]*)\)/u.exec(pattern) ?? /^\(([^()?[\]\\]*)\)/u.exec(pattern);
  let alternatives: string[];
  let rest: string;
  if (group) {
    alternatives = group[1]!.split('|');
    rest = pattern.slice(group[0].length);
  } else {
    const m = /^[\p{L}\p{N} ]+/u.exec(pattern);
    if (!m) return undefined;
    alternatives = [m[0]];
    rest = pattern.slice(m[0].length);
  }
  // A quantifier right after the literal part could make it optional or repeat only its end.
  if (/^[?*{+]/.test(rest) && !group) alternatives = alternatives.map((a) => a.slice(0, -1));
  if (group && /^[?*{]/.test(rest)) return undefined;
  if (!alternatives.every((a) => a.length >= 2 && PLAIN.test(a))) return undefined;
  return alternatives.map((a) => a.toLowerCase());
}

/** True for `a|b` at the outermost level (outside groups and classes): any branch may match. */
function hasTopLevelAlternation(pattern: string): boolean {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '\\') i++;
    else if (inClass) inClass = ch !== ']';
    else if (ch === '[') inClass = true;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === '|' && depth === 0) return true;
  }
  return false;
}
