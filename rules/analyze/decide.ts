/** The trained models and how their probabilities, with the lexicon signals, become the negative and complaint decisions. */
import { existsSync } from 'node:fs';
import type { Category } from './lexicon/categories.ts';
import { type Features, type LogisticModel, loadModel, probability, sigmoid } from './model.ts';
import { type Reading, round } from './reading.ts';
import { SEVERE } from './vocabulary.ts';

/** The trained models, loaded on first use; absent (before the first `npm run train`) means lexicon only. */
export const MODEL_FILES = { sentimentEn: 'sentiment-en.json', sentimentBcs: 'sentiment-bcs.json', complaintEn: 'complaint-en.json' } as const;
export type Models = Partial<Record<keyof typeof MODEL_FILES, LogisticModel>>;
let models: Models | undefined;
export function loadedModels(): Models {
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
export function negativity(r: Reading, f: Features): { p: number; threshold: number; model?: LogisticModel } {
  const m = loadedModels();
  // Only the family's model is computed (the hot path); undetermined posts hear both.
  const read = (model?: LogisticModel) =>
    model ? { p: probability(model, f), threshold: model.threshold, model } : { p: sigmoid(-(r.lexicon + r.symbols) * 0.9 - 0.6), threshold: 0.5 };
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
export function complaintFromSignals(r: Reading, neg: { p: number; threshold: number }, kept: Category[], sentiment: number): number {
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
export function aroundThreshold(p: number, t: number): number {
  return p < t ? (0.5 * p) / t : 0.5 + (0.5 * (p - t)) / (1 - t);
}

/** The complaint score as reported: rounded on the right side of 0.5, so `complaint >= 0.5` and `isComplaint` never disagree. */
export function complaintScore(p: number, t: number): number {
  const x = round(aroundThreshold(p, t));
  return p < t ? Math.min(0.499, x) : Math.max(0.5, x);
}
