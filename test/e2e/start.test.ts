import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { count } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SAMPLE, loadSample } from '../../adapters/replay/sample.ts';
import { type Database, openDatabase } from '../../db/client.ts';
import { posts } from '../../db/schema/index.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { freePort, type Running, startOdziv, waitFor } from '../helpers/process.ts';

const PASSWORD = 'e2e-admin-password-1234';
const SAMPLE = loadSample(DEFAULT_SAMPLE);

describe('odziv as a process: start, serve, survive SIGKILL, stop cleanly', () => {
  let dataDir: string;
  let tdb: TestDatabase | undefined;
  let running: Running | undefined;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'odziv-e2e-'));
    if (process.env.TEST_DATABASE_URL) tdb = await createTestDatabase();
  });
  // Whatever a test left running is stopped before the next starts on the same data folder.
  afterEach(async () => {
    if (running && running.child.exitCode === null && running.child.signalCode === null) {
      running.child.kill('SIGKILL');
      await running.exited;
    }
  });
  afterAll(async () => {
    running?.child.kill('SIGKILL');
    await tdb?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const env = (port: number, speed: string) => ({
    PORT: String(port),
    HOST: '127.0.0.1',
    ODZIV_DATA_DIR: dataDir,
    ODZIV_ADMIN_PASSWORD: PASSWORD,
    ODZIV_REPLAY_SPEED: speed,
    ODZIV_POLL_CRON: '* * * * * *',
    ...(tdb?.url ? { DATABASE_URL: tdb.url } : {}),
  });

  async function token(base: string): Promise<string> {
    const res = await fetch(`${base}/api/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@odziv.local', password: PASSWORD }),
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { token: string }).token;
  }

  async function storedPosts(): Promise<number> {
    if (tdb) return Number((await tdb.database.db.select({ n: count() }).from(posts))[0]!.n);
    // PGlite allows one process at a time: read its files only while odziv is stopped.
    const db: Database = await openDatabase({ dataDir });
    try {
      return Number((await db.db.select({ n: count() }).from(posts))[0]!.n);
    } finally {
      await db.close();
    }
  }

  it('lists flagged demo posts in several languages soon after it starts (how soon: bench and docs/performance.md)', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    running = startOdziv(env(port, '1'));
    await waitFor('health', async () => ((await fetch(`${base}/health`)).ok ? true : undefined), 15_000);
    const t = await token(base);
    const langs = await waitFor(
      'flagged posts in several languages',
      async () => {
        const body = (await (await fetch(`${base}/api/cases?status=open&limit=200`, { headers: { authorization: `Bearer ${t}` } })).json()) as {
          cases: Array<{ language: string }>;
        };
        const l = new Set(body.cases.map((c) => c.language));
        return l.size >= 3 ? l : undefined;
      },
      120_000,
    );
    expect(langs.size).toBeGreaterThanOrEqual(3);
    if (!tdb) {
      // A second process on the embedded database would overwrite the first one's writes: refused.
      const cli = spawnSync(process.execPath, ['bin/odziv.js', 'users', 'add', '--email', 'late@odziv.local', '--name', 'Late', '--role', 'responder'], {
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '', ODZIV_DATA_DIR: dataDir },
      });
      expect(cli.status).toBe(1);
      expect(cli.stderr).toContain('in use by another odziv process');
      expect(await waitFor('health after the refused CLI', async () => ((await fetch(`${base}/health`)).ok ? true : undefined), 120_000)).toBe(true);
    }
  });

  it('loses no post and duplicates none when killed with SIGKILL mid-stream and started again', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    // Fast replay: the whole sample in about 20 s.
    running = startOdziv(env(port, '100'));
    await waitFor('health', async () => ((await fetch(`${base}/health`)).ok ? true : undefined), 20_000);
    const t = await token(base);
    await waitFor(
      'a good part of the stream',
      async () => {
        const body = (await (await fetch(`${base}/api/cases?limit=200`, { headers: { authorization: `Bearer ${t}` } })).json()) as { cases: unknown[] };
        return body.cases.length >= 40 ? true : undefined;
      },
      90_000,
    );
    running.child.kill('SIGKILL');
    await running.exited;
    const before = await storedPosts();
    expect(before).toBeGreaterThan(0);
    expect(before).toBeLessThan(SAMPLE.length);

    running = startOdziv(env(port, '100'));
    await waitFor('health after restart', async () => ((await fetch(`${base}/health`)).ok ? true : undefined), 20_000);
    // Wait for the count to reach the sample (a condition, not a sleep: a loaded CI machine replays
    // slower). On PGlite the database is the running process's own, so ask it through the API.
    // Not reaching it is reported below by the count itself, after a clean stop.
    const t2 = await token(base);
    const stored = tdb
      ? storedPosts
      : async () => {
          const body = (await (await fetch(`${base}/api/streams`, { headers: { authorization: `Bearer ${t2}` } })).json()) as {
            streams: Array<{ posts: number }>;
          };
          return body.streams[0]?.posts ?? 0;
        };
    await waitFor('every post', async () => ((await stored()) >= SAMPLE.length ? true : undefined), 120_000, 500).catch(() => undefined);
    running.child.kill('SIGTERM');
    expect(await running.exited).toBe(0);
    expect(running.output()).toContain('"msg":"stopped"');
    expect(existsSync(join(dataDir, 'pglite.lock'))).toBe(false);
    // On a shortfall, the last lines of the restarted process's log say what it was doing.
    expect(await storedPosts(), running.output().split('\n').slice(-15).join('\n')).toBe(SAMPLE.length);
  }, 300_000);

  it('refuses to start with bad configuration, naming the variable, before it opens a database or prints a password', async () => {
    const fresh = mkdtempSync(join(tmpdir(), 'odziv-badconfig-'));
    const r = startOdziv({ PORT: 'eighty', ODZIV_POLL_CRON: 'every minute', ODZIV_DATA_DIR: fresh });
    expect(await r.exited).toBe(2);
    expect(r.output()).toContain('PORT:');
    expect(r.output()).toContain('ODZIV_POLL_CRON: expected a cron expression');
    expect(r.output()).not.toMatch(/password|listening/i);
    expect(readdirSync(fresh)).toEqual([]);
    rmSync(fresh, { recursive: true, force: true });
  });
});
