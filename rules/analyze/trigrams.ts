import { existsSync, readFileSync } from 'node:fs';
import type { Normalized, Token } from './normalize.ts';

/**
 * Character trigrams of the folded words (" ne", "ne ", " ra", "rad", "adi", "di "): they tell
 * English from Croatian/Serbian/Bosnian on posts too short for function words ("fav airline",
 * "DM sent") or with words both languages have ("i", "on", "to"). The table holds, per trigram,
 * log P(trigram | English) − log P(trigram | BCS), counted on the train splits by `npm run train`.
 * Read from the folded Latin forms, so a text and its Cyrillic transliteration score the same.
 */
const SPACE = 32;

/** FNV-1a, 32 bit, of a folded word. */
export function wordHash(w: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < w.length; i++) h = Math.imul(h ^ w.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
/** Three char codes under 1024 (folded Latin) in one int; other scripts have no trigrams here. */
const pack = (a: number, b: number, c: number) => (a < 1024 && b < 1024 && c < 1024 ? (a << 20) | (b << 10) | c : -1);

/** Calls `each` with every trigram of the post's words, packed (no strings built). */
function eachTrigram(n: Pick<Normalized, 'tokens'>, each: (key: number) => void): void {
  for (const t of n.tokens) {
    if (t.kind !== 'word') continue;
    const w = t.norm;
    let a = SPACE;
    let b = w.charCodeAt(0);
    for (let i = 1; i <= w.length; i++) {
      const c = i < w.length ? w.charCodeAt(i) : SPACE;
      const k = pack(a, b, c);
      if (k >= 0) each(k);
      a = b;
      b = c;
    }
  }
}

/** An open-addressing table of packed trigrams (the analyzer's hot path: no string per trigram). */
export class TrigramTable {
  private readonly keys: Int32Array;
  private readonly vals: Float32Array;
  private readonly mask: number;

  constructor(
    readonly entries: ReadonlyMap<string, number>,
    /**
     * Words seen at least twice in each family's train posts, as 32-bit hashes (the file holds no
     * text of the data sets): a guess must know a share of the words.
     */
    readonly words: { en: ReadonlySet<number>; bcs: ReadonlySet<number> } = { en: new Set(), bcs: new Set() },
  ) {
    let size = 1;
    while (size < entries.size * 2) size <<= 1;
    this.keys = new Int32Array(size).fill(-1);
    this.vals = new Float32Array(size);
    this.mask = size - 1;
    for (const [g, v] of entries) {
      const k = pack(g.charCodeAt(0), g.charCodeAt(1), g.charCodeAt(2));
      if (k < 0) continue;
      let i = this.slot(k);
      while (this.keys[i] !== -1) i = (i + 1) & this.mask;
      this.keys[i] = k;
      this.vals[i] = v;
    }
  }

  private slot(k: number): number {
    const h = Math.imul(k, 0x9e3779b1);
    return (h ^ (h >>> 15)) & this.mask;
  }

  /** The log ratio of a packed trigram, or undefined when it was never seen. */
  get(k: number): number | undefined {
    for (let i = this.slot(k); ; i = (i + 1) & this.mask) {
      const have = this.keys[i];
      if (have === k) return this.vals[i];
      if (have === -1) return undefined;
    }
  }
}

/** A word's trigram evidence under one table. */
interface WordTrigrams {
  table: TrigramTable;
  sum: number;
  seen: number;
  all: number;
}
declare module './normalize.ts' {
  interface WordFacts {
    trigrams?: WordTrigrams;
  }
}

function wordTrigrams(table: TrigramTable, t: Token): WordTrigrams {
  const cached = t.word?.facts.trigrams;
  if (cached?.table === table) return cached;
  const out = { table, sum: 0, seen: 0, all: 0 };
  eachTrigram({ tokens: [t] }, (k) => {
    out.all++;
    const v = table.get(k);
    if (v === undefined) return;
    out.seen++;
    out.sum += v;
  });
  if (t.word) t.word.facts.trigrams = out;
  return out;
}

/**
 * Positive: English; negative: BCS; 0 without a table, or when under 60 % of the trigrams are
 * known (another language: neither side should claim it).
 */
export function trigramScore(table: TrigramTable | undefined, n: Pick<Normalized, 'tokens'>): number {
  if (!table) return 0;
  let s = 0;
  let seen = 0;
  let all = 0;
  for (const t of n.tokens) {
    if (t.kind !== 'word') continue;
    const w = wordTrigrams(table, t);
    s += w.sum;
    seen += w.seen;
    all += w.all;
  }
  return seen >= 0.6 * all ? s : 0;
}

/** Share of the post's words the family's vocabulary knows (1 for a post without words). */
export function knownShare(table: TrigramTable, n: Pick<Normalized, 'tokens'>, family: 'en' | 'bcs'): number {
  let known = 0;
  let all = 0;
  for (const t of n.tokens) {
    if (t.kind !== 'word') continue;
    all++;
    if (table.words[family].has(wordHash(t.norm))) known++;
  }
  return all ? known / all : 1;
}

/** Counts trigrams of labelled posts (add-one smoothing; trigrams seen under 3 times are dropped). */
export function buildTrigramTable(samples: Iterable<{ n: Pick<Normalized, 'tokens'>; family: 'en' | 'bcs' }>): TrigramTable {
  const counts = { en: new Map<string, number>(), bcs: new Map<string, number>() };
  const totals = { en: 0, bcs: 0 };
  const wordCounts = { en: new Map<string, number>(), bcs: new Map<string, number>() };
  for (const s of samples) {
    for (const t of s.n.tokens) if (t.kind === 'word') wordCounts[s.family].set(t.norm, (wordCounts[s.family].get(t.norm) ?? 0) + 1);
    const m = counts[s.family];
    eachTrigram(s.n, (k) => {
      const g = String.fromCharCode(k >>> 20, (k >>> 10) & 1023, k & 1023);
      m.set(g, (m.get(g) ?? 0) + 1);
      totals[s.family]++;
    });
  }
  const vocab = [...new Set([...counts.en.keys(), ...counts.bcs.keys()])].sort();
  const entries = new Map<string, number>();
  for (const g of vocab) {
    const a = counts.en.get(g) ?? 0;
    const b = counts.bcs.get(g) ?? 0;
    if (a + b < 3) continue;
    const llr = Math.log((a + 1) / (totals.en + vocab.length)) - Math.log((b + 1) / (totals.bcs + vocab.length));
    entries.set(g, Math.round(llr * 1000) / 1000);
  }
  const known = (m: Map<string, number>) =>
    new Set(
      [...m]
        .filter(([, c]) => c >= 2)
        .map(([w]) => wordHash(w))
        .sort((a, b) => a - b),
    );
  return new TrigramTable(entries, { en: known(wordCounts.en), bcs: known(wordCounts.bcs) });
}

export const serializeTrigrams = (t: TrigramTable): string =>
  `${JSON.stringify({ kind: 'language-trigrams', llr: Object.fromEntries(t.entries), words: { en: packHashes(t.words.en), bcs: packHashes(t.words.bcs) } })}\n`;

const packHashes = (s: ReadonlySet<number>) => Buffer.from(Uint32Array.from(s).buffer).toString('base64');
function unpackHashes(b64: string): Set<number> {
  const raw = Buffer.from(b64, 'base64');
  const out = new Uint32Array(raw.byteLength / 4);
  new Uint8Array(out.buffer).set(raw);
  return new Set(out);
}

export function loadTrigrams(path: string | URL): TrigramTable | undefined {
  if (!existsSync(path)) return undefined;
  const file = JSON.parse(readFileSync(path, 'utf8')) as { llr: Record<string, number>; words: { en: string; bcs: string } };
  return new TrigramTable(new Map(Object.entries(file.llr)), { en: unpackHashes(file.words.en), bcs: unpackHashes(file.words.bcs) });
}
