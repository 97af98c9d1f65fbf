/** One reading of a post: normalized, its language guessed, read with the vocabularies that language calls for. */
import { detectLanguage, type LanguageGuess } from './language.ts';
import type { Category } from './lexicon/categories.ts';
import { SARCASM_EMOJI } from './lexicon/emoji.ts';
import { neighbourLanguage } from './neighbours.ts';
import { type Normalized, normalize } from './normalize.ts';
import { emojiKey, matchCategories, opener, readTokens, scoreSentiment, scoreSymbols, type VocabReading } from './scoring.ts';
import { EN_VOCAB, VOCABS } from './vocabulary.ts';

export const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;

/** What the lexicons read in a post, before any model: the input of the features and of the rules. */
export interface Reading {
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
export const CARE_HANDLE = /^ask|help|support|care|service|pomoc|podrska|servis/i;

export function read(text: string, ctx: AnalysisContext = {}): Reading {
  const n = normalize(text);
  const neighbour = neighbourLanguage(text, n);
  const lang: LanguageGuess = neighbour
    ? { language: 'other', confidence: neighbour.confidence, family: 'other', neighbour: neighbour.language }
    : detectLanguage(n);
  const r = readAs(n, lang, ctx);
  if (lang.family !== 'other' || neighbour) return r;
  // Too short for function words or trigrams to tell ("Otkazujem pretplatu", "Prevara!"): when only
  // one family's care and sentiment words know the post, it is read in that family, at low confidence.
  const [only, ...more] = (['en', 'bcs'] as const).filter((f) => r.known[f]);
  if (!only || more.length) return r;
  return readAs(n, { language: n.hasCyrillic ? 'sr' : only === 'en' ? 'en' : 'bcs-family', confidence: 0.4, family: only }, ctx);
}

export function readAs(n: Normalized, lang: LanguageGuess, ctx: AnalysisContext): Reading {
  const evidence: Record<string, string[]> = {};
  // A neighbour's words get no BCS or English reading, and its emoji no sentiment of their own.
  const symbols = lang.neighbour ? 0 : scoreSymbols(n.tokens, evidence);
  let lexicon = 0;
  const categories = new Set<Category>();
  let question = false;
  let request = false;
  const words: Reading['words'] = {};
  const known = { en: false, bcs: false };
  for (const vocab of lang.neighbour ? [] : VOCABS[lang.family]) {
    const reading = readTokens(n.tokens, vocab);
    const family = vocab === EN_VOCAB ? 'en' : 'bcs';
    words[family] = reading;
    const score = scoreSentiment(n.tokens, reading, vocab, evidence);
    lexicon += score;
    const matched = matchCategories(n.tokens, reading, vocab, evidence);
    if (matched.has('safety') && reading.keys.some((_, i) => vocab.allClear.matchAt(reading.keys, i))) {
      matched.delete('safety');
      delete evidence.safety;
    }
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
