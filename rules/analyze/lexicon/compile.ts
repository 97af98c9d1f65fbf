import { normalize } from '../normalize.ts';

/** A lexicon entry reduced to the keys it matches: one key per word (a stem). */
export interface Compiled<T> {
  keys: string[];
  term: string;
  value: T;
}

/** Phrase lexicon indexed by its first key; longer phrases are tried first. */
export class PhraseLexicon<T> {
  private readonly byFirst = new Map<string, Compiled<T>[]>();
  readonly size: number;

  constructor(entries: Array<[string, T]>, stem: (norm: string) => string) {
    let size = 0;
    for (const [term, value] of entries) {
      const keys = normalize(term)
        .tokens.filter((t) => t.kind === 'word' || t.kind === 'number')
        .map((t) => stem(t.norm));
      if (keys.length === 0) continue;
      const list = this.byFirst.get(keys[0]!) ?? [];
      // Same phrase twice: the later entry wins (lets curated lists override derived ones).
      const same = list.findIndex((c) => c.keys.join(' ') === keys.join(' '));
      if (same >= 0) list.splice(same, 1);
      else size++;
      list.push({ keys, term, value });
      list.sort((a, b) => b.keys.length - a.keys.length);
      this.byFirst.set(keys[0]!, list);
    }
    this.size = size;
  }

  /** The longest entry that starts at `i` in `keys`, or undefined. */
  matchAt(keys: readonly string[], i: number): Compiled<T> | undefined {
    const list = this.byFirst.get(keys[i]!);
    if (!list) return undefined;
    outer: for (const c of list) {
      if (i + c.keys.length > keys.length) continue;
      for (let k = 1; k < c.keys.length; k++) if (keys[i + k] !== c.keys[k]) continue outer;
      return c;
    }
    return undefined;
  }

  has(key: string): boolean {
    return this.byFirst.has(key);
  }
}
