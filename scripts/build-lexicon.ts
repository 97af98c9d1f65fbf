/**
 * Derives the committed Croatian lexicon from CroSentiLex's hand-labelled gold set (MIT) in
 * ../shared/data/lexicons. Run: `npm run build:lexicon`. The automatically derived 37k-lemma lists
 * are too noisy to use unfiltered ("užasan" scores positive), so only the gold labels are taken.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const src = join(process.env.ODZIV_SHARED_DATA ?? '../shared/data', 'lexicons', 'gs-sentiment-annotations.txt');
const out = new URL('../rules/analyze/lexicon/crosentilex-gold.json', import.meta.url);
const entries: Array<[string, number]> = [];
for (const line of readFileSync(src, 'utf8').replace(/^\uFEFF/, '').split('\n')) {
  const [lemma, label] = line.trim().split(/\s+/);
  if (!lemma || (label !== '+' && label !== '-')) continue;
  entries.push([lemma, label === '+' ? 1.5 : -1.5]);
}
entries.sort((a, b) => a[0].localeCompare(b[0], 'hr'));
writeFileSync(out, JSON.stringify({ source: 'CroSentiLex gold set (Glavaš et al., TSD 2012), MIT', entries }, null, 0) + '\n');
console.log(`wrote ${entries.length} entries to ${out.pathname}`);

// CroSentiLex's automatically derived scores: the 37k lemmas in both lists. Kept where the two
// scores differ clearly (the lists are noisy), as one polarity per lemma for a model feature.
const read = (name: string) =>
  new Map(
    readFileSync(join(process.env.ODZIV_SHARED_DATA ?? '../shared/data', 'lexicons', name), 'utf8')
      .split('\n')
      .map((l) => l.trim().split(/\s+/))
      .filter((p) => p.length === 2 && p[0])
      .map(([w, s]) => [w!, Number(s)] as const),
  );
const neg = read('crosentilex-negatives.txt');
const pos = read('crosentilex-positives.txt');
const polar: Array<[string, number]> = [];
for (const [w, n] of neg) {
  const d = (pos.get(w) ?? 0) - n;
  if (Math.abs(d) >= 0.15 && w.length > 2) polar.push([w, Math.round(d * 100) / 100]);
}
polar.sort((a, b) => a[0].localeCompare(b[0], 'hr'));
const out2 = new URL('../rules/analyze/lexicon/crosentilex-polarity.json', import.meta.url);
writeFileSync(out2, JSON.stringify({ source: 'CroSentiLex (Glavaš et al., TSD 2012), MIT: positive minus negative score, |d| ≥ 0.15', entries: polar }) + '\n');
console.log(`wrote ${polar.length} entries to ${out2.pathname}`);
