import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../db/client.ts';
import { replies } from '../../db/schema/index.ts';
import { FakeX } from '../fakes/x-server.ts';
import { createTestDatabase, onPostgres, type TestDatabase } from '../helpers/db.ts';
import { freePort, startOdziv, waitFor, type Running } from '../helpers/process.ts';

/**
 * Reliability loops: odziv is killed (SIGKILL) again and again at random moments while it replies
 * to a fake X that fails in every way X does. Nothing may be posted twice or shown as sent that was
 * not, and the embedded database must always reopen.
 * 20 kills per loop on PostgreSQL, 5 on PGlite (each restart there reopens the data folder).
 */
const KILLS = onPostgres ? 20 : 5;
const SEED = 20261203;
const TOKENS = { X_BEARER_TOKEN: 'AAAAAAAAAAAAAAAAAAAAAreliability', X_APP_KEY: 'rel-app-key', X_APP_SECRET: 'rel-app-secret', X_ACCESS_TOKEN: '1-rel-access', X_ACCESS_SECRET: 'rel-access-secret' };
const PASSWORD = 'reliability-admin-1';

/** A small seeded PRNG (mulberry32): the same kill moments and faults on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('odziv killed at random moments', () => {
  let tdb: TestDatabase | undefined;
  let dataDir = '';
  let x: FakeX | undefined;
  let running: Running | undefined;

  const setUp = async (fake: FakeX) => {
    x = await fake.listen();
    dataDir = mkdtempSync(join(tmpdir(), 'odziv-reliability-'));
    if (onPostgres) tdb = await createTestDatabase();
    x.addUser({ id: '1', username: 'VedraTel', name: 'Vedra', verified: true });
    for (let i = 0; i < 20; i++) x.addUser({ id: String(100 + i), username: `kupac${i}` });
  };
  const env = (port: number): Record<string, string> => ({
    PORT: String(port),
    HOST: '127.0.0.1',
    ODZIV_DATA_DIR: dataDir,
    ODZIV_ADMIN_PASSWORD: PASSWORD,
    ODZIV_POLL_CRON: '* * * * * *',
    ODZIV_OUTBOX_CRON: '* * * * * *',
    X_BRAND_USERNAME: 'VedraTel',
    X_API_BASE_URL: x!.url,
    X_RATE_BUDGET: '100000',
    X_REQUEST_TIMEOUT_MS: '1000',
    ...TOKENS,
    ...(tdb?.url ? { DATABASE_URL: tdb.url } : {}),
  });
  const start = async () => {
    const port = await freePort();
    running = startOdziv(env(port));
    const base = `http://127.0.0.1:${port}`;
    return { base, healthy: () => waitFor('odziv to answer', async () => ((await fetch(`${base}/health`)).ok ? true : undefined), 120_000, 100) };
  };
  const kill = async () => {
    running?.child.kill('SIGKILL');
    await running?.exited;
    running = undefined;
  };
  const token = async (base: string) => {
    const res = await fetch(`${base}/api/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@odziv.local', password: PASSWORD }) });
    return { authorization: `Bearer ${((await res.json()) as { token: string }).token}`, 'content-type': 'application/json' };
  };
  /** The database as odziv left it: the test's PostgreSQL, or the data folder reopened once odziv has stopped. */
  const afterwards = async (): Promise<Database> => (tdb ? tdb.database : openDatabase({ dataDir }));

  afterEach(async () => {
    await kill();
    if (!tdb) return;
    await tdb.drop();
    tdb = undefined;
  });
  afterEach(async () => {
    await x?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });
  afterAll(kill);

  it(`posts every reply exactly once across ${KILLS} kills during delivery to an X whose posts time out or fail`, async () => {
    const random = prng(SEED + 1);
    const REPLIES = 30;
    // X's duplicate-content check is off: a second copy would reach the customer, as on platforms without it.
    await setUp(new FakeX({ bearerToken: TOKENS.X_BEARER_TOKEN, appKey: TOKENS.X_APP_KEY, accessToken: TOKENS.X_ACCESS_TOKEN, windowSeconds: 2, slowMs: 1_500, allowDuplicateContent: true }));
    const fake = x!;
    for (let i = 0; i < REPLIES; i++) fake.addTweet({ text: `@VedraTel račun ${i} je pogrešan, otkazujem`, author_id: String(100 + (i % 20)), created_at: new Date(Date.now() - 60_000 + i * 100).toISOString() });

    // Every case claimed and answered while X works; then the posting fails and odziv is killed.
    const first = await start();
    await first.healthy();
    const h = await token(first.base);
    const open = await waitFor('every complaint as a case', async () => {
      const res = (await (await fetch(`${first.base}/api/cases?status=open&limit=100`, { headers: h })).json()) as { cases: Array<{ id: number; post: { platformPostId: string } }> };
      return res.cases.length === REPLIES ? res.cases : undefined;
    }, 120_000, 250);
    await kill();
    fake.opts.chaos = { probability: 0.15, faults: ['slow', 'drop', 'post-then-drop', '500', '503'], random };
    const { base, healthy } = await start();
    await healthy();
    const h2 = await token(base);
    for (const c of open) {
      expect((await fetch(`${base}/api/cases/${c.id}/claim`, { method: 'POST', headers: h2 })).status).toBe(200);
      const res = await fetch(`${base}/api/cases/${c.id}/replies`, { method: 'POST', headers: { ...h2, 'idempotency-key': `rel-${c.id}` }, body: JSON.stringify({ text: `Pozdrav, gledamo račun na slučaju ${c.id}. – Admin` }) });
      expect(res.status).toBe(202);
    }
    await new Promise((r) => setTimeout(r, 500 + random() * 1_500));
    await kill();

    for (let k = 1; k < KILLS; k++) {
      const next = await start();
      if (k % 2) await next.healthy();
      await new Promise((r) => setTimeout(r, 300 + random() * 2_500));
      await kill();
    }
    fake.opts.chaos.probability = 0;
    const last = await start();
    await last.healthy();
    const h3 = await token(last.base);
    await waitFor('every reply settled', async () => {
      const statuses = await Promise.all(open.map(async (c) => ((await (await fetch(`${last.base}/api/cases/${c.id}`, { headers: h3 })).json()) as { replies: Array<{ status: string }> }).replies.map((r) => r.status)));
      return statuses.flat().every((s) => s === 'sent' || s === 'failed' || s === 'dead') ? true : undefined;
    }, 600_000, 1_000);
    running!.child.kill('SIGTERM');
    expect(await running!.exited).toBe(0);
    running = undefined;

    const db = await afterwards();
    try {
      const rows = await db.db.select().from(replies);
      expect(rows).toHaveLength(REPLIES);
      // Every reply reached X once, and what odziv shows as sent is the post X has.
      expect(rows.map((r) => r.status)).toEqual(rows.map(() => 'sent'));
      const targets = fake.posted.map((p) => p.inReplyTo);
      expect(targets.length).toBe(REPLIES);
      expect(new Set(targets)).toEqual(new Set(open.map((c) => c.post.platformPostId)));
      for (const r of rows) expect(fake.posted.some((p) => p.id === r.platformReplyId && p.text === r.text)).toBe(true);
      const attempts = rows.reduce((a, r) => a + r.attempts, 0);
      console.log(`reliability/replies: ${KILLS} kills, ${REPLIES} replies, ${attempts} attempts, ${fake.requests.filter((q) => q.method === 'POST').length} POSTs to X`);
    } finally {
      if (!tdb) await db.close();
    }
  }, 1_200_000);
});
