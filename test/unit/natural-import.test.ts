import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

describe('natural through its public entry', () => {
  it('stems English, and importing it neither reads ./.env nor prints anything', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'odziv-dotenv-'));
    try {
      writeFileSync(join(dir, '.env'), 'ODZIV_FROM_DOTENV=leaked\nDATABASE_URL=postgres://nobody@127.0.0.1:1/x\n');
      const stem = resolve('rules/analyze/stem.ts');
      const script = `const m = await import(${JSON.stringify(stem)}); process.stderr.write(JSON.stringify([m.enStem('waiting'), process.env.ODZIV_FROM_DOTENV ?? null, process.env.DATABASE_URL ?? null]));`;
      const env = { PATH: process.env.PATH, HOME: process.env.HOME };
      const { stdout, stderr } = await run(
        process.execPath,
        ['--import', resolve('node_modules/tsx/dist/esm/index.mjs'), '--input-type=module', '-e', script],
        { cwd: dir, env, timeout: 120_000 },
      );
      expect(stdout).toBe('');
      expect(JSON.parse(stderr)).toEqual(['wait', null, null]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
