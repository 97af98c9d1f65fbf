/**
 * Rejects regular expressions that can backtrack catastrophically: a quantified group that itself
 * contains a quantifier (`(a+)+`, `(\w*\s?)*`) or alternatives under a quantifier that can match
 * the same text (`(a|a)+` — approximated as any alternation inside a starred group), and
 * backreferences. Posts are also cut to MAX_REGEX_INPUT characters before matching.
 */
export const MAX_REGEX_INPUT = 2_000;

export function regexProblem(pattern: string): string | undefined {
  try {
    new RegExp(pattern, 'iu');
  } catch (e) {
    return `not a valid regular expression (${(e as Error).message})`;
  }
  if (/\\[1-9]|\\k</.test(pattern)) return 'backreferences are not allowed (they can make matching very slow)';
  const stack: Array<{ quantified: boolean; alternation: boolean }> = [];
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      continue;
    }
    if (ch === '[') inClass = true;
    else if (ch === '(') stack.push({ quantified: false, alternation: false });
    else if (ch === '|' && stack.length) stack[stack.length - 1]!.alternation = true;
    else if (ch === ')') {
      const group = stack.pop();
      const next = pattern[i + 1];
      const unbounded = next === '*' || next === '+' || (next === '{' && /^\{\d+,\d*\}/.test(pattern.slice(i + 1)) && !/^\{\d+,\d+\}/.test(pattern.slice(i + 1)));
      if (group && unbounded && (group.quantified || group.alternation)) {
        return 'a repeated group containing a repetition or alternatives (like (a+)+ or (a|b)*) can make matching very slow; rewrite it without nesting';
      }
      if (group && stack.length && (group.quantified || unbounded)) stack[stack.length - 1]!.quantified = true;
    } else if ((ch === '*' || ch === '+' || ch === '{') && stack.length) {
      stack[stack.length - 1]!.quantified = true;
    }
  }
  return undefined;
}

const PLAIN = /^[\p{L}\p{N} ]+$/u;

/**
 * Literals one of which every match must start with, when the pattern begins with a plain word or
 * a group of plain alternatives (`order`, `(?:order|narudžba)`); otherwise undefined. Lower-cased,
 * for a cheap `includes` on the lower-cased post before the regex engine runs.
 */
export function leadingLiterals(pattern: string): string[] | undefined {
  if (hasTopLevelAlternation(pattern)) return undefined;
  const group = /^\(\?:([^()\[\]\\]*)\)/u.exec(pattern) ?? /^\(([^()?\[\]\\]*)\)/u.exec(pattern);
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
