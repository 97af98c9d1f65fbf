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
