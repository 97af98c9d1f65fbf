/**
 * The backtest's thread: analysis and both rule sets for each page of posts the main thread
 * reads, so a long or heavy backtest never holds up the API, the inbox or the pollers.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { analyzeDetailed, compilePack, evaluate, type Outcome, type PostFacts } from '../../rules/index.ts';
import type { PackDefinition, PageItem, Verdict } from './thread.ts';

const { live, candidate } = workerData as { live: PackDefinition[]; candidate: PackDefinition[] };
const compiled = (packs: PackDefinition[]) => packs.map((p) => compilePack(p.definition, p.file));
const livePacks = compiled(live);
const candidatePacks = compiled(candidate);

const verdict = (o: Outcome): Verdict => ({
  ignored: o.ignored,
  flags: o.flags.map((f) => ({ pack: f.pack, ruleId: f.ruleId })),
  category: o.category ?? null,
});

parentPort!.on('message', (items: PageItem[]) => {
  const out = items.map(({ text, facts }) => {
    const detail = analyzeDetailed(text, { toBrand: true });
    return { now: verdict(evaluate(livePacks, detail, facts as PostFacts)), candidate: verdict(evaluate(candidatePacks, detail, facts as PostFacts)) };
  });
  parentPort!.postMessage(out);
});
parentPort!.postMessage('ready');
