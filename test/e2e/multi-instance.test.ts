import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeX } from '../fakes/x-server.ts';
import { createTestDatabase, onPostgres, type TestDatabase } from '../helpers/db.ts';
import { freePort, type Running, startOdziv, waitFor } from '../helpers/process.ts';
import { receiver } from '../helpers/receiver.ts';

const TOKENS = {
  X_BEARER_TOKEN: 'AAAAAAAAAAAAAAAAAAAAAmultiinstance',
  X_APP_KEY: 'mi-app-key',
  X_APP_SECRET: 'mi-app-secret',
  X_ACCESS_TOKEN: '1-mi-access',
  X_ACCESS_SECRET: 'mi-access-secret',
};
const PASSWORD = 'multi-instance-admin-1';
const MENTIONS = 1_500;
const REPLIES = 12;

/**
 * Scale-out (ODZIV_ROLE): two web instances and two workers on one PostgreSQL, against a fake X.
 * A worker is killed mid-stream; every mention is stored once, the other web instance's inbox
 * hears of new cases, every reply queued through either web instance reaches X once while two
 * workers compete for the outbox, and every alert reaches its webhook once.
 */
describe.runIf(onPostgres)('several instances on one PostgreSQL', () => {
  let x: FakeX;
  let tdb: TestDatabase;
  let sqlc: postgres.Sql;
  let dataDir: string;
  const hook = receiver();
  let hookUrl: string;
  const running: Running[] = [];

  const start = async (role: 'web' | 'worker') => {
    const port = await freePort();
    const r = startOdziv({
      PORT: String(port),
      HOST: '127.0.0.1',
      ODZIV_ROLE: role,
      DATABASE_URL: tdb.url!,
      ODZIV_DATA_DIR: dataDir,
      ODZIV_ADMIN_PASSWORD: PASSWORD,
      ODZIV_POLL_CRON: '* * * * * *',
      ODZIV_SLA_CRON: '*/2 * * * * *',
      ODZIV_ALERTS_CRON: '* * * * * *',
      ALERT_SIGNED_WEBHOOK_URL: hookUrl,
      ALERT_WEBHOOK_SECRET: 'multi-instance-webhook-secret',
      X_BRAND_USERNAME: 'VedraTel',
      X_API_BASE_URL: x.url,
      X_RATE_BUDGET: '100000',
      ...TOKENS,
    });
    running.push(r);
    const base = `http://127.0.0.1:${port}`;
    await waitFor(`${role} to answer`, async () => ((await fetch(`${base}/health`)).ok ? true : undefined), 60_000);
    const instance = await waitFor(`${role}'s instance id`, async () => /"instance":"([0-9a-f-]{36})"/.exec(r.output())?.[1], 10_000);
    return { r, base, instance };
  };
  const token = async (base: string) => {
    const res = await fetch(`${base}/api/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@odziv.local', password: PASSWORD }),
    });
    return { authorization: `Bearer ${((await res.json()) as { token: string }).token}`, 'content-type': 'application/json' };
  };

  beforeAll(async () => {
    tdb = await createTestDatabase();
    sqlc = postgres(tdb.url!, { max: 2, onnotice: () => {} });
    dataDir = mkdtempSync(join(tmpdir(), 'odziv-multi-'));
    hookUrl = await hook.start();
    x = await new FakeX({
      bearerToken: TOKENS.X_BEARER_TOKEN,
      appKey: TOKENS.X_APP_KEY,
      accessToken: TOKENS.X_ACCESS_TOKEN,
      windowLimit: 1_000,
      windowSeconds: 2,
      slowMs: 150,
    }).listen();
    x.addUser({ id: '1', username: 'VedraTel', name: 'Vedra', verified: true });
    for (let i = 0; i < 30; i++)
      x.addUser({
        id: String(100 + i),
        username: `kupac${i}`,
        public_metrics: { followers_count: 100 * i, following_count: 1, tweet_count: 1, listed_count: 0 },
      });
    // Written over the last 40 minutes: the first complaints are past their first-response time.
    const from = Date.now() - 40 * 60_000;
    for (let i = 0; i < MENTIONS; i++) {
      x.addTweet({
        text: i % 3 ? `@VedraTel internet ne radi već ${(i % 9) + 1} dana, otkazujem! #${i}` : `@VedraTel hvala, sve radi #${i}`,
        author_id: String(100 + (i % 30)),
        created_at: new Date(from + (i * 40 * 60_000) / MENTIONS).toISOString(),
      });
    }
  });

  afterAll(async () => {
    for (const r of running) r.child.kill('SIGKILL');
    await Promise.all(running.map((r) => r.exited));
    await sqlc?.end();
    await tdb?.drop();
    await x?.close();
    await hook.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stores every post once across a killed worker, tells every inbox, sends every reply and alert once', async () => {
    const web1 = await start('web');
    const web2 = await start('web');
    const h1 = await token(web1.base);
    const h2 = await token(web2.base);

    // An inbox on the second web instance listens before any worker runs.
    const login = await fetch(`${web2.base}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@odziv.local', password: PASSWORD }),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    const events = await fetch(`${web2.base}/inbox/events`, { headers: { cookie } });
    const reader = events.body!.getReader();
    let heard = '';
    while (!heard.includes('event: ping')) heard += new TextDecoder().decode((await reader.read()).value);
    const heardCases = (async () => {
      while (!heard.includes('event: cases')) heard += new TextDecoder().decode((await reader.read()).value);
    })();

    const worker1 = await start('worker');
    const worker2 = await start('worker');
    const stored = async () => Number((await sqlc`select count(*)::int as n from posts where platform = 'x'`)[0]!.n);
    // Mid-stream, the worker that holds the mentions stream (or else the first) dies without warning.
    await waitFor('a third of the mentions', async () => ((await stored()) >= MENTIONS / 3 ? true : undefined), 120_000, 100);
    const [lease] = await sqlc`select lease_owner from streams where platform = 'x' and name = 'mentions'`;
    const victim = lease?.lease_owner === worker2.instance ? worker2 : worker1;
    const survivor = victim === worker1 ? worker2 : worker1;
    victim.r.child.kill('SIGKILL');
    await victim.r.exited;

    await waitFor('every mention', async () => ((await stored()) >= MENTIONS ? true : undefined), 180_000, 250);
    const ids = (await sqlc`select platform_post_id as id from posts where platform = 'x'`).map((r) => String(r.id));
    expect(ids.length).toBe(MENTIONS);
    expect(new Set(ids)).toEqual(new Set(x.tweets.filter((t) => t.author_id !== '1').map((t) => t.id)));
    await heardCases;
    expect(heard).toMatch(/event: cases\ndata: \d+\n/);
    await reader.cancel().catch(() => {});

    // Two workers again, competing for the outbox; replies queued through both web instances.
    await start('worker');
    const open = (await (await fetch(`${web1.base}/api/cases?status=open&limit=${REPLIES}`, { headers: h1 })).json()) as {
      cases: Array<{ id: number; post: { platformPostId: string } }>;
    };
    expect(open.cases).toHaveLength(REPLIES);
    for (const [i, c] of open.cases.entries()) {
      const h = i % 2 ? h2 : h1;
      const base = i % 2 ? web2.base : web1.base;
      expect((await fetch(`${base}/api/cases/${c.id}/claim`, { method: 'POST', headers: h })).status).toBe(200);
      const sent = await fetch(`${base}/api/cases/${c.id}/replies`, {
        method: 'POST',
        headers: { ...h, 'idempotency-key': `mi-${c.id}` },
        body: JSON.stringify({ text: `Pozdrav, provjeravamo slučaj ${c.id}. – Admin` }),
      });
      expect(sent.status).toBe(202);
    }
    await waitFor('every reply at X', async () => (x.posted.length >= REPLIES ? true : undefined), 120_000, 200);
    // Both workers have had a few more outbox runs in which to post a second copy.
    await new Promise((r) => setTimeout(r, 3_000));
    expect(x.posted).toHaveLength(REPLIES);
    expect(new Set(x.posted.map((p) => p.inReplyTo))).toEqual(new Set(open.cases.map((c) => c.post.platformPostId)));
    const replies = await sqlc`select status, count(*)::int as n from replies group by status`;
    expect(replies).toEqual([{ status: 'sent', n: REPLIES }]);

    // SLA breaches of the oldest complaints were alerted, each delivered once.
    await waitFor('an alert at the webhook', async () => (hook.got.length > 0 ? true : undefined), 120_000, 250);
    // A delivery the killed worker had leased waits out its lease (two minutes) before the survivor sends it.
    await waitFor(
      'the outbox to drain',
      async () => {
        const pending = await sqlc`select id, attempts, available_at, last_error from alert_deliveries where status = 'pending' order by id limit 5`;
        if (!pending.length) return true;
        throw new Error(`still pending: ${JSON.stringify(pending)}`);
      },
      240_000,
      250,
    );
    const deliveries = hook.got.map((g) => {
      const b = JSON.parse(g.body) as { id: number; round: string };
      return `${b.id}:${b.round}`;
    });
    expect(new Set(deliveries).size).toBe(deliveries.length);
    const [sent] = await sqlc`select count(*)::int as n from alert_deliveries where status = 'sent'`;
    expect(deliveries.length).toBe(Number(sent!.n));
    // The survivor kept working; nothing was logged at the error level by anyone still running.
    expect(survivor.r.child.exitCode).toBeNull();
    for (const r of running.filter((p) => p !== victim.r)) expect(r.output()).not.toMatch(/"level":(50|60)/);
  }, 600_000);
});
