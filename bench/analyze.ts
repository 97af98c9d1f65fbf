/**
 * `npm run bench:analyze`: posts per second of odziv's full analysis on one core (this process is
 * single-threaded), against natural's stock SentimentAnalyzer (tokenize + AFINN) on the same posts
 * in the same run, and the peak memory. Posts: the dev splits of ../shared/data (it refuses to run
 * without them), or the bundled demo stream with `--demo`.
 */
import { existsSync } from 'node:fs';
import { DEFAULT_SAMPLE, loadSample } from '../adapters/replay/sample.ts';
import { analyze } from '../rules/index.ts';
import { naturalScore } from '../scripts/baselines.ts';
import { DATA_DIR, readSet, SETS } from '../scripts/eval-data.ts';

// The dev posts of the labelled sets; the 303 demo posts only when asked for (they are short and few,
// and a figure measured on them would pass for one measured on real posts).
const demo = process.argv.includes('--demo');
if (!demo && !existsSync(DATA_DIR)) {
  process.stderr.write(
    `bench:analyze: ${DATA_DIR} not found: set ODZIV_SHARED_DATA to the labelled sets, or pass --demo to measure on the bundled demo posts\n`,
  );
  process.exit(2);
}
const source = demo ? `the bundled demo stream (${DEFAULT_SAMPLE})` : `the dev splits of ${SETS.map((s) => s.name).join(', ')} in ${DATA_DIR}`;
const texts = demo ? loadSample(DEFAULT_SAMPLE).map((i) => i.text) : SETS.flatMap((s) => readSet(s.name, 'dev').map((r) => r.text));
let peakRss = 0;
const sampleMemory = () => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
};

/** Posts per second of one timed pass of at least `ms` over the posts. */
function pass(fn: (t: string) => unknown, ms: number): number {
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < ms) {
    for (const t of texts) fn(t);
    n += texts.length;
    sampleMemory();
  }
  return n / ((performance.now() - start) / 1000);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const contenders: Record<string, (t: string) => unknown> = {
  'natural SentimentAnalyzer (AFINN)': (t) => naturalScore(t),
  'odziv analyze (full)': (t) => analyze(t),
};
console.log(
  `${texts.length} posts from ${source} (mean ${Math.round(texts.reduce((a, t) => a + t.length, 0) / texts.length)} characters), node ${process.version}, one thread`,
);
// Warm both up, then alternate rounds so drifting machine load hits both alike; report medians.
for (const fn of Object.values(contenders)) pass(fn, 1000);
const rounds: Record<string, number[]> = Object.fromEntries(Object.keys(contenders).map((k) => [k, []]));
for (let r = 0; r < 5; r++) for (const [name, fn] of Object.entries(contenders)) rounds[name]!.push(pass(fn, 800));
for (const [name, xs] of Object.entries(rounds)) {
  console.log(
    `${name.padEnd(34)} ${Math.round(median(xs)).toLocaleString('en').padStart(9)} posts/s  (median of 5; ${xs.map((x) => Math.round(x / 1000)).join(', ')} k)`,
  );
}
const ratio = median(rounds['odziv analyze (full)']!) / median(rounds['natural SentimentAnalyzer (AFINN)']!);
console.log(`ratio odziv / natural: ${ratio.toFixed(2)}×`);
console.log(`peak RSS: ${Math.round(peakRss / 1024 / 1024)} MiB (both analyzers loaded)`);

// Hostile posts: 25,000 characters (X's longest) built to make a regex backtrack or a stemmer loop.
// Their characters per second against ordinary posts' in this run: a ratio far below 1 means some
// step takes more than linear time (before the fixes "httphttp…" and "((((…(:" ran at 0.01×, nearly a second a post).
const ordinaryChars = texts.reduce((a, t) => a + t.length, 0);
const ordinary = (ordinaryChars / texts.length) * median(rounds['odziv analyze (full)']!);
const LONG = 25_000;
const fill = (unit: string, tail = '') => unit.repeat(Math.ceil(LONG / unit.length)).slice(0, LONG - tail.length) + tail;
const hostile: Record<string, string> = {
  'one long word': fill('http'),
  'brackets then a colon': fill('(', ':'),
  'repeated complaint': fill('ne radi, užasno, čekam '),
  negators: fill('not ne nije '),
  emoticons: fill(':-) :( :D '),
  'emoji with modifiers': fill('😡\uFE0F👍🏽'),
  Cyrillic: fill('ђђђ џџ љљ '),
  'handles and hashtags': fill('@a #NeRadi '),
  'URL fragments': fill('https://a.b/ www.'),
  elongations: fill('uzasnoooooo '),
};
const rows = Object.entries(hostile).map(([name, text]) => {
  const start = performance.now();
  analyze(text);
  const charsPerS = text.length / ((performance.now() - start) / 1000);
  return { name, ms: performance.now() - start, ratio: charsPerS / ordinary };
});
rows.sort((a, b) => a.ratio - b.ratio);
console.log(`hostile posts (${LONG.toLocaleString('en')} characters), characters/s against ordinary posts (worst first):`);
for (const r of rows) console.log(`  ${r.name.padEnd(24)} ${r.ms.toFixed(0).padStart(5)} ms  ${r.ratio.toFixed(2)}×`);
