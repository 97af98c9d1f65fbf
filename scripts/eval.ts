/**
 * `npm run eval`: quality of odziv's analyzer on the dev split of every labelled set, side by side
 * with natural's stock SentimentAnalyzer (AFINN) and VADER, how often the Croatian/Serbian/Bosnian
 * standard is named and how often rightly, how often the categories name what people said a
 * negative airline post was about, and the share of BCS texts whose Serbian Cyrillic
 * transliteration gets the same decisions as the Latin original.
 */

import type { Analysis, Category } from '../rules/index.ts';
import { analyze, latinToCyrillic } from '../rules/index.ts';
import { naturalScore, vaderCompound } from './baselines.ts';
import { type Row, readCare, readNeighbours, readSet, type Scores, SETS, score } from './eval-data.ts';

const baselines: Record<string, (text: string) => boolean> = {
  'natural (AFINN)': (t) => naturalScore(t) < 0,
  VADER: (t) => vaderCompound(t) <= -0.05,
};

const pct = (x: number) => x.toFixed(3);
const row = (who: string, s: Scores) =>
  `  ${who.padEnd(18)} P ${pct(s.precision)}  R ${pct(s.recall)}  F1 ${pct(s.f1)}  macro-F1 ${pct(s.macroF1)}  acc ${pct(s.accuracy)}`;

const share = (a: number, b: number) => `${((100 * a) / Math.max(1, b)).toFixed(1)} %`;

/** The categories that answer each reason the en-airline annotators gave ("Bad Flight" and "Can't Tell" name none). */
const REASON_CATEGORIES: Record<string, Category[]> = {
  'Late Flight': ['waiting'],
  longlines: ['waiting'],
  'Cancelled Flight': ['broken'],
  'Lost Luggage': ['delivery'],
  'Damaged Luggage': ['delivery', 'broken'],
  'Customer Service Issue': ['staff', 'waiting'],
  'Flight Attendant Complaints': ['staff'],
  'Flight Booking Problems': ['broken', 'billing'],
};
const COMPLAINT_TOPICS = new Set<Category>(['broken', 'billing', 'delivery', 'waiting', 'staff', 'churn', 'refund', 'legal', 'safety']);

/** Share of labelled negative posts whose categories include one their reason names; topics on posts that are not negative. */
function categoryReport(rows: Row[], results: Analysis[]): string[] {
  const byReason = new Map<string, { n: number; hit: number }>();
  let calm = 0;
  let calmWithTopic = 0;
  rows.forEach((r, i) => {
    const cats = results[i]!.categories;
    if (!r.y) {
      calm++;
      if (cats.some((c) => COMPLAINT_TOPICS.has(c))) calmWithTopic++;
      return;
    }
    const want = r.reason ? REASON_CATEGORIES[r.reason] : undefined;
    if (!want) return;
    const s = byReason.get(r.reason!) ?? { n: 0, hit: 0 };
    s.n++;
    if (cats.some((c) => want.includes(c))) s.hit++;
    byReason.set(r.reason!, s);
  });
  const all = [...byReason.values()].reduce((a, s) => ({ n: a.n + s.n, hit: a.hit + s.hit }), { n: 0, hit: 0 });
  return [
    `  categories for the annotators' reason (negative posts): ${share(all.hit, all.n)} of ${all.n} — ` +
      [...byReason.entries()]
        .sort((a, b) => b[1].n - a[1].n)
        .map(([k, s]) => `${k} → ${REASON_CATEGORIES[k]!.join('/')} ${share(s.hit, s.n)}`)
        .join(', '),
    `  a complaint topic on posts that are not negative: ${share(calmWithTopic, calm)} of ${calm}`,
  ];
}
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
  if (set.measure === 'complaint')
    console.log(
      row(
        'odziv (negative)',
        score(
          truth,
          results.map((a) => a.negative),
        ),
      ),
    );
  for (const [name, f] of Object.entries(baselines))
    console.log(
      row(
        name,
        score(
          truth,
          rows.map((r) => f(r.text)),
        ),
      ),
    );
  const byLang = new Map<string, number[]>();
  for (const [i, a] of results.entries()) byLang.set(a.language, [...(byLang.get(a.language) ?? []), i]);
  if (rows.some((r) => r.reason)) for (const line of categoryReport(rows, results)) console.log(line);
  console.log(
    `  detected languages: ${[...byLang.entries()]
      .sort((a, b) => b[1].length - a[1].length)
      .map(([l, ix]) => `${l} ${ix.length}`)
      .join(', ')}`,
  );
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
console.log(
  `BCS standard identification (dev, all three sets): named for ${share(standards.named, standards.posts)} of posts, right for ${share(standards.right, standards.named)} of those; the rest say "bcs-family"`,
);
console.log(`Cyrillic/Latin agreement (BCS dev texts transliterated to Cyrillic): ${agree}/${compared} = ${((100 * agree) / compared).toFixed(2)} %`);
for (const d of disagreements) console.log(`  differs: ${d}`);

// Languages odziv does not read: posts written for odziv in eight neighbouring languages.
const neighbours = readNeighbours('dev');
const byNeighbour = new Map<string, { n: number; other: number }>();
let flagged = 0;
for (const r of neighbours) {
  const a = analyze(r.text);
  const b = byNeighbour.get(r.lang) ?? { n: 0, other: 0 };
  b.n++;
  if (a.language === 'other') b.other++;
  if (a.isComplaint) flagged++;
  byNeighbour.set(r.lang, b);
}
const setAside = [...byNeighbour.values()].reduce((s, b) => s + b.other, 0);
console.log(
  `Neighbour languages (dev, ${neighbours.length} posts, ${neighbours.filter((r) => r.complaint).length} complaints): "other" for ${share(setAside, neighbours.length)} (${[...byNeighbour.entries()].map(([l, b]) => `${l} ${b.other}/${b.n}`).join(', ')}); flagged as complaints: ${flagged}`,
);

// Comment-style care posts written for odziv (hr, sr in both scripts, bs): what a brand's page gets.
const care = readCare('dev');
console.log(`BCS care comments (dev, ${care.length} posts, ${care.filter((r) => r.complaint).length} complaints) — class "complaint"`);
console.log(
  row(
    'odziv',
    score(
      care.map((r) => r.complaint),
      care.map((r) => analyze(r.text, { toBrand: true }).isComplaint),
    ),
  ),
);
const missed = care.filter((r) => r.complaint !== analyze(r.text, { toBrand: true }).isComplaint);
console.log(`  wrong: ${missed.length} (${missed.filter((r) => r.complaint).length} missed, ${missed.filter((r) => !r.complaint).length} false alarms)`);
