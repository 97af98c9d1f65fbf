import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { count } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client.ts';
import { DataDirLockedError, lockDataDir } from '../../db/data-dir-lock.ts';
import { streams } from '../../db/schema/index.ts';

/** The pid of a process that has already exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

describe('the data-folder lock: one process at a time on the embedded database', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'odziv-lock-'));
    file = join(dir, 'pglite.lock');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a second holder while the first lives, naming the owner and the way out, and is free again once released', () => {
    const release = lockDataDir(file);
    let err: unknown;
    try {
      lockDataDir(file);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DataDirLockedError);
    expect((err as Error).message).toContain(`pid ${process.pid}`);
    expect((err as Error).message).toContain('DATABASE_URL');
    expect((err as Error).message).toContain(file);
    release();
    expect(existsSync(file)).toBe(false);
    lockDataDir(file)();
  });

  it('takes over at once a lock whose owner died, a reused pid, and a file of junk', () => {
    writeFileSync(file, JSON.stringify({ pid: deadPid(), since: '2026-01-01T00:00:00Z' }));
    const release = lockDataDir(file);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ pid: process.pid });
    release();

    if (existsSync('/proc/self/stat')) {
      // Our own pid, but a process that started at another time: the pid was reused.
      writeFileSync(file, JSON.stringify({ pid: process.pid, startTicks: '1', since: '2026-01-01T00:00:00Z' }));
      lockDataDir(file)();
    }

    writeFileSync(file, '{"pid":');
    lockDataDir(file)();
    expect(existsSync(file)).toBe(false);
  });

  it("keeps a second PGlite off the same folder (it would silently overwrite the first one's writes)", async () => {
    const first = await openDatabase({ dataDir: dir });
    try {
      await expect(openDatabase({ dataDir: dir })).rejects.toThrow(DataDirLockedError);
      await first.db.insert(streams).values({ platform: 'replay', name: 'kept', config: {} });
    } finally {
      await first.close();
    }
    const again = await openDatabase({ dataDir: dir });
    try {
      expect(Number((await again.db.select({ n: count() }).from(streams))[0]!.n)).toBe(1);
    } finally {
      await again.close();
    }
  }, 300_000);
});
