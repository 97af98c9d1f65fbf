import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileRegex, MAX_REGEX_INPUT, regexProblem } from '../../rules/engine/safe-regex.ts';
import { formatPackError, loadPackFiles, packFilesIn } from '../../rules/index.ts';

const write = (name: string, text: string) => {
  const dir = mkdtempSync(join(tmpdir(), 'odziv-packs-'));
  const path = join(dir, name);
  writeFileSync(path, text);
  return { dir, path };
};

describe('rule pack loading', () => {
  it('loads the default pack without errors', async () => {
    const { packs, errors } = await loadPackFiles(await packFilesIn('rules/packs'));
    expect(errors).toEqual([]);
    expect(packs.map((p) => p.name)).toContain('default');
    expect(packs[0]!.rules.length).toBeGreaterThan(10);
  });

  it('reports every error, each naming the file, the rule, the field and what was expected', async () => {
    const { packs, errors } = await loadPackFiles(['test/fixtures/packs/broken.yaml']);
    expect(packs).toEqual([]);
    const lines = errors.map(formatPackError);
    expect(lines).toContain('test/fixtures/packs/broken.yaml: rule "refund-delay": conditions.any[2].minComplaint: expected a number between 0 and 1');
    expect(lines).toContain('test/fixtures/packs/broken.yaml: rule "typo-field": conditions.minComplant: unknown field (check the spelling)');
    expect(lines.some((l) => l.startsWith('test/fixtures/packs/broken.yaml: rule "bad-category": conditions.category: expected one of'))).toBe(true);
    expect(lines).toContain('test/fixtures/packs/broken.yaml: rule "refund-delay": actions.priority.add: expected −100 … 100');
  });

  it('reports semantic errors (look-around RE2 lacks, duplicate ids) once the shape is right', async () => {
    const { path } = write(
      'p.yaml',
      `pack: p\nrules:\n  - id: a\n    conditions: { regex: '(?<!ne )radi' }\n    actions: { ignore: true }\n  - id: a\n    conditions: { negative: true }\n    actions: { route: care }\n`,
    );
    const { errors } = await loadPackFiles([path], '/');
    const lines = errors.map(formatPackError);
    expect(lines.some((l) => l.includes('rule "a": conditions.regex: look-around'))).toBe(true);
    expect(lines.some((l) => l.includes('rule "a": id: two rules have this id'))).toBe(true);
  });

  it('names the line and column of a YAML syntax error', async () => {
    const { path } = write('bad.yaml', 'pack: p\nrules:\n  - id: a\n    conditions: { negative: true\n    actions: { route: care }\n');
    const { errors } = await loadPackFiles([path], '/');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.path).toMatch(/^line \d+, column \d+$/);
  });

  it('refuses an alias bomb, an unknown tag and a file that is no pack, each with a reason', async () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', ...'bcdef'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdef'[i]}`).join(', ')}]`)].join(
      '\n',
    );
    const tag = 'pack: p\nrules:\n  - id: a\n    conditions: !!js/function "return true"\n    actions: { route: care }\n';
    const cases: Array<[string, string, RegExp]> = [
      ['bomb.yaml', bomb, /not valid YAML \(Excessive alias count/],
      ['tag.yaml', tag, /Unresolved tag/],
      ['list.yaml', '- just\n- a list\n', /expected a pack: a mapping with `pack` \(its name\) and `rules`/],
    ];
    for (const [name, text, message] of cases) {
      const { path } = write(name, text);
      const { packs, errors } = await loadPackFiles([path], '/');
      expect(packs, name).toEqual([]);
      expect(errors.map(formatPackError).join('\n'), name).toMatch(message);
    }
  });

  it('rejects two packs with the same name', async () => {
    const a = write('a.yaml', 'pack: same\nrules:\n  - id: r\n    conditions: { negative: true }\n    actions: { route: care }\n');
    const b = write('b.json', JSON.stringify({ pack: 'same', rules: [{ id: 'r', conditions: { negative: true }, actions: { route: 'care' } }] }));
    const { packs, errors } = await loadPackFiles([a.path, b.path], '/');
    expect(packs).toHaveLength(1);
    expect(errors[0]!.message).toContain('already used');
  });
});

describe('pack regexes on RE2', () => {
  it('accepts ordinary expressions, nested repetition and repeated alternatives included (RE2 cannot backtrack)', () => {
    for (const ok of ['order\\s*#?\\d{4,}', '(refund|money back)', '(ab){2,3}', '(?:x|y)*', '(a+)+', '(\\w*\\s?)*x', '\\p{L}+ račun', '\\(?=not a look-ahead'])
      expect(regexProblem(ok), ok).toBeUndefined();
  });
  it('refuses look-around and back-references, saying RE2 lacks them, and names a syntax error', () => {
    for (const p of ['(?=x)a', '(?!x)a', '(?<=x)a', '(?<!x)a']) expect(regexProblem(p), p).toMatch(/look-around .* not supported: rules match with RE2/);
    for (const p of ['(a)\\1', '(?<n>a)\\k<n>']) expect(regexProblem(p), p).toMatch(/back-references .* not supported/);
    expect(regexProblem('([')).toMatch(/not a valid regular expression for RE2 \(missing closing \]/);
  });
  it('matches the patterns that freeze a backtracking engine in time linear in the text', () => {
    const text = `${'a'.repeat(MAX_REGEX_INPUT - 1)}!`;
    for (const p of ['.*.*.*.*z', '(a+)+$', '^(a|a)*$', '(.*a){20}$', '(x+x+)+y']) {
      // V8's engine takes minutes on some of these; RE2 answers at once (the figures are in bench:rules).
      expect(compileRegex(p).firstMatch(text), p).toBeUndefined();
    }
    expect(compileRegex('RAČUN\\s+\\d+').firstMatch('Ovo je račun 1234, opet.')).toBe('račun 1234');
  });
});

describe('regex prefilter literals', () => {
  it('finds the literals a match must start with, and gives up when it cannot be sure', async () => {
    const { leadingLiterals } = await import('../../rules/engine/safe-regex.ts');
    expect(leadingLiterals('(?:Order|narudžba|porudžbina)\\s*#?\\d{4}')).toEqual(['order', 'narudžba', 'porudžbina']);
    expect(leadingLiterals('(refund|money back)')).toEqual(['refund', 'money back']);
    expect(leadingLiterals('refund\\s+\\d+')).toEqual(['refund']);
    expect(leadingLiterals('refunds?')).toEqual(['refund']);
    expect(leadingLiterals('(?:order|x)?\\d+')).toBeUndefined();
    expect(leadingLiterals('(?:a|bc)')).toBeUndefined();
    expect(leadingLiterals('\\border')).toBeUndefined();
    expect(leadingLiterals('[Oo]rder')).toBeUndefined();
    expect(leadingLiterals('.*order')).toBeUndefined();
    expect(leadingLiterals('refund|money back')).toBeUndefined();
    expect(leadingLiterals('(?:order|narudžba)\\d+|storno')).toBeUndefined();
    expect(leadingLiterals('order[|]\\d+')).toEqual(['order']);
  });
});
