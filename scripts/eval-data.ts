import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The labelled sets in ../shared/data (see its README). Only train and dev are available. */
export const SETS = [
  { name: 'en-complaints', label: 'complaint', measure: 'complaint' },
  { name: 'en-airline', label: 'negative', measure: 'negative' },
  { name: 'hr-tweets', label: 'negative', measure: 'negative' },
  { name: 'sr-tweets', label: 'negative', measure: 'negative' },
  { name: 'bs-tweets', label: 'negative', measure: 'negative' },
] as const;
export type SetName = (typeof SETS)[number]['name'];

export interface Row {
  id: string;
  text: string;
  lang: string;
  y: boolean;
  /** en-airline: why a negative post is negative ("Late Flight", "Lost Luggage", …). */
  reason?: string;
}

export const DATA_DIR = process.env.ODZIV_SHARED_DATA ?? join(import.meta.dirname, '..', '..', 'shared', 'data');

export function readSet(name: SetName, split: 'train' | 'dev'): Row[] {
  const set = SETS.find((s) => s.name === name)!;
  const path = join(DATA_DIR, name, `${split}.jsonl`);
  if (!existsSync(path)) throw new Error(`${path} not found: set ODZIV_SHARED_DATA to the folder of the labelled sets`);
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => {
      const r = JSON.parse(l) as Record<string, unknown>;
      return {
        id: String(r.id),
        text: String(r.text),
        lang: String(r.lang),
        y: r[set.label] === true,
        ...(typeof r.reason === 'string' ? { reason: r.reason } : {}),
      };
    });
}

export interface Scores {
  precision: number;
  recall: number;
  f1: number;
  macroF1: number;
  accuracy: number;
}

/** Precision, recall and F1 of the positive class ("negative" or "complaint"), and macro-F1. */
export function score(truth: boolean[], pred: boolean[]): Scores {
  let tp = 0,
    fp = 0,
    fn = 0,
    tn = 0;
  truth.forEach((t, i) => {
    const p = pred[i]!;
    if (t && p) tp++;
    else if (!t && p) fp++;
    else if (t && !p) fn++;
    else tn++;
  });
  const f = (a: number, b: number, c: number) => {
    const pr = a + b ? a / (a + b) : 0;
    const rc = a + c ? a / (a + c) : 0;
    return { pr, rc, f1: pr + rc ? (2 * pr * rc) / (pr + rc) : 0 };
  };
  const pos = f(tp, fp, fn);
  const neg = f(tn, fn, fp);
  return { precision: pos.pr, recall: pos.rc, f1: pos.f1, macroF1: (pos.f1 + neg.f1) / 2, accuracy: (tp + tn) / truth.length };
}

/** A labelled set written for odziv, kept in the project (rules/analyze/labelled/<name>/), split like the shared sets. */
function readOwn(name: string, split: 'train' | 'dev'): Array<{ id: string; text: string; lang: string; complaint: boolean }> {
  return readFileSync(join(import.meta.dirname, '..', 'rules', 'analyze', 'labelled', name, `${split}.jsonl`), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { id: string; text: string; lang: string; complaint: boolean });
}

/** Posts in eight neighbouring languages (sl, mk, ru, bg, cs, pl, de, it), complaints among them. */
export const readNeighbours = (split: 'train' | 'dev') => readOwn('neighbours', split);
/** Comment-style customer-care posts in hr, sr (both scripts) and bs, with the hard cases (sarcasm, dates, roles, news). */
export const readCare = (split: 'train' | 'dev') => readOwn('care', split);
