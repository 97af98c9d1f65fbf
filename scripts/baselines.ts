import { createRequire } from 'node:module';

/** The stock analyzers odziv is compared with: natural's SentimentAnalyzer (AFINN) and VADER. */
const require = createRequire(import.meta.url);

interface NaturalLib {
  SentimentAnalyzer: new (lang: string, stemmer: unknown, vocabulary: string) => { getSentiment(words: string[]): number };
  PorterStemmer: unknown;
  WordTokenizer: new () => { tokenize(text: string): string[] };
}

const natural = require('natural') as NaturalLib;
const stock = new natural.SentimentAnalyzer('English', natural.PorterStemmer, 'afinn');
const tokenizer = new natural.WordTokenizer();

/** natural's stock score (tokenize + AFINN): negative below 0. */
export const naturalScore = (text: string): number => stock.getSentiment(tokenizer.tokenize(text));

/** VADER's compound score: negative at or below −0.05 (its authors' threshold). */
export function vaderCompound(text: string): number {
  const vader = require('vader-sentiment') as { SentimentIntensityAnalyzer: { polarity_scores(t: string): { compound: number } } };
  return vader.SentimentIntensityAnalyzer.polarity_scores(text).compound;
}
