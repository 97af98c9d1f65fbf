/**
 * `npm run bench:rules`: posts per second of the analysis stage and of the rules stage (the default
 * pack, and a generated 200-rule pack) on the same posts in one run, and what the rules add to the
 * cost of analysis (target: under 20 %). Posts: the bundled demo stream.
 */

import { DEFAULT_SAMPLE, loadSample } from '../adapters/replay/sample.ts';
import { CATEGORIES } from '../rules/analyze/lexicon/categories.ts';
import { analyzeDetailed, type CompiledPack, evaluate, loadPackFiles, loadPackText, type PostFacts, packFilesIn } from '../rules/index.ts';

const items = loadSample(DEFAULT_SAMPLE);
const NOW = new Date('2026-11-23T10:00:00Z');
const facts = (text: string, i: number): PostFacts => ({
  platform: 'replay',
  stream: 'demo',
  text,
  isOwn: false,
  isRepost: false,
  followers: items[i]!.author.followers ?? 100,
  verified: items[i]!.author.verified ?? false,
  engagement: i % 50,
  engagementPerHour: i % 120,
  authorComplaintTimes: [],
  now: NOW,
});

/**
 * 200 rules the way a large team's packs look: mostly specific keyword rules (products, places,
 * phrases in both languages), topic rules with thresholds, regexes and reach rules. Like real
 * packs, only a few rules fire on any one post.
 */
function bigPack(): CompiledPack {
  const products = [
    'fiber',
    'router',
    'tv box',
    'sim',
    'roaming',
    'prepaid',
    'postpaid',
    'iphone',
    'samsung',
    'slušalice',
    'punjač',
    'tablet',
    'sat',
    'maska',
    'kabel',
    'modem',
    'paket',
    'tarifa',
    'aplikacija',
    'račun',
  ];
  const places = [
    'Zagreb',
    'Split',
    'Rijeka',
    'Osijek',
    'Zadar',
    'Beograd',
    'Novi Sad',
    'Niš',
    'Sarajevo',
    'Mostar',
    'Tuzla',
    'Banja Luka',
    'Podgorica',
    'Skopje',
    'Ljubljana',
    'Dubrovnik',
    'Pula',
    'Čačak',
    'Zenica',
    'Bihać',
  ];
  const phrases = [
    'ne radi',
    'not working',
    'refund',
    'povrat novca',
    'otkazati',
    'cancel',
    'kasni',
    'late',
    'bezobrazan',
    'rude',
    'skupo',
    'expensive',
    'nema signala',
    'no signal',
    'pokvaren',
    'broken',
    'čekam',
    'waiting',
    'prevara',
    'scam',
  ];
  const rules: string[] = [];
  const add = (id: string, cond: string, prio: number) =>
    rules.push(`  - id: ${id}\n    conditions: ${cond}\n    actions: { flag: { reason: "${id}" }, priority: { add: ${prio} } }`);
  for (let i = 0; i < 120; i++) {
    const product = products[i % products.length]!;
    const place = places[Math.floor(i / products.length) % places.length]!;
    const phrase = phrases[(i * 3) % phrases.length]!;
    add(`kw-${i}`, `{ all: [{ keywords: ["${product} ${place}", "${product}-${i}", "${place} ${phrase}"] }, { minComplaint: 0.4 }] }`, i % 10);
  }
  for (let i = 0; i < 40; i++) {
    const cat = CATEGORIES[i % CATEGORIES.length]!;
    add(`topic-${i}`, `{ all: [{ category: ${cat} }, { minComplaint: 0.${5 + (i % 5)} }, { minFollowers: ${500 * (i % 8) + 200} }] }`, 5);
  }
  for (let i = 0; i < 20; i++) add(`re-${i}`, `{ regex: '(?:order|narudžba|porudžbina)\\s*#?${i % 10}\\d{${3 + (i % 3)}}' }`, 3);
  for (let i = 0; i < 20; i++) add(`reach-${i}`, `{ all: [{ minFollowers: ${20_000 + i * 5000} }, { negative: true }, { not: { question: true } }] }`, 8);
  const loaded = loadPackText(`pack: big\nrules:\n${rules.join('\n')}\n`, 'big.yaml');
  if (!loaded.pack) throw new Error(loaded.errors.map((e) => `${e.rule} ${e.path}: ${e.message}`).join('; '));
  return loaded.pack;
}

function rate(fn: (i: number) => unknown, ms: number): number {
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < ms) {
    for (let i = 0; i < items.length; i++) fn(i);
    n += items.length;
  }
  return n / ((performance.now() - start) / 1000);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const { packs: defaults } = await loadPackFiles(await packFilesIn('rules/packs'));
const big = [bigPack()];
// The pipeline's two stages, timed apart: analysis of a post, then the rules on its analysis.
const details = items.map((it) => analyzeDetailed(it.text));
const allFacts = items.map((it, i) => facts(it.text, i));
const stages: Record<string, (i: number) => unknown> = {
  analysis: (i) => analyzeDetailed(items[i]!.text),
  [`rules: default pack (${defaults.reduce((a, p) => a + p.rules.length, 0)} rules)`]: (i) => evaluate(defaults, details[i]!, allFacts[i]!),
  'rules: 200-rule pack': (i) => evaluate(big, details[i]!, allFacts[i]!),
};
for (const fn of Object.values(stages)) rate(fn, 800);
const rounds: Record<string, number[]> = Object.fromEntries(Object.keys(stages).map((k) => [k, []]));
for (let r = 0; r < 5; r++) for (const [k, fn] of Object.entries(stages)) rounds[k]!.push(rate(fn, 600));
console.log(`${items.length} demo posts, node ${process.version}, one thread; medians of 5 alternating rounds`);
const firedPerPost = (packs: CompiledPack[]) => items.reduce((n, _it, i) => n + evaluate(packs, details[i]!, allFacts[i]!).fired.length, 0) / items.length;
console.log(`rules firing per post: default ${firedPerPost(defaults).toFixed(1)}, 200-rule pack ${firedPerPost(big).toFixed(1)}`);
const analysis = median(rounds.analysis!);
for (const [k, xs] of Object.entries(rounds)) {
  const r = median(xs);
  const vs =
    k === 'analysis'
      ? ''
      : `  adds ${((analysis / r) * 100).toFixed(1)} % to the cost of analysis; analysis + rules ${Math.round(1 / (1 / analysis + 1 / r)).toLocaleString('en')} posts/s`;
  console.log(`${k.padEnd(34)} ${Math.round(r).toLocaleString('en').padStart(9)} posts/s${vs}`);
}
