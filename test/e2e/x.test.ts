import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeX } from '../fakes/x-server.ts';
import { useOdzivProcess } from '../helpers/odziv-process.ts';
import { freePort, startOdziv, waitFor } from '../helpers/process.ts';

const TOKENS = {
  X_BEARER_TOKEN: 'AAAAAAAAAAAAAAAAAAAAAe2ebearertoken',
  X_APP_KEY: 'e2e-app-key',
  X_APP_SECRET: 'e2e-app-secret',
  X_ACCESS_TOKEN: '1-e2e-access',
  X_ACCESS_SECRET: 'e2e-access-secret',
};
const MENTIONS = 2_000;

describe('odziv watching X (a fake X on loopback)', () => {
  let x: FakeX;
  const odziv = useOdzivProcess('x', () => ({ ...TOKENS, X_BRAND_USERNAME: 'VedraTel', X_API_BASE_URL: x.url, X_RATE_BUDGET: '100000' }));

  beforeAll(async () => {
    x = await new FakeX({
      bearerToken: TOKENS.X_BEARER_TOKEN,
      appKey: TOKENS.X_APP_KEY,
      accessToken: TOKENS.X_ACCESS_TOKEN,
      windowLimit: 8,
      windowSeconds: 2,
    }).listen();
    x.addUser({ id: '1', username: 'VedraTel', name: 'Vedra', verified: true });
    for (let i = 0; i < 40; i++)
      x.addUser({
        id: String(100 + i),
        username: `kupac${i}`,
        public_metrics: { followers_count: 50 * i, following_count: 1, tweet_count: 1, listed_count: 0 },
      });
    const start = Date.now() - MENTIONS * 1000;
    for (let i = 0; i < MENTIONS; i++) {
      x.addTweet({
        text: i % 4 ? `@VedraTel internet opet ne radi, čekam tehničara već ${(i % 9) + 1} dana` : `@VedraTel hvala, sve radi!`,
        author_id: String(100 + (i % 40)),
        created_at: new Date(start + i * 1000).toISOString(),
      });
      if (i % 250 === 0) x.addTweet({ text: `@VedraTel our own announcement ${i}`, author_id: '1' });
    }
  });
  afterAll(() => x.close());

  it('stores every mention once through rate limits and faults, shows the faults, and replies once', async () => {
    x.faults.push('503', 'ok', '500', 'slow');
    x.opts.slowMs = 200;
    const { base, headers: h } = await odziv.start();
    const running = odziv.running!;
    let sawFault = false;
    const mentions = await waitFor(
      'all mentions',
      async () => {
        const body = (await (await fetch(`${base}/api/streams`, { headers: h })).json()) as {
          streams: Array<{ platform: string; name: string; posts: number; lastError: string | null; consecutiveFailures: number }>;
        };
        const s = body.streams.find((st) => st.platform === 'x' && st.name === 'mentions');
        if (s && (s.lastError || s.consecutiveFailures > 0)) sawFault = true;
        return s && s.posts >= MENTIONS ? s : undefined;
      },
      120_000,
      250,
    );
    expect(mentions.posts).toBe(MENTIONS);
    expect(sawFault).toBe(true);
    expect(x.requests.filter((r) => r.path === '/2/users/1/mentions').length).toBeGreaterThan(MENTIONS / 100);
    // No replay stream when a platform is configured.
    const streams = (await (await fetch(`${base}/api/streams`, { headers: h })).json()) as { streams: Array<{ platform: string }> };
    expect(streams.streams.every((s) => s.platform === 'x')).toBe(true);

    const list = (await (await fetch(`${base}/api/cases?status=open&limit=5`, { headers: h })).json()) as {
      cases: Array<{ id: number; post: { platform: string; text: string; platformPostId: string } }>;
    };
    expect(list.cases.length).toBeGreaterThan(0);
    expect(list.cases.every((c) => c.post.platform === 'x' && !c.post.text.includes('own announcement'))).toBe(true);
    const target = list.cases[0]!;
    expect((await fetch(`${base}/api/cases/${target.id}/claim`, { method: 'POST', headers: h })).status).toBe(200);
    const send = () =>
      fetch(`${base}/api/cases/${target.id}/replies`, {
        method: 'POST',
        headers: { ...h, 'content-type': 'application/json', 'idempotency-key': 'x-e2e-1' },
        body: JSON.stringify({ text: 'Pozdrav, žao nam je, tehničar stiže danas. – Admin' }),
      });
    expect((await send()).status).toBe(202);
    await waitFor('the reply at X', async () => (x.posted.length >= 1 ? true : undefined), 20_000, 100);
    expect((await send()).status).toBe(200);
    await new Promise((r) => setTimeout(r, 2_500));
    expect(x.posted).toHaveLength(1);
    expect(x.posted[0]).toMatchObject({ inReplyTo: target.post.platformPostId });
    const detail = (await (await fetch(`${base}/api/cases/${target.id}`, { headers: h })).json()) as {
      status: string;
      replies: Array<{ status: string; url: string }>;
    };
    expect(detail.status).toBe('replied');
    expect(detail.replies[0]!.url).toContain(`/status/${x.posted[0]!.id}`);
    running.child.kill('SIGTERM');
    expect(await running.exited).toBe(0);
    // Secrets never reach the log.
    for (const secret of Object.values(TOKENS).slice(2)) expect(running.output()).not.toContain(secret);
    expect(running.output()).not.toContain(TOKENS.X_BEARER_TOKEN);
  }, 300_000);

  it('refuses to start with a rejected or missing credential, naming the variable', async () => {
    const bad = startOdziv(odziv.env(await freePort(), { X_BEARER_TOKEN: 'AAAAAAAAAAAAAAAAAAAAAnotvalidtoken' }));
    expect(await bad.exited).toBe(1);
    expect(bad.output()).toContain('X_BEARER_TOKEN was rejected by X');
    expect(bad.output()).not.toContain('AAAAAAAAAAAAAAAAAAAAAnotvalidtoken');
    const missing = startOdziv(odziv.env(await freePort(), { X_BRAND_USERNAME: '', X_ACCESS_SECRET: '' }));
    expect(await missing.exited).toBe(2);
    expect(missing.output()).toContain('X_BRAND_USERNAME');
    expect(missing.output()).toContain('X_ACCESS_SECRET: required with');
  });
});
