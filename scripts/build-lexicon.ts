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
