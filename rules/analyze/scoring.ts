/** Reading a post's tokens against a vocabulary: sentiment, emoji and emoticons, categories, with the words behind each as evidence. */

import type { Category } from './lexicon/categories.ts';
import type { Compiled, PhraseLexicon } from './lexicon/compile.ts';
import { EMOJI_SENTIMENT, EMOTICON_SENTIMENT } from './lexicon/emoji.ts';
import { type Normalized, squeezeHard, type Token } from './normalize.ts';

import type { Vocabulary, WordInfo } from './vocabulary.ts';

export interface Hit {
  start: number;
  end: number;
  compiled: Compiled<number>;
}

/** A post's words under one vocabulary: their stems (what rules match) and what is known of each. */
export interface VocabReading {
  keys: string[];
  /** Undefined for tokens that are not words. */
  infos: Array<WordInfo | undefined>;
}

export function readTokens(tokens: Token[], vocab: Vocabulary): VocabReading {
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

export function display(tokens: Token[], start: number, end: number): string {
  return tokens
    .slice(start, end)
    .map((t) => t.display)
    .join(' ');
}

/** Lexicon sentiment with negation scope, intensifiers, contrast and shouting. */
export function scoreSentiment(tokens: Token[], { keys, infos }: VocabReading, vocab: Vocabulary, evidence: Record<string, string[]>): number {
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
export const emojiKey = (e: string) => e.replace(/\uFE0F|[\u{1F3FB}-\u{1F3FF}]|\u200D[\u2640\u2642]/gu, '');

/** Emoji and emoticons: language-independent signals. */
export function scoreSymbols(tokens: Token[], evidence: Record<string, string[]>): number {
  let sum = 0;
  for (const t of tokens) {
    const w = t.kind === 'emoji' ? EMOJI_SENTIMENT[emojiKey(t.norm)] : t.kind === 'emoticon' ? EMOTICON_SENTIMENT[t.norm] : undefined;
    if (w) {
      sum += w;
      (w < 0 ? (evidence.negative ??= []) : (evidence.positive ??= [])).push(t.display);
    }
  }
  return sum;
}

export function matchCategories(tokens: Token[], { keys, infos }: VocabReading, vocab: Vocabulary, evidence: Record<string, string[]>): Set<Category> {
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
export function opener(n: Normalized, keys: string[], lexicon: PhraseLexicon<true>): string | undefined {
  const first = n.tokens.findIndex((t) => t.kind === 'word');
  const m = first >= 0 ? lexicon.matchAt(keys, first) : undefined;
  return m ? display(n.tokens, first, first + m.keys.length) : undefined;
}
