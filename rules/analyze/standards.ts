import { existsSync, readFileSync } from 'node:fs';
import type { Normalized, Token } from './normalize.ts';
import { wordHash } from './trigrams.ts';

/**
 * Which standard a Croatian/Serbian/Bosnian post is written in, from its words: a naive Bayes
 * table of per-standard word log-probabilities counted on the train splits by `npm run train`
 * ("tko", "tjedan" lean hr; "uvek", "gde" sr; "sedmica", "kontam" bs), plus the curated marker
 * words of language.ts. A standard is named only when the post holds a word that marks it and the
 * posterior clears `threshold` (chosen by cross-validation on train for 85 % precision); otherwise
 * the post stays "bcs-family": close standards are not guessed from words all three share.
 */
export const STANDARDS = ['hr', 'sr', 'bs'] as const;
export type Standard = (typeof STANDARDS)[number];

/** Words in fewer train posts than this are left out (names and typos seen once say little). */
const MIN_POSTS = 2;
/** Add-α smoothing of the counts (chosen by cross-validation on train). */
const ALPHA = 0.3;
/**
 * A word marks a standard when it was seen in this many posts and, alone, gives that standard this
 * posterior: "ne radi", "čekam" lean to whichever set has more complaints, "uvek" to Serbian.
 */
const MARKER_POSTS = 5;
const MARKER_SHARE = 0.6;

type Triple = readonly [number, number, number];

export class StandardsTable {
  constructor(
    /**
     * Per word (a 32-bit hash of its folded form: the file holds no text of the data sets):
     * log P(word | hr, sr, bs), and the standard the word marks (-1: none).
     */
    readonly words: ReadonlyMap<number, { logp: Triple; marks: number }>,
    /** Posterior at or above which a standard is named. */
    readonly threshold: number,
  ) {}
}

declare module './normalize.ts' {
  interface WordFacts {
    standards?: { table: StandardsTable; entry: { logp: Triple; marks: number } | undefined };
  }
}

function wordEntry(table: StandardsTable, t: Token): { logp: Triple; marks: number } | undefined {
  const cached = t.word?.facts.standards;
  if (cached?.table === table) return cached.entry;
  const entry = table.words.get(wordHash(t.norm));
  if (t.word) t.word.facts.standards = { table, entry };
  return entry;
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

export interface StandardGuess {
  /** P(hr, sr, bs | words) from equal priors. */
  posterior: [number, number, number];
  /** Whether the post holds a word that marks each standard. */
  marked: [boolean, boolean, boolean];
}

/**
 * The posterior, with `votes` adding the curated markers (log-odds per standard; a full vote also
 * marks its standard). Without a table only the markers speak.
 */
export function standardGuess(table: StandardsTable | undefined, n: Pick<Normalized, 'tokens'>, votes: (t: Token) => Triple | undefined): StandardGuess {
  let hr = 0;
  let sr = 0;
  let bs = 0;
  const marked: [boolean, boolean, boolean] = [false, false, false];
  for (const t of postWords(n)) {
    const w = table ? wordEntry(table, t) : undefined;
    if (w) {
      hr += w.logp[0];
      sr += w.logp[1];
      bs += w.logp[2];
      if (w.marks >= 0) marked[w.marks] = true;
    }
    const v = votes(t);
    if (v) {
      hr += v[0];
      sr += v[1];
      bs += v[2];
      for (let c = 0; c < 3; c++) if (v[c]! >= 1) marked[c] = true;
    }
  }
  const max = Math.max(hr, sr, bs);
  const [a, b, c] = [Math.exp(hr - max), Math.exp(sr - max), Math.exp(bs - max)];
  return { posterior: [a / (a + b + c), b / (a + b + c), c / (a + b + c)], marked };
}

/** The standard a guess names, or undefined for "bcs-family". */
export function namedStandard(g: StandardGuess, threshold: number): Standard | undefined {
  const best = g.posterior.indexOf(Math.max(...g.posterior));
  return g.posterior[best]! >= threshold && g.marked[best] ? STANDARDS[best] : undefined;
}

/**
 * Counts, per standard, the train posts each word appears in — separately for negative and
 * positive posts, averaged: the Serbian set is 70 % negative and the Croatian 32 %, and without
 * the balance complaint words would read as Serbian.
 */
export function buildStandardsTable(
  samples: Iterable<{ n: Pick<Normalized, 'tokens'>; standard: Standard; negative: boolean }>,
  threshold: number,
): StandardsTable {
  const posts = new Map<string, number[]>(); // [hr−, hr+, sr−, sr+, bs−, bs+]
  for (const s of samples) {
    const k = 2 * STANDARDS.indexOf(s.standard) + (s.negative ? 0 : 1);
    for (const t of postWords(s.n)) {
      const v = posts.get(t.norm) ?? [0, 0, 0, 0, 0, 0];
      v[k] = (v[k] ?? 0) + 1;
      posts.set(t.norm, v);
    }
  }
  const sum = (v: number[]) => v.reduce((a, b) => a + b, 0);
  const kept = [...posts].filter(([, v]) => sum(v) >= MIN_POSTS).sort(([a], [b]) => (a < b ? -1 : 1));
  const totals = [0, 0, 0, 0, 0, 0];
  for (const [, v] of kept) for (let k = 0; k < 6; k++) totals[k]! += v[k]!;
  const p = (v: number[], k: number) => (v[k]! + ALPHA) / (totals[k]! + ALPHA * kept.length);
  const words = new Map<number, { logp: Triple; marks: number }>();
  for (const [w, v] of kept) {
    const probs = [0, 1, 2].map((c) => (p(v, 2 * c) + p(v, 2 * c + 1)) / 2);
    const share = probs.map((x) => x / (probs[0]! + probs[1]! + probs[2]!));
    const best = share.indexOf(Math.max(...share));
    const round = (x: number) => Math.round(Math.log(x) * 1000) / 1000;
    words.set(wordHash(w), {
      logp: [round(probs[0]!), round(probs[1]!), round(probs[2]!)],
      marks: sum(v) >= MARKER_POSTS && share[best]! >= MARKER_SHARE ? best : -1,
    });
  }
  return new StandardsTable(words, threshold);
}

export function serializeStandards(t: StandardsTable): string {
  const hashes = [...t.words.keys()].sort((a, b) => a - b);
  return `${JSON.stringify({
    kind: 'language-standards',
    standards: STANDARDS,
    threshold: t.threshold,
    words: Buffer.from(Uint32Array.from(hashes).buffer).toString('base64'),
    logp: hashes.flatMap((h) => t.words.get(h)!.logp),
    marks: hashes.map((h) => t.words.get(h)!.marks),
  })}\n`;
}

export function loadStandards(path: string | URL): StandardsTable | undefined {
  if (!existsSync(path)) return undefined;
  const file = JSON.parse(readFileSync(path, 'utf8')) as { threshold: number; words: string; logp: number[]; marks: number[] };
  const raw = Buffer.from(file.words, 'base64');
  const hashes = new Uint32Array(raw.byteLength / 4);
  new Uint8Array(hashes.buffer).set(raw);
  const words = new Map<number, { logp: Triple; marks: number }>();
  hashes.forEach((h, i) => {
    words.set(h, { logp: [file.logp[3 * i]!, file.logp[3 * i + 1]!, file.logp[3 * i + 2]!], marks: file.marks[i]! });
  });
  return new StandardsTable(words, file.threshold);
}
