import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pino from 'pino';
import { type AdapterSet, createAdapters } from '../../adapters/registry.ts';
import type { PlatformAdapter } from '../../adapters/types.ts';
import { type Role, streams } from '../../db/schema/index.ts';
import { createApp } from '../../src/api/app.ts';
import { type AuthUser, createToken, createUser } from '../../src/auth/users.ts';
import { loadConfig } from '../../src/config.ts';
import type { Deps } from '../../src/deps.ts';
import { type PollerDeps, pollDueStreams } from '../../src/ingest/poller.ts';
import { deliverDueReplies } from '../../src/queue/replies.ts';
import { loadTemplates } from '../../src/queue/templates.ts';
import { Rulebook } from '../../src/rulebook.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';

export const silentLog = pino({ level: 'silent' });

export interface Harness {
  deps: Deps;
  tdb: TestDatabase;
  app: ReturnType<typeof createApp>;
  dataDir: string;
  /** Calls the API in-process, like a client would. */
  request(method: string, path: string, opts?: { token?: string; json?: unknown; body?: string; headers?: Record<string, string> }): Promise<Response>;
  user(role: Role, name?: string): Promise<AuthUser & { token: string }>;
  poller(): PollerDeps;
  pollOnce(): Promise<void>;
  deliver(): Promise<number>;
  /** Empties every table and adds the demo replay stream again. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

let userSeq = 0;

/** Everything odziv wires together, on a test database, with adapters that can be swapped. */
export async function createHarness(
  opts: { adapters?: (dataDir: string) => AdapterSet; replaySpeed?: number; streamConfig?: Record<string, unknown> } = {},
): Promise<Harness> {
  const tdb = await createTestDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'odziv-test-'));
  const config = loadConfig({ ODZIV_DATA_DIR: dataDir });
  const rulebook = new Rulebook(resolve('rules/packs'), silentLog);
  await rulebook.load();
  const adapters = opts.adapters?.(dataDir) ?? (await createAdapters({ dataDir, replaySpeed: opts.replaySpeed ?? 1000 }));
  const deps: Deps = { config, database: tdb.database, adapters, rulebook, templates: loadTemplates('rules/templates.yaml'), log: silentLog };
  const app = createApp(deps);
  const addStream = () =>
    tdb.database.db
      .insert(streams)
      .values({ platform: 'replay', name: 'demo', config: opts.streamConfig ?? {} })
      .onConflictDoNothing();
  await addStream();
  const poller = (): PollerDeps => ({ database: tdb.database, adapters, rulebook, log: silentLog, instanceId: 'test', intervalMs: 0 });
  return {
    deps,
    tdb,
    app,
    dataDir,
    async request(method, path, o = {}) {
      const headers: Record<string, string> = { ...(o.headers ?? {}) };
      if (o.token) headers.authorization = `Bearer ${o.token}`;
      let body = o.body;
      if (o.json !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(o.json);
      } else if (body !== undefined) headers['content-type'] ??= 'application/json';
      return app.request(path, { method, headers, body });
    },
    async user(role, name) {
      const u = await createUser(
        tdb.database,
        { email: `u${++userSeq}-${role}@test.local`, name: name ?? `${role} ${userSeq}`, role, password: 'correct horse battery staple' },
        'operator',
      );
      const { token } = await createToken(tdb.database, u.id, 'test');
      return { ...u, token };
    },
    poller,
    pollOnce: () => pollDueStreams(poller(), new Date(Date.now() + 60_000)),
    deliver: () => deliverDueReplies(tdb.database, adapters, silentLog, { now: new Date(Date.now() + 1) }),
    async reset() {
      await tdb.truncate();
      await addStream();
    },
    async close() {
      await Promise.all(Object.values(adapters).map((a: PlatformAdapter | undefined) => a?.close?.()));
      await tdb.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
