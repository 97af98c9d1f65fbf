import { createRequire } from 'node:module';
import { stemmer as serbianStemmer } from '@orama/stemmers/serbian';
import { normalize } from './normalize.ts';

// natural's own typings pull its .ts sources into our compile, so its public entry is typed here.
// Its storage modules call dotenv on import: package.json overrides dotenv with vendor/dotenv-off,
// so importing natural reads no ./.env and prints nothing.
const natural = createRequire(import.meta.url)('natural') as { PorterStemmer: { stem(word: string): string } };
const porter = natural.PorterStemmer;

const CACHE_LIMIT = 100_000;
/** No language has words this long; the Porter stemmer takes quadratic time on them ("httphttp…": 15 s for 100k characters). */
const LONGEST_WORD = 64;

function cached(fn: (w: string) => string): (w: string) => string {
  const cache = new Map<string, string>();
  return (w) => {
    if (w.length > LONGEST_WORD) return w;
    let s = cache.get(w);
    if (s === undefined) {
      s = fn(w);
      if (w.length > 40) return s; // no room in the cache for hostile made-up words
      if (cache.size >= CACHE_LIMIT) cache.clear();
      cache.set(w, s);
    }
    return s;
  };
}

/**
 * Croatian/Serbian/Bosnian stem of a folded word (Snowball Serbian, which also covers Croatian
 * and Bosnian inflection). Input is already folded, so "čekam" and "cekam" stem alike.
 */
export const bcsStem = cached((w) => (w.length <= 3 ? w : serbianStemmer(w)));

/** English stem (Porter). */
export const enStem = cached((w) => (w.length <= 2 ? w : porter.stem(w)));

/** The key a lexicon entry is matched by: its first word normalized as a post's word would be, then stemmed. */
export function lexiconKey(stem: (w: string) => string, word: string): string {
  return stem(normalize(word).tokens[0]?.norm ?? word);
}
