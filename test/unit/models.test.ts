import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIMS, loadModel, serializeModel } from '../../rules/analyze/model.ts';
import { analyze, latinToCyrillic } from '../../rules/index.ts';
import { DATA_DIR, readSet, score } from '../../scripts/eval-data.ts';

const haveData = existsSync(join(DATA_DIR, 'en-airline', 'train.jsonl'));

describe('scoring', () => {
  it('computes precision, recall, F1 of the class and macro-F1', () => {
    const s = score([true, true, false, false], [true, false, true, false]);
    expect(s).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5, macroF1: 0.5, accuracy: 0.5 });
    expect(score([true, false], [true, false]).macroF1).toBe(1);
  });
});

describe('model files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'odziv-model-file-'));
  const save = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('keeps only the learned weights, and loads them back in their slots (gaps of every width)', () => {
    const weights = new Float32Array(DIMS);
    for (const [slot, w] of [
      [0, 1.5],
      [1, -0.25],
      [200, 0.125],
      [70_000, -1.5],
      [DIMS - 1, 0.75],
    ] as const)
      weights[slot] = w;
    const text = serializeModel({ name: 't', weights, bias: -0.5, threshold: 0.4, meta: { note: 'x' } });
    expect(text.length).toBeLessThan(1000);
    const m = loadModel(save('ok.json', text));
    expect([m.bias, m.threshold, m.meta]).toEqual([-0.5, 0.4, { note: 'x' }]);
    const read = (slot: number) => m.weights[slot]! * m.scale!;
    for (const [slot, w] of [
      [0, 1.5],
      [1, -0.25],
      [200, 0.125],
      [70_000, -1.5],
      [DIMS - 1, 0.75],
      [2, 0],
      [DIMS - 2, 0],
    ] as const)
      expect(read(slot)).toBeCloseTo(w, 3);
  });

  it('names what is wrong with a model file from another layout or cut short', () => {
    const weights = new Float32Array(DIMS);
    weights[5] = 1;
    weights[300] = -1;
    const good = JSON.parse(serializeModel({ name: 't', weights, bias: 0, threshold: 0.5, meta: {} }));
    expect(() => loadModel(save('dense.json', JSON.stringify({ ...good, slots: undefined })))).toThrow(/older layout.*npm run train/);
    expect(() => loadModel(save('dims.json', JSON.stringify({ ...good, dims: 1024 })))).toThrow(/1024 dimensions/);
    expect(() => loadModel(save('short.json', JSON.stringify({ ...good, slots: Buffer.from([5]).toString('base64') })))).toThrow(/slot list ends early/);
    expect(() => loadModel(save('far.json', JSON.stringify({ ...good, slots: Buffer.from([0xff, 0xff, 0xff, 0x7f, 1]).toString('base64') })))).toThrow(
      /outside/,
    );
  });
});

// The labelled sets live in ../shared/data beside the repository (CI has them).
describe.runIf(haveData)('trained models', () => {
  // Training touches no database: CI checks it on its embedded-database pass only, once per run.
  it.skipIf(!!process.env.TEST_DATABASE_URL)(
    'npm run train reproduces the committed model files byte for byte',
    () => {
      const out = mkdtempSync(join(tmpdir(), 'odziv-models-'));
      const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/train.ts'], { env: { ...process.env, ODZIV_MODELS_OUT: out }, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      const committed = readdirSync('rules/analyze/models').sort();
      expect(readdirSync(out).sort()).toEqual(committed);
      for (const f of committed) expect(readFileSync(join(out, f), 'utf8'), f).toBe(readFileSync(join('rules/analyze/models', f), 'utf8'));
    },
    900_000,
  );

  // A regression guard, not the report (npm run eval is): floors a little under today's dev scores.
  it.each([
    ['en-complaints', 'complaint', 0.79],
    ['en-airline', 'negative', 0.86],
    ['hr-tweets', 'negative', 0.72],
    ['sr-tweets', 'negative', 0.87],
    ['bs-tweets', 'negative', 0.77],
  ] as const)('%s dev: %s quality stays above its floor', (set, measure, floor) => {
    const rows = readSet(set, 'dev');
    const pred = rows.map((r) => (measure === 'complaint' ? analyze(r.text).isComplaint : analyze(r.text).negative));
    const s = score(
      rows.map((r) => r.y),
      pred,
    );
    expect(measure === 'complaint' ? s.macroF1 : s.f1).toBeGreaterThanOrEqual(floor);
  });

  it('gives every BCS dev text and its Cyrillic transliteration the same decisions', () => {
    for (const set of ['hr-tweets', 'sr-tweets', 'bs-tweets'] as const) {
      for (const r of readSet(set, 'dev')) {
        const a = analyze(r.text);
        const b = analyze(latinToCyrillic(r.text));
        expect([b.negative, b.isComplaint, b.categories], r.id).toEqual([a.negative, a.isComplaint, a.categories]);
      }
    }
  });
});
