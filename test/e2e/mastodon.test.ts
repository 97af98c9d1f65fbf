import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeMastodon } from '../fakes/mastodon-server.ts';
import { useOdzivProcess } from '../helpers/odziv-process.ts';
import { freePort, startOdziv, waitFor } from '../helpers/process.ts';

const TOKEN = 'e2e-mastodon-access-token-0123456789';

describe('odziv watching Mastodon (a fake server on loopback)', () => {
  let m: FakeMastodon;
  const odziv = useOdzivProcess('mastodon', () => ({ MASTODON_URL: m.url, MASTODON_ACCESS_TOKEN: TOKEN }));

  beforeAll(async () => {
    m = await new FakeMastodon(TOKEN).listen();
    for (let i = 0; i < 60; i++) {
      const who = m.addAccount(`kupac${i}`, `Kupac ${i}`, 20 * i, i % 2 ? 'drugi.social' : undefined);
      m.addStatus(who, i % 3 ? `<p>@vedra internet opet ne radi, čekam tehničara već ${(i % 9) + 1} dana</p>` : '<p>@vedra hvala, sve radi!</p>');
    }
  });
  afterAll(() => m.close());

  it('flags the complaints among the mentions and answers one on Mastodon, addressed to the customer', async () => {
    const { base, headers: h } = await odziv.start({ MASTODON_HASHTAGS: 'vedra' });
    const list = await waitFor(
      'the complaints',
      async () => {
        const body = (await (await fetch(`${base}/api/cases?platform=mastodon&limit=200`, { headers: h })).json()) as {
          cases: Array<{ id: number; author: { handle: string } }>;
        };
        return body.cases.length >= 40 ? body.cases : undefined;
      },
      60_000,
      500,
    );
    // Only the Mastodon streams run: a configured platform replaces the demo.
    const streams = (await (await fetch(`${base}/api/streams`, { headers: h })).json()) as { streams: Array<{ platform: string; name: string }> };
    expect(streams.streams.map((s) => `${s.platform}/${s.name}`)).toEqual(['mastodon/mentions', 'mastodon/#vedra']);

    const c = list[0]!;
    expect((await fetch(`${base}/api/cases/${c.id}/claim`, { method: 'POST', headers: h })).status).toBe(200);
    const res = await fetch(`${base}/api/cases/${c.id}/replies`, {
      method: 'POST',
      headers: { ...h, 'idempotency-key': 'e2e-1' },
      body: JSON.stringify({ text: 'Pozdrav, tehničar dolazi sutra ujutro.' }),
    });
    expect(res.status).toBe(202);
    await waitFor('the reply on Mastodon', async () => (m.posted.length ? true : undefined), 30_000, 300);
    expect(m.posted[0]!.status).toBe(`@${c.author.handle} Pozdrav, tehničar dolazi sutra ujutro.\n– Admin`);
  }, 300_000);

  it('stops reading a hashtag taken out of MASTODON_HASHTAGS', async () => {
    await odziv.stop();
    const { base, headers } = await odziv.start();
    const body = (await (await fetch(`${base}/api/streams`, { headers })).json()) as { streams: Array<{ name: string; status: string }> };
    expect(body.streams.find((s) => s.name === '#vedra')?.status).toBe('disabled');
    expect(body.streams.find((s) => s.name === 'mentions')?.status).not.toBe('disabled');
  }, 300_000);

  it('refuses to start with a rejected token, naming the variable and not the token', async () => {
    await odziv.stop('SIGKILL');
    const bad = startOdziv(odziv.env(await freePort(), { MASTODON_ACCESS_TOKEN: 'a-wrong-mastodon-token-9876543210' }));
    expect(await bad.exited).toBe(1);
    expect(bad.output()).toContain('MASTODON_ACCESS_TOKEN was rejected by');
    expect(bad.output()).not.toContain('a-wrong-mastodon-token-9876543210');
  }, 300_000);
});
