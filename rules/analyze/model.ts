import { readFileSync } from 'node:fs';

/**
 * Feature space of the trained models: names are hashed (FNV-1a) into this many slots. The BCS
 * training posts hold ~130k distinct features, so one in five shares a slot; 2^20 slots (one in
 * twenty) moved cross-validated F1 by +0.002 and dev F1 by −0.005 to −0.02: no gain to pay for.
 */
export const DIMS = 1 << 18;
const MASK = DIMS - 1;

/** FNV-1a, 32 bit: fast, stable across runs and platforms. */
export function hashFeature(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) & MASK;
}

/** A sparse feature vector: parallel lists of slots and values (a slot may repeat; values add). */
export interface Features {
  idx: number[];
  val: number[];
  /** The feature names, kept so a decision can be explained ('' for character n-grams). */
  names: string[];
}

/** Hash of a pair of features from their hashes (bigrams without building the string). */
export function combineHashes(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ b;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return ((h ^ (h >>> 16)) >>> 0) & MASK;
}

const FNV_C = (() => {
  let h = 0x811c9dc5;
  for (const ch of 'c:') {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193);
  }
  return h;
})();

/**
 * Adds the character n-grams of `padded` as features "c:<gram>", hashing in place instead of
 * building a string per gram (the hot path of the analyzer).
 */
export function addCharNgrams(f: Features, padded: string, n: number, value: number): void {
  for (let c = 0; c + n <= padded.length; c++) {
    let h = FNV_C;
    for (let k = c; k < c + n; k++) {
      h ^= padded.charCodeAt(k);
      h = Math.imul(h, 0x01000193);
    }
    f.idx.push((h >>> 0) & MASK);
    f.val.push(value);
    f.names.push('');
  }
}

export function emptyFeatures(): Features {
  return { idx: [], val: [], names: [] };
}

/** Named features repeat (shapes, categories, emoji): their hashes are kept, up to a bound. */
const hashes = new Map<string, number>();

export function addFeature(f: Features, name: string, value = 1): void {
  let h = hashes.get(name);
  if (h === undefined) {
    h = hashFeature(name);
    if (hashes.size < 10_000) hashes.set(name, h);
  }
  f.idx.push(h);
  f.val.push(value);
  f.names.push(name);
}

/** A fitted logistic regression. */
export interface LogisticModel {
  name: string;
  bias: number;
  /** Float weights while training; the loaded file's int16 values (× scale), half the memory to walk. */
  weights: Float32Array | Int16Array;
  /** What each weight is multiplied by (1 for float weights). */
  scale?: number;
  /** Probability at or above which the class is decided (chosen by cross-validation on train). */
  threshold: number;
  meta: Record<string, unknown>;
}

export function logit(m: LogisticModel, f: Features): number {
  const w = m.weights;
  const idx = f.idx;
  const val = f.val;
  let z = 0;
  for (let i = 0; i < idx.length; i++) z += w[idx[i]!]! * val[i]!;
  return m.bias + z * (m.scale ?? 1);
}

export const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

export function probability(m: LogisticModel, f: Features): number {
  return sigmoid(logit(m, f));
}

/** The named features that pushed hardest towards the class, for evidence (only names `shown` accepts). */
export function topContributions(
  m: LogisticModel,
  f: Features,
  n: number,
  shown: (name: string) => boolean = () => true,
): Array<{ name: string; weight: number }> {
  const top: Array<{ name: string; weight: number }> = [];
  for (let i = 0; i < f.idx.length; i++) {
    const name = f.names[i]!;
    if (!name) continue;
    const weight = m.weights[f.idx[i]!]! * (m.scale ?? 1) * f.val[i]!;
    if (weight <= 0.05 || (top.length === n && weight <= top[n - 1]!.weight) || top.some((t) => t.name === name) || !shown(name)) continue;
    // Kept sorted by insertion (after equal weights): n is tiny, and this runs for every negative post.
    const entry = { name, weight: Math.round(weight * 100) / 100 };
    let at = top.length;
    while (at > 0 && top[at - 1]!.weight < entry.weight) at--;
    top.splice(at, 0, entry);
    if (top.length > n) top.pop();
  }
  return top;
}

interface ModelFile {
  name: string;
  dims: number;
  bias: number;
  threshold: number;
  /** Weights quantized to int16: w = q × scale. */
  scale: number;
  /** The slots whose weight is not zero, ascending, as LEB128 gaps (base64): a model stores only what it learned. */
  slots: string;
  /** Their quantized weights, int16 little-endian (base64). */
  weights: string;
  meta: Record<string, unknown>;
}

export function serializeModel(m: LogisticModel): string {
  let max = 0;
  for (const w of m.weights) max = Math.max(max, Math.abs(w * (m.scale ?? 1)));
  const scale = max / 32767 || 1;
  const gaps: number[] = [];
  const values: number[] = [];
  let last = -1;
  for (let i = 0; i < m.weights.length; i++) {
    const q = Math.round((m.weights[i]! * (m.scale ?? 1)) / scale);
    if (q === 0) continue;
    for (let gap = i - last; ; gap >>>= 7) {
      if (gap < 0x80) {
        gaps.push(gap);
        break;
      }
      gaps.push((gap & 0x7f) | 0x80);
    }
    values.push(q);
    last = i;
  }
  const file: ModelFile = {
    name: m.name,
    dims: m.weights.length,
    bias: m.bias,
    threshold: m.threshold,
    scale,
    slots: Buffer.from(Uint8Array.from(gaps)).toString('base64'),
    weights: Buffer.from(Int16Array.from(values).buffer).toString('base64'),
    meta: m.meta,
  };
  return `${JSON.stringify(file)}\n`;
}

export function loadModel(path: string | URL): LogisticModel {
  const file = JSON.parse(readFileSync(path, 'utf8')) as ModelFile;
  if (file.dims !== DIMS) throw new Error(`${String(path)}: model has ${file.dims} dimensions, the analyzer uses ${DIMS}; run npm run train`);
  if (typeof file.slots !== 'string') throw new Error(`${String(path)}: model file in an older layout (no slot list); run npm run train`);
  const gaps = Buffer.from(file.slots, 'base64');
  const raw = Buffer.from(file.weights, 'base64');
  const weights = new Int16Array(DIMS);
  let slot = -1;
  let at = 0;
  for (let k = 0; k < raw.byteLength / 2; k++) {
    let gap = 0;
    for (let shift = 0; ; shift += 7) {
      const b = gaps[at++];
      if (b === undefined) throw new Error(`${String(path)}: the slot list ends early; run npm run train`);
      gap |= (b & 0x7f) << shift;
      if (b < 0x80) break;
    }
    slot += gap;
    if (slot >= DIMS) throw new Error(`${String(path)}: slot ${slot} is outside the ${DIMS} dimensions; run npm run train`);
    weights[slot] = raw.readInt16LE(2 * k);
  }
  return { name: file.name, bias: file.bias, threshold: file.threshold, weights, scale: file.scale, meta: file.meta };
}
