import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { createTestDatabase, type TestDatabase } from './db.ts';
import { freePort, type Running, startOdziv, waitFor } from './process.ts';

export const ADMIN_PASSWORD = 'e2e-admin-password-1234';

/**
 * What an e2e test file needs to run odziv as a process against a fake platform: a data folder
 * (and a database of its own on PostgreSQL when TEST_DATABASE_URL is set), removed afterwards, and
 * a started process stopped. `platformEnv` gives the platform's variables once its fake listens.
 */
export function useOdzivProcess(name: string, platformEnv: () => Record<string, string>) {
  const f = {
    dataDir: '',
    tdb: undefined as TestDatabase | undefined,
    running: undefined as Running | undefined,
    env(port: number, over: Record<string, string> = {}): Record<string, string> {
      return {
        PORT: String(port),
        HOST: '127.0.0.1',
        ODZIV_DATA_DIR: f.dataDir,
        ODZIV_ADMIN_PASSWORD: ADMIN_PASSWORD,
        ODZIV_POLL_CRON: '* * * * * *',
        ...platformEnv(),
        ...(f.tdb?.url ? { DATABASE_URL: f.tdb.url } : {}),
        ...over,
      };
    },
    /** Starts odziv, waits until it answers, and signs in as the admin. */
    async start(over: Record<string, string> = {}): Promise<{ base: string; headers: Record<string, string> }> {
      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      f.running = startOdziv(f.env(port, over));
      await waitFor('health', async () => ((await fetch(`${base}/health`)).ok ? true : undefined), 30_000);
      const res = await fetch(`${base}/api/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'admin@odziv.local', password: ADMIN_PASSWORD }),
      });
      const { token } = (await res.json()) as { token: string };
      return { base, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } };
    },
    async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
      f.running?.child.kill(signal);
      await f.running?.exited;
    },
  };
  beforeAll(async () => {
    f.dataDir = mkdtempSync(join(tmpdir(), `odziv-e2e-${name}-`));
    if (process.env.TEST_DATABASE_URL) f.tdb = await createTestDatabase();
  });
  afterAll(async () => {
    f.running?.child.kill('SIGKILL');
    await f.tdb?.drop();
    rmSync(f.dataDir, { recursive: true, force: true });
  });
  return f;
}
