import { existsSync, readFileSync } from 'node:fs';
import type { Normalized, Token } from './normalize.ts';
import { wordHash } from './trigrams.ts';

/**
 * Which standard a Croatian/Serbian/Bosnian post is written in, from its words: a naive Bayes
 * table of per-standard word log-probabilities counted on the train splits by `npm run train`
 * ("tko", "tjedan" lean hr; "uvek", "gde" sr; "sedmica", "kontam" bs), plus the curated marker
 * words of language.ts. Below `threshold` (chosen by cross-validation on train for 85 % precision)
 * the post stays "bcs-family": close standards are not guessed.
 */
export const STANDARDS = ['hr', 'sr', 'bs'] as const;
export type Standard = (typeof STANDARDS)[number];

/** Words in fewer train posts than this are left out (names and typos seen once say little). */
const MIN_POSTS = 2;
/** Add-α smoothing of the counts (chosen by cross-validation on train). */
const ALPHA = 0.3;

export class StandardsTable {
  constructor(
    /** Per word (a 32-bit hash of its folded form: the file holds no text of the data sets): log P(word | hr, sr, bs). */
    readonly logp: ReadonlyMap<number, readonly [number, number, number]>,
    /** Posterior at or above which a standard is named. */
    readonly threshold: number,
  ) {}
}

declare module './normalize.ts' {
  interface WordFacts {
    standards?: { table: StandardsTable; logp: readonly [number, number, number] | undefined };
  }
}

function wordLogp(table: StandardsTable, t: Token): readonly [number, number, number] | undefined {
  const cached = t.word?.facts.standards;
  if (cached?.table === table) return cached.logp;
  const logp = table.logp.get(wordHash(t.norm));
  if (t.word) t.word.facts.standards = { table, logp };
  return logp;
}

/** A post's distinct words as the table counts them. */
function postWords(n: Pick<Normalized, 'tokens'>): Token[] {
  const seen = new Set<string>();
  const out: Token[] = [];
  for (const t of n.tokens) {
    if (t.kind !== 'word' || t.norm.length < 2 || seen.has(t.norm)) continue;
    seen.add(t.norm);
    out.push(t);
  }
  return out;
}

/**
 * Posterior P(hr, sr, bs | words) from equal priors; `votes` adds the curated markers (log-odds per
 * standard). Without a table only the markers speak.
 */
export function standardPosterior(table: StandardsTable | undefined, n: Pick<Normalized, 'tokens'>, votes: (t: Token) => readonly [number, number, number] | undefined): [number, number, number] {
  let hr = 0;
  let sr = 0;
  let bs = 0;
  for (const t of postWords(n)) {
    const w = table ? wordLogp(table, t) : undefined;
    if (w) {
      hr += w[0];
      sr += w[1];
      bs += w[2];
    }
    const v = votes(t);
    if (v) {
      hr += v[0];
      sr += v[1];
      bs += v[2];
    }
  }
  const max = Math.max(hr, sr, bs);
  const [a, b, c] = [Math.exp(hr - max), Math.exp(sr - max), Math.exp(bs - max)];
  return [a / (a + b + c), b / (a + b + c), c / (a + b + c)];
}

/** Counts, per standard, the train posts each word appears in. */
export function buildStandardsTable(samples: Iterable<{ n: Pick<Normalized, 'tokens'>; standard: Standard }>, threshold: number): StandardsTable {
  const posts = new Map<string, [number, number, number]>();
  for (const s of samples) {
    const c = STANDARDS.indexOf(s.standard);
    for (const t of postWords(s.n)) {
      const v = posts.get(t.norm) ?? [0, 0, 0];
      v[c] = (v[c] ?? 0) + 1;
      posts.set(t.norm, v);
    }
  }
  const kept = [...posts].filter(([, v]) => v[0] + v[1] + v[2] >= MIN_POSTS).sort(([a], [b]) => (a < b ? -1 : 1));
  const totals = [0, 0, 0];
  for (const [, v] of kept) for (let c = 0; c < 3; c++) totals[c]! += v[c]!;
  const logp = new Map<number, readonly [number, number, number]>();
  for (const [w, v] of kept) {
    const round = (c: number) => Math.round(Math.log((v[c]! + ALPHA) / (totals[c]! + ALPHA * kept.length)) * 1000) / 1000;
    logp.set(wordHash(w), [round(0), round(1), round(2)]);
  }
  return new StandardsTable(logp, threshold);
}

export function serializeStandards(t: StandardsTable): string {
  const hashes = [...t.logp.keys()].sort((a, b) => a - b);
  return `${JSON.stringify({
    kind: 'language-standards',
    standards: STANDARDS,
    threshold: t.threshold,
    words: Buffer.from(Uint32Array.from(hashes).buffer).toString('base64'),
    logp: hashes.flatMap((h) => t.logp.get(h)!),
  })}\n`;
}

export function loadStandards(path: string | URL): StandardsTable | undefined {
  if (!existsSync(path)) return undefined;
  const file = JSON.parse(readFileSync(path, 'utf8')) as { threshold: number; words: string; logp: number[] };
  const raw = Buffer.from(file.words, 'base64');
  const hashes = new Uint32Array(raw.byteLength / 4);
  new Uint8Array(hashes.buffer).set(raw);
  const logp = new Map<number, readonly [number, number, number]>();
  hashes.forEach((h, i) => logp.set(h, [file.logp[3 * i]!, file.logp[3 * i + 1]!, file.logp[3 * i + 2]!]));
  return new StandardsTable(logp, file.threshold);
}
