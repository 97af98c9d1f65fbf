/** The features the trained models see, and their names as a person reads them. */
import { addCharNgrams, addFeature, combineHashes, emptyFeatures, type Features } from './model.ts';
import type { Reading } from './reading.ts';
import { VOCABS } from './vocabulary.ts';

/**
 * The features the trained models read (hashed names, so the models need no vocabulary file):
 * stems with their negation scope, stem bigrams, character 4-grams for BCS morphology, emoji,
 * lexicon scores, categories and a few shape signals. Word features are scaled by 1/√n.
 */
export function featurize(r: Reading, pNeg?: number): Features {
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
      if (pol) pol < 0 ? (csl.neg += -pol) : (csl.pos += pol);
      const a = info.afinn;
      // Under negation ("nije loše") a word counts for the other side.
      if (a) a < 0 !== negated ? (afinn.neg += Math.abs(a)) : (afinn.pos += Math.abs(a));
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
export const FEATURE_LABELS: Record<string, string> = {
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

export function explainFeature(name: string): string {
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
