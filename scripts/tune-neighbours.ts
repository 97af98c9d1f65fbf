/**
 * Chooses the neighbour gate's settings (rules/analyze/neighbours.ts) on train sets only: the
 * neighbour posts written for odziv (rules/analyze/labelled/neighbours/train.jsonl) must come out
 * "other", and the BCS and English train sets must not (a post wrongly set aside loses its reading).
 */
import { NEIGHBOUR_TUNING } from '../rules/analyze/neighbours.ts';
import { analyze, latinToCyrillic } from '../rules/index.ts';
import { readNeighbours, readSet, SETS } from './eval-data.ts';

const neighbours = readNeighbours('train');
const served: Array<{ name: string; texts: string[] }> = SETS.map((s) => ({ name: s.name, texts: readSet(s.name, 'train').map((r) => r.text) }));
// Serbian is written in both scripts: every BCS post in Cyrillic must stay BCS, as in Latin.
served.push({ name: 'BCS in Cyrillic', texts: served.filter((s) => !s.name.startsWith('en-')).flatMap((s) => s.texts.map(latinToCyrillic)) });
const other = (texts: string[]) => texts.filter((t) => analyze(t).language === 'other' && analyze(t).languageGuess).length / texts.length;

const rows: Array<{ setting: string; neighbours: number; worst: number; line: string }> = [];
for (const slavicEvidence of [1, 2])
  for (const slavicMargin of [0, 0.03])
    for (const farMargin of [0.06])
      for (const mkEvidence of [1, 2]) {
        Object.assign(NEIGHBOUR_TUNING, { slavicEvidence, slavicMargin, farMargin, mkEvidence });
        const n = other(neighbours.map((r) => r.text));
        const wrong = served.map((s) => ({ name: s.name, share: other(s.texts) }));
        rows.push({
          setting: `slavicEvidence ${slavicEvidence}, slavicMargin ${slavicMargin}, farMargin ${farMargin}, mkEvidence ${mkEvidence}`,
          neighbours: n,
          worst: Math.max(...wrong.map((w) => w.share)),
          line: wrong.map((w) => `${w.name} ${(100 * w.share).toFixed(2)}%`).join(', '),
        });
      }
// The most neighbours set aside while no served set loses more than 0.5 % of its posts.
rows.sort((a, b) => Number(b.worst <= 0.005) - Number(a.worst <= 0.005) || b.neighbours - a.neighbours || a.worst - b.worst);
for (const r of rows.slice(0, 8)) console.log(`${r.setting}: neighbours ${(100 * r.neighbours).toFixed(1)}% other; set aside wrongly: ${r.line}`);
