/**
 * `npm run eval`: quality of odziv's analyzer on the dev split of every labelled set, side by side
 * with natural's stock SentimentAnalyzer (AFINN) and VADER, how often the Croatian/Serbian/Bosnian
 * standard is named and how often rightly, and the share of BCS texts whose Serbian Cyrillic
 * transliteration gets the same decisions as the Latin original.
 */
import { analyze, latinToCyrillic } from '../rules/index.ts';
import { naturalScore, vaderCompound } from './baselines.ts';
import { readSet, score, SETS, type Scores } from './eval-data.ts';

const baselines: Record<string, (text: string) => boolean> = {
  'natural (AFINN)': (t) => naturalScore(t) < 0,
  VADER: (t) => vaderCompound(t) <= -0.05,
};

const pct = (x: number) => x.toFixed(3);
const row = (who: string, s: Scores) => `  ${who.padEnd(18)} P ${pct(s.precision)}  R ${pct(s.recall)}  F1 ${pct(s.f1)}  macro-F1 ${pct(s.macroF1)}  acc ${pct(s.accuracy)}`;

const share = (a: number, b: number) => `${((100 * a) / Math.max(1, b)).toFixed(1)} %`;
const standards = { named: 0, right: 0, posts: 0 };
let agree = 0;
let compared = 0;
const disagreements: string[] = [];
for (const set of SETS) {
  const rows = readSet(set.name, 'dev');
  const truth = rows.map((r) => r.y);
  const results = rows.map((r) => analyze(r.text));
  const ours = results.map((a) => (set.measure === 'complaint' ? a.isComplaint : a.negative));
  console.log(`${set.name} (dev, ${rows.length} posts, ${truth.filter(Boolean).length} ${set.measure}) — class "${set.measure}"`);
  console.log(row('odziv', score(truth, ours)));
  if (set.measure === 'complaint') console.log(row('odziv (negative)', score(truth, results.map((a) => a.negative))));
  for (const [name, f] of Object.entries(baselines)) console.log(row(name, score(truth, rows.map((r) => f(r.text)))));
  const byLang = new Map<string, number[]>();
  results.forEach((a, i) => byLang.set(a.language, [...(byLang.get(a.language) ?? []), i]));
  console.log(`  detected languages: ${[...byLang.entries()].sort((a, b) => b[1].length - a[1].length).map(([l, ix]) => `${l} ${ix.length}`).join(', ')}`);
  if (set.name.endsWith('-tweets')) {
    // The set's language is its posts' standard (labels of the set, not of each post).
    const standard = set.name.slice(0, 2);
    const named = results.filter((a) => a.language === 'hr' || a.language === 'sr' || a.language === 'bs');
    const right = named.filter((a) => a.language === standard).length;
    standards.named += named.length;
    standards.right += right;
    standards.posts += rows.length;
    console.log(`  standard named (hr/sr/bs) for ${share(named.length, rows.length)} of posts, ${share(right, named.length)} of them "${standard}"`);
    rows.forEach((r, i) => {
      const c = analyze(latinToCyrillic(r.text));
      compared++;
      if (c.negative === results[i]!.negative && c.isComplaint === results[i]!.isComplaint) agree++;
      else if (disagreements.length < 5) disagreements.push(r.text);
    });
  }
}
console.log(`BCS standard identification (dev, all three sets): named for ${share(standards.named, standards.posts)} of posts, right for ${share(standards.right, standards.named)} of those; the rest say "bcs-family"`);
console.log(`Cyrillic/Latin agreement (BCS dev texts transliterated to Cyrillic): ${agree}/${compared} = ${((100 * agree) / compared).toFixed(2)} %`);
for (const d of disagreements) console.log(`  differs: ${d}`);
