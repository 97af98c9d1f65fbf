import { aroundThreshold, complaintFromSignals, complaintScore, loadedModels, negativity } from './decide.ts';
import { explainFeature, featurize } from './features.ts';
import { LANGUAGES, type Language, type LanguageFamily } from './language.ts';
import { CATEGORIES, type Category } from './lexicon/categories.ts';
import { onlyFunctionWords } from './lexicon/function-words.ts';
import { addFeature, type Features, probability, topContributions } from './model.ts';
import { type Normalized, normalize } from './normalize.ts';
import { type AnalysisContext, read, round } from './reading.ts';
import { readTokens } from './scoring.ts';
import { BCS_VOCAB, COMPLAINT_CATEGORIES, EN_VOCAB, RESOLVED, SEVERE } from './vocabulary.ts';

export { cyrillicToLatin, cyrillicToLatinMapped, fold, hasCyrillic, latinToCyrillic } from './normalize.ts';
export { CATEGORIES, type Category, LANGUAGES, type Language, normalize };

export const ANALYZER_VERSION = 'odziv-analyzer/0.7';

export interface Analysis {
  language: Language;
  languageConfidence: number;
  /** With `language` "other": the language it is written in, one odziv does not read ("sl", "mk", "de"…). */
  languageGuess?: string;
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
  // A language odziv does not read is stored and findable, and flagged only by rules that ask for it.
  if (lang.neighbour) {
    return {
      language: 'other',
      languageConfidence: round(lang.confidence, 2),
      languageGuess: lang.neighbour,
      sentiment: 0,
      negative: false,
      complaint: 0,
      isComplaint: false,
      isQuestion: r.question,
      categories: r.question ? ['question'] : [],
      evidence,
      family: 'other',
      stems: { en: [], bcs: [] },
      normalized: n,
    };
  }
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
  return {
    language: d.language,
    languageConfidence: d.languageConfidence,
    ...(d.languageGuess ? { languageGuess: d.languageGuess } : {}),
    sentiment: d.sentiment,
    negative: d.negative,
    complaint: d.complaint,
    isComplaint: d.isComplaint,
    isQuestion: d.isQuestion,
    categories: d.categories,
    evidence: d.evidence,
  };
}
