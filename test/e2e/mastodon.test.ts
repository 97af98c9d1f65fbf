import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeMastodon } from '../fakes/mastodon-server.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { freePort, startOdziv, waitFor, type Running } from '../helpers/process.ts';

const TOKEN = 'e2e-mastodon-access-token-0123456789';
const PASSWORD = 'e2e-admin-password-1234';

describe('odziv watching Mastodon (a fake server on loopback)', () => {
  let m: FakeMastodon;
  let dataDir: string;
  let tdb: TestDatabase | undefined;
  let running: Running | undefined;

  beforeAll(async () => {
    m = await new FakeMastodon(TOKEN).listen();
    for (let i = 0; i < 60; i++) {
      const who = m.addAccount(`kupac${i}`, `Kupac ${i}`, 20 * i, i % 2 ? 'drugi.social' : undefined);
      m.addStatus(who, i % 3 ? `<p>@vedra internet opet ne radi, čekam tehničara već ${(i % 9) + 1} dana</p>` : '<p>@vedra hvala, sve radi!</p>');
    }
    dataDir = mkdtempSync(join(tmpdir(), 'odziv-e2e-mastodon-'));
    if (process.env.TEST_DATABASE_URL) tdb = await createTestDatabase();
  });
  afterAll(async () => {
    running?.child.kill('SIGKILL');
    await m.close();
    await tdb?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const env = (port: number, over: Record<string, string> = {}) => ({
    PORT: String(port),
    HOST: '127.0.0.1',
    ODZIV_DATA_DIR: dataDir,
    ODZIV_ADMIN_PASSWORD: PASSWORD,
    ODZIV_POLL_CRON: '* * * * * *',
    MASTODON_URL: m.url,
    MASTODON_ACCESS_TOKEN: TOKEN,
    ...(tdb?.url ? { DATABASE_URL: tdb.url } : {}),
    ...over,
  });

  it('flags the complaints among the mentions and answers one on Mastodon, addressed to the customer', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    running = startOdziv(env(port, { MASTODON_HASHTAGS: 'vedra' }));
    await waitFor('health', async () => ((await fetch(`${base}/health`)).ok ? true : undefined), 30_000);
    const { token } = (await (await fetch(`${base}/api/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@odziv.local', password: PASSWORD }) })).json()) as { token: string };
    const h = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const list = await waitFor('the complaints', async () => {
      const body = (await (await fetch(`${base}/api/cases?platform=mastodon&limit=200`, { headers: h })).json()) as { cases: Array<{ id: number; author: { handle: string } }> };
      return body.cases.length >= 40 ? body.cases : undefined;
    }, 60_000, 500);
    // Only the Mastodon streams run: a configured platform replaces the demo.
    const streams = (await (await fetch(`${base}/api/streams`, { headers: h })).json()) as { streams: Array<{ platform: string; name: string }> };
    expect(streams.streams.map((s) => `${s.platform}/${s.name}`)).toEqual(['mastodon/mentions', 'mastodon/#vedra']);

    const c = list[0]!;
    expect((await fetch(`${base}/api/cases/${c.id}/claim`, { method: 'POST', headers: h })).status).toBe(200);
    const res = await fetch(`${base}/api/cases/${c.id}/replies`, { method: 'POST', headers: { ...h, 'idempotency-key': 'e2e-1' }, body: JSON.stringify({ text: 'Pozdrav, tehničar dolazi sutra ujutro.' }) });
    expect(res.status).toBe(202);
    await waitFor('the reply on Mastodon', async () => (m.posted.length ? true : undefined), 30_000, 300);
    expect(m.posted[0]!.status).toBe(`@${c.author.handle} Pozdrav, tehničar dolazi sutra ujutro.\n– Admin`);
  }, 120_000);

  it('stops reading a hashtag taken out of MASTODON_HASHTAGS', async () => {
    running?.child.kill('SIGTERM');
    await running?.exited;
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    running = startOdziv(env(port));
    await waitFor('health', async () => ((await fetch(`${base}/health`)).ok ? true : undefined), 30_000);
    const { token } = (await (await fetch(`${base}/api/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@odziv.local', password: PASSWORD }) })).json()) as { token: string };
    const body = (await (await fetch(`${base}/api/streams`, { headers: { authorization: `Bearer ${token}` } })).json()) as { streams: Array<{ name: string; status: string }> };
    expect(body.streams.find((s) => s.name === '#vedra')?.status).toBe('disabled');
    expect(body.streams.find((s) => s.name === 'mentions')?.status).not.toBe('disabled');
  }, 60_000);

  it('refuses to start with a rejected token, naming the variable and not the token', async () => {
    running?.child.kill('SIGKILL');
    await running?.exited;
    const bad = startOdziv(env(await freePort(), { MASTODON_ACCESS_TOKEN: 'a-wrong-mastodon-token-9876543210' }));
    expect(await bad.exited).toBe(1);
    expect(bad.output()).toContain('MASTODON_ACCESS_TOKEN was rejected by');
    expect(bad.output()).not.toContain('a-wrong-mastodon-token-9876543210');
  }, 60_000);
});
